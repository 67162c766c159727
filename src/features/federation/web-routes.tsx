// The web app's federation pages (issue 13): /admin/servers (Administrators: block and unblock remote servers,
// see the servers Roost talks to) and POST /account/fediverse (a member leaves or rejoins the fediverse).
// Cookie-authenticated, so CSRF-checked like every web form; thin handlers over servers.ts and settings.ts.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { WebEnv } from "../../env";
import { eventContextOf } from "../../events/request";
import { t } from "../../i18n";
import { validate } from "../../lib/forms";
import { parseId } from "../../lib/ids";
import { Permission } from "../../lib/permissions";
import { safeNextPath } from "../../lib/safe-redirect";
import { errorResponse } from "../../middleware/errors";
import { readForm } from "../../middleware/form-body";
import { requireLogin, requirePermission, withUser } from "../../middleware/permissions";
import { flash } from "../../views/flash";
import { readerTimeZone } from "../../views/reader";
import { redirect, renderPage } from "../../views/render";
import { noteRoutes } from "./note-routes";
import { leftFediverseAt } from "./queries";
import { blockRemoteActor, unblockRemoteActor } from "./remote-blocks";
import { listRemoteFollows, MAX_FOLLOW_TARGET, parseFollowTarget } from "./remote-follows";
import { blockServer, listBlockedServers, listKnownServers, MAX_BLOCK_REASON, normalizeHost, unblockServer } from "./servers";
import { setFediverseChoice } from "./settings";
import { type BlockFormState, BlockServerForm, FollowRemoteForm, type FollowRemoteFormState, FollowRemotePage, ServersPage } from "./web-views";

export const federationWebRoutes = new Hono<WebEnv>();

const PAGE = "/admin/servers";
const hostField = z
  .string()
  .trim()
  .min(1, { error: () => t("federation.v.hostEmpty") })
  .max(253, { error: () => t("federation.v.hostTooLong") })
  .transform((s, ctx) => {
    const host = normalizeHost(s);
    if (host === null) ctx.addIssue({ code: "custom", message: t("federation.v.hostInvalid") });
    return host ?? "";
  });

const blockSchema = z.object({
  host: hostField,
  reason: z
    .string()
    .trim()
    .max(MAX_BLOCK_REASON, { error: () => t("federation.v.reasonTooLong", { max: String(MAX_BLOCK_REASON) }) })
    .transform((s) => (s === "" ? null : s)),
});

async function serversPage(c: Context<WebEnv>, form: BlockFormState = {}, status: 200 | 409 | 422 = 200) {
  c.header("Cache-Control", "private, no-store");
  const db = c.get("db");
  const [blocked, known] = await Promise.all([listBlockedServers(db), listKnownServers(db)]);
  return renderPage(
    c,
    { title: t("federation.title"), status, fragment: <BlockServerForm {...form} /> },
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
  const blocked = await blockServer(c.get("db"), host, reason);
  if (!blocked) return serversPage(c, { values: raw, errors: { host: t("federation.already", { host }) } }, 409);
  await flash(c, t("federation.flash.blocked", { host, count: blocked.followersRemoved }), "success");
  return redirect(c, PAGE);
});

federationWebRoutes.post(`${PAGE}/unblock`, ...adminGuard, async (c) => {
  const host = normalizeHost((await readForm(c)).host ?? "");
  if (host === null || !(await unblockServer(c.get("db"), host))) return errorResponse(c, 404, t("federation.notBlocked"));
  await flash(c, t("federation.flash.unblocked", { host }), "success");
  return redirect(c, PAGE);
});

// --- Leaving the fediverse ----------------------------------------------------------------------------------

const choiceSchema = z.object({ choice: z.enum(["leave", "rejoin"], { error: () => t("federation.v.choice") }) });

federationWebRoutes.post(
  "/account/fediverse",
  withUser(async (c, user) => {
    const form = validate(choiceSchema, await readForm(c));
    if (!form.ok) return errorResponse(c, 422, form.errors.choice ?? t("federation.v.choice"));
    const leave = form.data.choice === "leave";
    const changed = await setFediverseChoice(eventContextOf(c), user.id, leave);
    const message = leave
      ? changed
        ? t("federation.flash.left")
        : t("federation.flash.alreadyLeft")
      : changed
        ? t("federation.flash.rejoined")
        : t("federation.flash.alreadyMember");
    await flash(c, message, changed ? "success" : "info");
    return redirect(c, "/account#fediverse");
  }),
);

// --- Following people elsewhere (follow-remote.ts talks to their servers) -----------------------------------

const FOLLOW_PAGE = "/fediverse/follow";
const followGuard = [requireLogin, requirePermission(Permission.FOLLOW)] as const;

const followSchema = z.object({
  handle: z
    .string()
    .trim()
    .min(1, { error: () => t("federation.follow.v.empty") })
    .max(MAX_FOLLOW_TARGET, { error: () => t("federation.follow.v.tooLong", { max: String(MAX_FOLLOW_TARGET) }) })
    .transform((s, ctx) => {
      const target = parseFollowTarget(s);
      if (!target) ctx.addIssue({ code: "custom", message: t("federation.follow.v.invalid") });
      return target ?? { kind: "url" as const, url: "", host: "" };
    }),
});

async function followPage(c: Context<WebEnv>, userId: number, form: FollowRemoteFormState = {}, status: 200 | 404 | 409 | 422 = 200) {
  c.header("Cache-Control", "private, no-store");
  const follows = await listRemoteFollows(c.get("db"), userId);
  return renderPage(
    c,
    { title: t("federation.follow.title"), status, fragment: <FollowRemoteForm {...form} /> },
    <FollowRemotePage follows={follows} form={form} />,
  );
}

federationWebRoutes.get(
  FOLLOW_PAGE,
  ...followGuard,
  withUser((c, user) => followPage(c, user.id)),
);

federationWebRoutes.post(
  FOLLOW_PAGE,
  ...followGuard,
  withUser(async (c, user) => {
    const raw = await readForm(c);
    const form = validate(followSchema, raw);
    if (!form.ok) return followPage(c, user.id, form, 422);
    const db = c.get("db");
    // A member who left the fediverse has no actor to follow from (it answers 410): nothing could verify the Follow.
    if ((await leftFediverseAt(db, user.id)) !== null) return followPage(c, user.id, { values: raw, errors: { handle: t("federation.follow.left") } }, 422);
    const { followRemote } = await import("./follow-remote");
    const result = await followRemote(c.env, db, c.get("config"), user.id, form.data.handle);
    if (!result.ok) return followPage(c, user.id, { values: raw, errors: { handle: result.message }, localProfile: result.localProfile }, result.status);
    await flash(c, t("federation.follow.flash.requested", { handle: result.handle }), "success");
    return redirect(c, FOLLOW_PAGE);
  }),
);

federationWebRoutes.post(
  "/fediverse/unfollow",
  ...followGuard,
  withUser(async (c, user) => {
    const actor = (await readForm(c)).actor ?? "";
    const { unfollowRemote } = await import("./follow-remote");
    const handle = actor.length <= 2048 ? await unfollowRemote(c.env, c.get("db"), c.get("config"), user.id, actor) : null;
    if (handle === null) return errorResponse(c, 404, t("federation.follow.notFollowing"));
    await flash(c, t("federation.follow.flash.unfollowed", { handle }), "success");
    return redirect(c, FOLLOW_PAGE);
  }),
);

// Liking and replying to notes by people elsewhere (note-routes.tsx).
federationWebRoutes.route("/", noteRoutes);
// --- A member's blocks of people elsewhere (remote-blocks.ts) -------------------------------------------------

/** Where a block or unblock goes back to: `next` when it is a path on this site, else the account page. */
const backTo = (next: string | undefined) => safeNextPath(next) ?? "/account";

/**
 * A block or unblock route: `act` does it for the member and says what happened (the flash), or null when the
 * id names no remote actor (404); then back to `next`.
 */
const remoteBlockRoute = (act: (c: Context<WebEnv>, userId: number, remoteActorId: number) => Promise<string | null>) =>
  withUser(async (c, user) => {
    const id = parseId(c.req.param("id"));
    const form = await readForm(c);
    const message = id === null ? null : await act(c, user.id, id);
    if (message === null) return errorResponse(c, 404, t("federation.block.noSuchActor"));
    await flash(c, message, "success");
    return redirect(c, backTo(form.next));
  });

federationWebRoutes.post(
  "/fediverse/block/:id",
  requireLogin,
  remoteBlockRoute(async (c, userId, id) => {
    const ctx = eventContextOf(c);
    const result = await blockRemoteActor(ctx, userId, id);
    if (!result) return null;
    if (result.endedFollow) {
      const { rejectRemoteFollow } = await import("./follow-remote");
      await rejectRemoteFollow(c.env, ctx.db, ctx.config, userId, result.endedFollow);
    }
    return t(result.isNew ? "federation.block.blocked" : "federation.block.already", { handle: result.handle });
  }),
);

federationWebRoutes.post(
  "/fediverse/unblock/:id",
  requireLogin,
  remoteBlockRoute(async (c, userId, id) => {
    const handle = await unblockRemoteActor(eventContextOf(c), userId, id);
    return handle === null ? null : t("federation.block.unblocked", { handle });
  }),
);

// Every state change is a POST: a GET of these addresses changes nothing.
for (const path of [`${PAGE}/block`, `${PAGE}/unblock`, "/account/fediverse", "/fediverse/unfollow", "/fediverse/block/:id", "/fediverse/unblock/:id"]) {
  federationWebRoutes.get(path, (c) => {
    c.header("Allow", "POST");
    return errorResponse(c, 405, t("federation.useButtons"));
  });
}
