// Liking and replying to notes by people elsewhere, from the Followed feed (issue 13, outbound). Cookie session
// and CSRF like every web form; thin handlers over remote-notes.ts (D1) and note-actions.ts (the deliveries,
// loaded on first use). A note outside the member's Followed feed (someone else's follow, an unfollowed or
// blocked author, no such note) is 404. Without JavaScript each POST redirects back to the feed; htmx gets the
// new button or reply box in place.
//
//   POST /fediverse/notes/:id/like     (no fields)  → Like, once
//   POST /fediverse/notes/:id/unlike   (no fields)  → Undo(Like), when liked
//   POST /fediverse/notes/:id/reply    body         → Create(Note) inReplyTo the note (Markdown, as a comment)
//   GET  /fediverse/notes/:id/replies                → the reply box with the member's replies, each editable and deletable
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
  const title = t("federation.note.yourRepliesTo", { handle: note.handle });
  const page = (
    <section class="narrow">
      <h1>{title}</h1>
      {view}
      <p>
        <a href={backTo(note.id)}>{t("federation.note.backToFeed")}</a>
      </p>
    </section>
  );
  return renderPage(c, { title, status, fragment: view }, page);
}

type CheckedReply = { text: { body: string; bodyHtml: string } } | { error: string; status: 422 | 429 };

/**
 * The form's reply text, rendered, or why not: 422 (empty, too long) or 429 (the comments' rate limit, its headers
 * set). A reply and an edit of one alike: each is a comment on someone else's server, delivered to every server
 * the reply goes to.
 */
async function replyText(c: Context<WebEnv>, userId: number, raw: Record<string, string>): Promise<CheckedReply> {
  const form = validate(replySchema, raw);
  if (!form.ok) return { error: form.errors.body ?? t("federation.note.v.empty"), status: 422 };
  const limited = await takeSlot(c.get("db"), c.get("config"), abuseRules.comment, userKey(userId));
  if (limited) {
    setErrorHeaders(c, limited.headers);
    return { error: limited.message, status: 429 };
  }
  return { text: { body: form.data.body, bodyHtml: renderCommentMarkdown(form.data.body) } };
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
    const raw = await readForm(c);
    const box = (props: Partial<RemoteReplyBoxProps>, status: 200 | 422 | 429) => replyBox(c, user.id, note, props, status);
    const checked = await replyText(c, user.id, raw);
    if ("error" in checked) return box({ body: raw.body, error: checked.error }, checked.status);
    const { replyToNote } = await import("./note-actions");
    await replyToNote(c.env, c.get("db"), c.get("config"), user.id, note, checked.text);
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
    const checked = await replyText(c, user.id, raw);
    if ("error" in checked) {
      // That reply's form again with the text and the reason, while the note's box can be shown.
      const note = await actionableNote(db, user.id, reply.noteId);
      if (!note) return errorResponse(c, checked.status, checked.error);
      return replyBox(c, user.id, note, { editing: { id: reply.id, body: raw.body ?? "", error: checked.error } }, checked.status);
    }
    const { editReplyToNote } = await import("./note-actions");
    const edited = await editReplyToNote(c.env, db, c.get("config"), user.id, reply, checked.text);
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
