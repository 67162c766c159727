// The federation app's routes: everything Fedify serves (federation.ts), plus host-meta (Fedify has none) and
// content negotiation on the profile URL: an ActivityPub client asking for /user/<name> gets the member's
// actor document (the same one as /users/<id>), a browser asking for /users/<id> is sent to the profile.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Config } from "../../config";
import type { Db } from "../../db";
import type { BaseEnv } from "../../env";
import { AppError } from "../../lib/errors";
import { parseId } from "../../lib/ids";
import { jsonOnError } from "../../middleware/errors";
import { actorPath } from "../../views/feed-link";
import { getPublicMember } from "../users";
import { inboxGuard } from "./inbox-guard";
import { isGoneActor, leftMemberId } from "./queries";

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
  /^\/users\/[^/]+\/replies\/[^/]+$/,
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

// --- Inbox safety (issue 13): blocked servers 403, per-server rate 429, known servers counted ------------------
federationRoutes.use("/users/:id/inbox", inboxGuard);
federationRoutes.use("/inbox", inboxGuard);

// --- Gone actors (issue 13): a member who left the fediverse, or a deleted account, is 410 Gone ---------------
const ACTOR_PATHS = /^\/users\/([^/]+)(?:\/(?:inbox|outbox|followers|following))?$/;

/** 410 with a Tombstone for the URL asked for (what Mastodon takes as "this account is gone": it stops asking). */
function goneResponse(url: URL, formerType?: string): Response {
  const tombstone = { "@context": "https://www.w3.org/ns/activitystreams", id: url.href, type: "Tombstone", ...(formerType ? { formerType } : {}) };
  return new Response(JSON.stringify(tombstone), { status: 410, headers: { "Content-Type": "application/activity+json" } });
}

/** The 410 for an actor path whose member left the fediverse or was deleted; null for any other miss (a 404). */
async function goneActorAnswer(db: Db, config: Config, path: string): Promise<Response | null> {
  const match = path.match(ACTOR_PATHS);
  const id = match?.[1] === undefined ? null : parseId(match[1]);
  if (id === null || !(await isGoneActor(db, id))) return null;
  const url = new URL(path, config.baseUrl);
  return goneResponse(url, path === actorPath(id) ? "Person" : undefined);
}

federationRoutes.get("/.well-known/host-meta", (c) => {
  const template = `${c.get("config").baseUrl}/.well-known/webfinger?resource={uri}`;
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0"><Link rel="lrdd" type="application/jrd+json" template="${template}"/></XRD>\n`;
  return c.body(xml, 200, { "Content-Type": "application/xrd+xml; charset=utf-8" });
});

/** The profile URL asked for as ActivityPub: the actor document, fetched from Fedify at its own URL. */
federationRoutes.get("/user/:username", async (c) => {
  const member = await getPublicMember(c.get("db"), { username: c.req.param("username") }, true);
  if (!member) {
    const left = await leftMemberId(c.get("db"), c.req.param("username"));
    if (left !== null) return goneResponse(new URL(actorPath(left), c.get("config").baseUrl), "Person");
    throw new AppError(404, "There is no user with that name.");
  }
  const actor = new URL(actorPath(member.id), c.get("config").baseUrl);
  return (await fedify()).federationFor(c.env, c.get("config")).fetch(new Request(actor, { headers: c.req.raw.headers }), {
    contextData: { db: c.get("db"), config: c.get("config"), env: c.env },
  });
});

/**
 * A member's reply to a note elsewhere, as its Note (note-actions.ts): what a server that fetches the reply by its
 * id gets. 410 when the member left the fediverse or was deleted, 404 for any other miss.
 */
federationRoutes.get("/users/:id/replies/:reply", async (c) => {
  const db = c.get("db");
  const config = c.get("config");
  const userId = parseId(c.req.param("id"));
  const replyId = parseId(c.req.param("reply"));
  if (userId !== null && (await isGoneActor(db, userId))) return goneResponse(new URL(c.req.path, config.baseUrl), "Note");
  const { replyNoteDocument } = await import("./note-actions");
  const doc = userId === null || replyId === null ? null : await replyNoteDocument(c.env, db, config, userId, replyId);
  if (doc === null) throw new AppError(404, "Not found.");
  return c.body(JSON.stringify(doc), 200, { "Content-Type": "application/activity+json" });
});

federationRoutes.onError(jsonOnError);

federationRoutes.all("*", async (c) => {
  const config = c.get("config");
  const db = c.get("db");
  return (await fedify()).federationFor(c.env, config).fetch(c.req.raw, {
    contextData: { db, config, env: c.env },
    onNotFound: async () => {
      const gone = await goneActorAnswer(db, config, c.req.path);
      if (gone) return gone;
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
