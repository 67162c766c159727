// The web app's federation pages (issue 13): /admin/servers (Administrators: block and unblock remote servers,
// see the servers Roost talks to) and POST /account/fediverse (a member leaves or rejoins the fediverse).
// Cookie-authenticated, so CSRF-checked like every web form; thin handlers over servers.ts and settings.ts.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { WebEnv } from "../../env";
import { eventContextOf } from "../../events/request";
import { validate } from "../../lib/forms";
import { Permission } from "../../lib/permissions";
import { errorResponse } from "../../middleware/errors";
import { readForm } from "../../middleware/form-body";
import { requireLogin, requirePermission, withUser } from "../../middleware/permissions";
import { flash } from "../../views/flash";
import { readerTimeZone } from "../../views/reader";
import { redirect, renderPage } from "../../views/render";
import { blockServer, listBlockedServers, listKnownServers, MAX_BLOCK_REASON, normalizeHost, unblockServer } from "./servers";
import { setFediverseChoice } from "./settings";
import { type BlockFormState, BlockServerForm, ServersPage } from "./web-views";

export const federationWebRoutes = new Hono<WebEnv>();

const PAGE = "/admin/servers";
const INVALID_HOST = "Enter a server's host name, such as mastodon.example.";

const hostField = z
  .string()
  .trim()
  .min(1, "Enter the server to block.")
  .max(253, "A host name is at most 253 characters.")
  .transform((s, ctx) => {
    const host = normalizeHost(s);
    if (host === null) ctx.addIssue({ code: "custom", message: INVALID_HOST });
    return host ?? "";
  });

const blockSchema = z.object({
  host: hostField,
  reason: z
    .string()
    .trim()
    .max(MAX_BLOCK_REASON, `The reason must be at most ${MAX_BLOCK_REASON} characters.`)
    .transform((s) => (s === "" ? null : s)),
});

async function serversPage(c: Context<WebEnv>, form: BlockFormState = {}, status: 200 | 409 | 422 = 200) {
  c.header("Cache-Control", "private, no-store");
  const db = c.get("db");
  const [blocked, known] = await Promise.all([listBlockedServers(db), listKnownServers(db)]);
  return renderPage(
    c,
    { title: "Remote servers", status, fragment: <BlockServerForm {...form} /> },
    <ServersPage blocked={blocked} known={known} form={form} tz={readerTimeZone(c)} now={Date.now()} />,
  );
}

const adminGuard = [requireLogin, requirePermission(Permission.ADMIN)] as const;

federationWebRoutes.get(PAGE, ...adminGuard, (c) => serversPage(c));

federationWebRoutes.post(`${PAGE}/block`, ...adminGuard, async (c) => {
  const raw = await readForm(c);
  const form = validate(blockSchema, raw);
  if (!form.ok) return serversPage(c, form, 422);
  const { host, reason } = form.data;
  if (!(await blockServer(c.get("db"), host, reason))) {
    return serversPage(c, { values: raw, errors: { host: `${host} is already blocked.` } }, 409);
  }
  await flash(c, `Blocked ${host} and its subdomains.`, "success");
  return redirect(c, PAGE);
});

federationWebRoutes.post(`${PAGE}/unblock`, ...adminGuard, async (c) => {
  const host = normalizeHost((await readForm(c)).host ?? "");
  if (host === null || !(await unblockServer(c.get("db"), host))) return errorResponse(c, 404, "That server is not blocked.");
  await flash(c, `Unblocked ${host}.`, "success");
  return redirect(c, PAGE);
});

// --- Leaving the fediverse ----------------------------------------------------------------------------------

const choiceSchema = z.object({ choice: z.enum(["leave", "rejoin"], "Choose to leave or to rejoin the fediverse.") });

federationWebRoutes.post(
  "/account/fediverse",
  withUser(async (c, user) => {
    const form = validate(choiceSchema, await readForm(c));
    if (!form.ok) return errorResponse(c, 422, form.errors.choice ?? "Choose to leave or to rejoin the fediverse.");
    const leave = form.data.choice === "leave";
    const changed = await setFediverseChoice(eventContextOf(c), user.id, leave);
    const message = leave
      ? changed
        ? "You left the fediverse: other servers no longer find or follow your account."
        : "You had already left the fediverse."
      : changed
        ? "You rejoined the fediverse: other servers can find and follow your account again."
        : "You are already part of the fediverse.";
    await flash(c, message, changed ? "success" : "info");
    return redirect(c, "/account#fediverse");
  }),
);

// Every state change is a POST: a GET of these addresses changes nothing.
for (const path of [`${PAGE}/block`, `${PAGE}/unblock`, "/account/fediverse"]) {
  federationWebRoutes.get(path, (c) => {
    c.header("Allow", "POST");
    return errorResponse(c, 405, "Use the form's button to do this.");
  });
}
