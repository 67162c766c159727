// Liking and replying to notes by people elsewhere, from the Followed feed (issue 13, outbound). Cookie session
// and CSRF like every web form; thin handlers over remote-notes.ts (D1) and note-actions.ts (the deliveries,
// loaded on first use). A note outside the member's Followed feed (someone else's follow, an unfollowed or
// blocked author, no such note) is 404. Without JavaScript each POST redirects back to the feed; htmx gets the
// new button or reply box in place.
//
//   POST /fediverse/notes/:id/like     (no fields)  → Like, once
//   POST /fediverse/notes/:id/unlike   (no fields)  → Undo(Like), when liked
//   POST /fediverse/notes/:id/reply    body         → Create(Note) inReplyTo the note (Markdown, as a comment)
//   GET  /fediverse/notes/:id/replies                → the reply box with the member's replies, each deletable
//   POST /fediverse/replies/:id/delete (no fields)  → Delete(Tombstone) of a reply the member sent; another's is 404
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { REMOTE_FEED_ID_OFFSET } from "../../db/remote-posts";
import type { WebEnv } from "../../env";
import { t } from "../../i18n";
import { abuseRules, takeSlot, userKey } from "../../lib/abuse";
import { validate } from "../../lib/forms";
import { parseId } from "../../lib/ids";
import { MAX_COMMENT_LENGTH, renderCommentMarkdown } from "../../lib/markdown";
import { Permission } from "../../lib/permissions";
import { errorResponse, setErrorHeaders } from "../../middleware/errors";
import { readForm } from "../../middleware/form-body";
import { requireLogin, requirePermission, withUser } from "../../middleware/permissions";
import { flash } from "../../views/flash";
import { RemoteLikeButton, RemoteReplyBox, type RemoteReplyBoxProps, remoteNoteAction } from "../../views/remote-note";
import { isPartial, redirect, renderPage } from "../../views/render";
import { leftFediverseAt } from "./queries";
import { type ActionableNote, actionableNote, listNoteReplies, sentReply } from "./remote-notes";

export const noteRoutes = new Hono<WebEnv>();

/** A reply has a comment's limits (it is a comment on someone else's server): Markdown, 1 to 1,000 characters. */
const replySchema = z.object({
  body: z
    .string()
    .refine((s) => s.trim().length > 0, { error: () => t("federation.note.v.empty") })
    .refine((s) => s.length <= MAX_COMMENT_LENGTH, { error: () => t("federation.note.v.tooLong", { max: MAX_COMMENT_LENGTH }) }),
});

/** Back to the note in the Followed feed (its feed id is offset like every remote row: db/remote-posts.ts). */
const backTo = (noteId: number) => `/followed#remote-post-${noteId + REMOTE_FEED_ID_OFFSET}`;

type Found = { note: ActionableNote } | { refused: Response };

/** The note the member may act on, or the refusal: 404 when it is not in their feed, 422 when they left the fediverse. */
async function noteFor(c: Context<WebEnv>, userId: number): Promise<Found> {
  const id = parseId(c.req.param("id") ?? "");
  const db = c.get("db");
  const note = id === null ? undefined : await actionableNote(db, userId, id);
  if (!note) return { refused: await errorResponse(c, 404, t("federation.note.notFound")) };
  // A member who left the fediverse has no actor (410): nothing could verify what they send.
  if ((await leftFediverseAt(db, userId)) !== null) return { refused: await errorResponse(c, 422, t("federation.note.left")) };
  return { note };
}

/** The note's reply box with every reply the member sent to it: a fragment for htmx, else a page. */
async function replyBox(c: Context<WebEnv>, userId: number, note: ActionableNote, props: Partial<RemoteReplyBoxProps>, status: 200 | 422 | 429) {
  const replies = await listNoteReplies(c.get("db"), userId, note.id);
  const view = <RemoteReplyBox noteId={note.id} handle={note.handle} count={replies.length} replies={replies} {...props} />;
  return renderPage(c, { title: t("federation.note.yourReplies"), status, fragment: view }, <section class="narrow">{view}</section>);
}

function likeRoute(like: boolean) {
  return withUser(async (c, user) => {
    const found = await noteFor(c, user.id);
    if ("refused" in found) return found.refused;
    const { note } = found;
    const actions = await import("./note-actions");
    await (like ? actions.likeNote : actions.unlikeNote)(c.env, c.get("db"), c.get("config"), user.id, note);
    if (isPartial(c)) return c.html(<RemoteLikeButton noteId={note.id} liked={like} handle={note.handle} />);
    await flash(c, t(like ? "federation.note.flash.liked" : "federation.note.flash.unliked", { handle: note.handle }), "success");
    return redirect(c, backTo(note.id));
  });
}

noteRoutes.post("/fediverse/notes/:id/like", requireLogin, likeRoute(true));
noteRoutes.post("/fediverse/notes/:id/unlike", requireLogin, likeRoute(false));

noteRoutes.post(
  "/fediverse/notes/:id/reply",
  requireLogin,
  requirePermission(Permission.COMMENT),
  withUser(async (c, user) => {
    const found = await noteFor(c, user.id);
    if ("refused" in found) return found.refused;
    const { note } = found;
    const db = c.get("db");
    const raw = await readForm(c);
    const box = (props: Partial<RemoteReplyBoxProps>, status: 200 | 422 | 429) => replyBox(c, user.id, note, props, status);
    const form = validate(replySchema, raw);
    if (!form.ok) return box({ body: raw.body, error: form.errors.body ?? t("federation.note.v.empty") }, 422);
    // The same limit as comments: a reply is a comment on someone else's server.
    const limited = await takeSlot(db, c.get("config"), abuseRules.comment, userKey(user.id));
    if (limited) {
      setErrorHeaders(c, limited.headers);
      return box({ body: raw.body, error: limited.message }, 429);
    }
    const { replyToNote } = await import("./note-actions");
    await replyToNote(c.env, db, c.get("config"), user.id, note, { body: form.data.body, bodyHtml: renderCommentMarkdown(form.data.body) });
    if (isPartial(c)) return box({ sent: true }, 200);
    await flash(c, t("federation.note.sent", { handle: note.handle }), "success");
    return redirect(c, backTo(note.id));
  }),
);

noteRoutes.get(
  "/fediverse/notes/:id/replies",
  requireLogin,
  withUser(async (c, user) => {
    const found = await noteFor(c, user.id);
    if ("refused" in found) return found.refused;
    return replyBox(c, user.id, found.note, {}, 200);
  }),
);

noteRoutes.post(
  "/fediverse/replies/:id/delete",
  requireLogin,
  withUser(async (c, user) => {
    const id = parseId(c.req.param("id") ?? "");
    const db = c.get("db");
    const reply = id === null ? undefined : await sentReply(db, user.id, id);
    if (!reply) return errorResponse(c, 404, t("federation.note.replyNotFound"));
    if ((await leftFediverseAt(db, user.id)) !== null) return errorResponse(c, 422, t("federation.note.left"));
    const { deleteReplyToNote } = await import("./note-actions");
    await deleteReplyToNote(c.env, db, c.get("config"), user.id, reply);
    // The box again when the note is still in the member's feed; after an unfollow only the message.
    const note = await actionableNote(db, user.id, reply.noteId);
    if (isPartial(c) && note) return replyBox(c, user.id, note, { deleted: true }, 200);
    await flash(c, t("federation.note.deleted", { handle: reply.handle }), "success");
    return redirect(c, note ? remoteNoteAction(note.id, "replies") : "/followed");
  }),
);

// Every state change is a POST: a GET of these addresses changes nothing.
const postOnly = (c: Context<WebEnv>) => {
  c.header("Allow", "POST");
  return errorResponse(c, 405, t("federation.useButtons"));
};
for (const action of ["like", "unlike", "reply"]) noteRoutes.get(`/fediverse/notes/:id/${action}`, postOnly);
noteRoutes.get("/fediverse/replies/:id/delete", postOnly);
