// The federation app's routes: everything Fedify serves (federation.ts), plus host-meta (Fedify has none) and
// content negotiation on the profile URL: an ActivityPub client asking for /user/<name> gets the member's
// actor document (the same one as /users/<id>), a browser asking for /users/<id> is sent to the profile.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { BaseEnv } from "../../env";
import { AppError } from "../../lib/errors";
import { parseId } from "../../lib/ids";
import { jsonOnError } from "../../middleware/errors";
import { actorPath } from "../../views/feed-link";
import { getPublicMember } from "../users";

/** Inbox bodies over this are refused (413) before anything reads them. */
export const MAX_ACTIVITY_BODY = 256 * 1024;

const AP_TYPES = ["application/activity+json", "application/ld+json"];

/** Whether a request asks for ActivityPub JSON rather than a page (an Accept naming one of the AP types). */
export function wantsActivityJson(req: Request): boolean {
  const accept = (req.headers.get("Accept") ?? "").toLowerCase();
  return AP_TYPES.some((t) => accept.includes(t));
}

/** The paths the federation app answers whatever the Accept header (the rest is content-negotiated). */
const ALWAYS = [
  /^\/\.well-known\/(webfinger|nodeinfo|host-meta)$/,
  /^\/nodeinfo\/2\.1$/,
  /^\/inbox$/,
  /^\/users\/[^/]+(\/(inbox|outbox|followers|following))?$/,
];
/** Pages that are also ActivityPub objects: the profile (the actor) and the post permalink (its Note). */
const NEGOTIATED = [/^\/user\/[^/]+$/, /^\/post\/[^/]+$/];

/** A page whose URL also names an ActivityPub object: its HTML answer must say `Vary: Accept`. */
export const isNegotiatedPath = (path: string) => NEGOTIATED.some((p) => p.test(path));

export function isFederationRequest(req: Request, path: string): boolean {
  if (ALWAYS.some((p) => p.test(path))) return true;
  return (req.method === "GET" || req.method === "HEAD") && wantsActivityJson(req) && isNegotiatedPath(path);
}

/**
 * Fedify (with its JSON-LD contexts) is loaded by the first federation request, not with the Worker: most
 * requests never federate, and an isolate that never does skips its start-up cost.
 */
const fedify = () => import("./federation");

export const federationRoutes = new Hono<BaseEnv>();

federationRoutes.use(
  "/users/:id/inbox",
  bodyLimit({ maxSize: MAX_ACTIVITY_BODY, onError: () => Promise.reject(new AppError(413, "That activity is too large.")) }),
);
federationRoutes.use("/inbox", bodyLimit({ maxSize: MAX_ACTIVITY_BODY, onError: () => Promise.reject(new AppError(413, "That activity is too large.")) }));

federationRoutes.get("/.well-known/host-meta", (c) => {
  const template = `${c.get("config").baseUrl}/.well-known/webfinger?resource={uri}`;
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0"><Link rel="lrdd" type="application/jrd+json" template="${template}"/></XRD>\n`;
  return c.body(xml, 200, { "Content-Type": "application/xrd+xml; charset=utf-8" });
});

/** The profile URL asked for as ActivityPub: the actor document, fetched from Fedify at its own URL. */
federationRoutes.get("/user/:username", async (c) => {
  const member = await getPublicMember(c.get("db"), { username: c.req.param("username") }, true);
  if (!member) throw new AppError(404, "There is no user with that name.");
  const actor = new URL(actorPath(member.id), c.get("config").baseUrl);
  return (await fedify()).federationFor(c.env, c.get("config")).fetch(new Request(actor, { headers: c.req.raw.headers }), {
    contextData: { db: c.get("db"), config: c.get("config") },
  });
});

federationRoutes.onError(jsonOnError);

federationRoutes.all("*", async (c) => {
  const config = c.get("config");
  const db = c.get("db");
  return (await fedify()).federationFor(c.env, config).fetch(c.req.raw, {
    contextData: { db, config },
    onNotFound: () => {
      throw new AppError(404, "Not found.");
    },
    // A browser on an actor URL: the member's profile page (the web app's). Collections have no page.
    onNotAcceptable: async () => {
      const actorId = c.req.path.match(/^\/users\/([^/]+)$/)?.[1];
      const id = actorId === undefined ? null : parseId(actorId);
      const member = id === null ? undefined : await getPublicMember(db, { id }, true);
      if (member) return c.redirect(`/user/${encodeURIComponent(member.username)}`, 302);
      throw new AppError(404, "This address serves ActivityPub JSON only (Accept: application/activity+json).");
    },
  });
});
