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
//   POST /fediverse/replies/:id/edit   body         → Update(Note) of a reply the member sent; another's is 404
//   POST /fediverse/replies/:id/delete (no fields)  → Delete(Tombstone) of a reply the member sent; another's is 404
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { Db } from "../../db";
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
import { type ActionableNote, actionableNote, listNoteReplies, type SentReply, sentReply } from "./remote-notes";

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

type Found<T> = { found: T } | { refused: Response };

/**
 * What the `:id` names if the member may act on it (`lookup`), or the refusal: 404 with `notFound` when it is not
 * theirs to act on (or malformed), 422 when they left the fediverse.
 */
async function actOn<T>(
  c: Context<WebEnv>,
  userId: number,
  lookup: (db: Db, userId: number, id: number) => Promise<T | undefined>,
  notFound: string,
): Promise<Found<T>> {
  const id = parseId(c.req.param("id") ?? "");
  const db = c.get("db");
  const found = id === null ? undefined : await lookup(db, userId, id);
  if (!found) return { refused: await errorResponse(c, 404, notFound) };
  // A member who left the fediverse has no actor (410): nothing could verify what they send.
  if ((await leftFediverseAt(db, userId)) !== null) return { refused: await errorResponse(c, 422, t("federation.note.left")) };
  return { found };
}

/** A note in the member's Followed feed. */
const noteFor = (c: Context<WebEnv>, userId: number) => actOn(c, userId, actionableNote, t("federation.note.notFound"));
/** A reply the member sent. */
const replyFor = (c: Context<WebEnv>, userId: number) => actOn(c, userId, sentReply, t("federation.note.replyNotFound"));

/** The note's reply box with every reply the member sent to it: a fragment for htmx, else a page. */
async function replyBox(c: Context<WebEnv>, userId: number, note: ActionableNote, props: Partial<RemoteReplyBoxProps>, status: 200 | 422 | 429) {
  const replies = await listNoteReplies(c.get("db"), userId, note.id);
  const view = <RemoteReplyBox noteId={note.id} handle={note.handle} count={replies.length} replies={replies} {...props} />;
  return renderPage(c, { title: t("federation.note.yourReplies"), status, fragment: view }, <section class="narrow">{view}</section>);
}

function likeRoute(like: boolean) {
  return withUser(async (c, user) => {
    const target = await noteFor(c, user.id);
    if ("refused" in target) return target.refused;
    const note = target.found;
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
    const target = await noteFor(c, user.id);
    if ("refused" in target) return target.refused;
    const note = target.found;
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
    const target = await noteFor(c, user.id);
    if ("refused" in target) return target.refused;
    return replyBox(c, user.id, target.found, {}, 200);
  }),
);

/** After an edit or a delete: the box again while the note is in the member's feed, else the message and /followed. */
async function afterReplyChange(c: Context<WebEnv>, userId: number, reply: SentReply, done: "edited" | "deleted") {
  const note = await actionableNote(c.get("db"), userId, reply.noteId);
  if (isPartial(c) && note) return replyBox(c, userId, note, { done }, 200);
  await flash(c, t(`federation.note.${done}`, { handle: reply.handle }), "success");
  return redirect(c, note ? remoteNoteAction(note.id, "replies") : "/followed");
}

noteRoutes.post(
  "/fediverse/replies/:id/edit",
  requireLogin,
  requirePermission(Permission.COMMENT),
  withUser(async (c, user) => {
    const target = await replyFor(c, user.id);
    if ("refused" in target) return target.refused;
    const reply = target.found;
    const db = c.get("db");
    const raw = await readForm(c);
    const refuse = async (error: string, status: 422 | 429) => {
      const note = await actionableNote(db, user.id, reply.noteId);
      if (!note) return errorResponse(c, status, error);
      return replyBox(c, user.id, note, { editing: { id: reply.id, body: raw.body ?? "", error } }, status);
    };
    const form = validate(replySchema, raw);
    if (!form.ok) return refuse(form.errors.body ?? t("federation.note.v.empty"), 422);
    // Each edit is another delivery to every server the reply went to: the same limit as writing one.
    const limited = await takeSlot(db, c.get("config"), abuseRules.comment, userKey(user.id));
    if (limited) {
      setErrorHeaders(c, limited.headers);
      return refuse(limited.message, 429);
    }
    const { editReplyToNote } = await import("./note-actions");
    const edited = await editReplyToNote(c.env, db, c.get("config"), user.id, reply, { body: form.data.body, bodyHtml: renderCommentMarkdown(form.data.body) });
    if (!edited) return errorResponse(c, 404, t("federation.note.replyNotFound"));
    return afterReplyChange(c, user.id, reply, "edited");
  }),
);

noteRoutes.post(
  "/fediverse/replies/:id/delete",
  requireLogin,
  withUser(async (c, user) => {
    const target = await replyFor(c, user.id);
    if ("refused" in target) return target.refused;
    const reply = target.found;
    const db = c.get("db");
    const { deleteReplyToNote } = await import("./note-actions");
    await deleteReplyToNote(c.env, db, c.get("config"), user.id, reply);
    return afterReplyChange(c, user.id, reply, "deleted");
  }),
);

// Every state change is a POST: a GET of these addresses changes nothing.
const postOnly = (c: Context<WebEnv>) => {
  c.header("Allow", "POST");
  return errorResponse(c, 405, t("federation.useButtons"));
};
for (const action of ["like", "unlike", "reply"]) noteRoutes.get(`/fediverse/notes/:id/${action}`, postOnly);
for (const action of ["edit", "delete"]) noteRoutes.get(`/fediverse/replies/:id/${action}`, postOnly);
