// Write side of comments and the rules about who may comment, moderate and delete. Each change announces a
// domain event (comment.created/moderated/deleted) once it has committed.
import { eq, sql } from "drizzle-orm";
import { blockedBySql, remoteBlockedBySql } from "../../db/blocks";
import { insertWhere } from "../../db/insert-where";
import { comments, posts } from "../../db/schema";
import { type EventContext, publish } from "../../events/commit";
import { renderCommentMarkdown } from "../../lib/markdown";
import { can, Permission } from "../../lib/permissions";

type Viewer = { id: number; permissions: number } | null;

export const canComment = (viewer: Viewer) => can(viewer, Permission.COMMENT);
export const canModerate = (viewer: Viewer) => can(viewer, Permission.MODERATE);
export const canDeleteComment = (viewer: Viewer, comment: { authorId: number | null }) =>
  !!viewer && (viewer.id === comment.authorId || canModerate(viewer) || can(viewer, Permission.ADMIN));

export type AddCommentResult = { ok: true; id: number } | { ok: false; reason: "no-post" | "blocked" };

/** What a refused comment tells its writer: neutral, so a block says no more than this (features/blocks). */
export const COMMENT_BLOCKED = "You can't comment on this member's posts.";

/**
 * Adds the comment unless the post is gone or its author has blocked the writer: both rules sit in the
 * INSERT … SELECT's own WHERE, and the post's existence is read in the same batch to tell the two apart.
 */
export async function addComment(ctx: EventContext, postId: number, authorId: number, body: string): Promise<AddCommentResult> {
  const { db } = ctx;
  const allowed = sql`${posts.id} = ${postId} AND NOT ${blockedBySql(sql`${posts.authorId}`, sql`${authorId}`)}`;
  const [inserted, post] = await db.batch([
    insertWhere(db, comments, { postId, authorId, body, bodyHtml: renderCommentMarkdown(body), createdAt: ctx.now, disabled: false }, posts, allowed).returning(
      {
        id: comments.id,
      },
    ),
    db.select({ id: posts.id }).from(posts).where(eq(posts.id, postId)),
  ]);
  const row = inserted[0];
  if (!row) return { ok: false, reason: post.length === 0 ? "no-post" : "blocked" };
  await publish(ctx, [{ type: "comment.created", commentId: row.id, postId, authorId }]);
  return { ok: true, id: row.id };
}

// --- Replies from other servers (features/federation, issue 13) -----------------------------------------------

/** A reply to one of our posts from another server: its author (a remote_actors id), its Note's id and its text. */
export type RemoteReply = { postId: number; remoteActorId: number; noteUri: string; body: string; bodyHtml: string };

/**
 * Adds a reply from another server as a comment by its remote author, once per Note id (the unique note_uri:
 * a duplicate delivery adds nothing) and only while the post exists; announces comment.created like a local
 * comment. Returns the new comment's id, or null when nothing was added.
 */
export async function addRemoteComment(ctx: EventContext, reply: RemoteReply): Promise<number | null> {
  const { postId } = reply;
  const values = { ...reply, createdAt: ctx.now, disabled: false };
  // A remote actor the post's author blocked is dropped (features/blocks, issue 13), in the same WHERE.
  const allowed = sql`${posts.id} = ${postId} AND NOT ${remoteBlockedBySql(sql`${posts.authorId}`, sql`${reply.remoteActorId}`)}`;
  const [row] = await insertWhere(ctx.db, comments, values, posts, allowed).onConflictDoNothing({ target: comments.noteUri }).returning({ id: comments.id });
  if (!row) return null;
  await publish(ctx, [{ type: "comment.created", commentId: row.id, postId, authorId: null }]);
  return row.id;
}

/** The remote reply named by its Note id, only when `actorUri` wrote it (an Update or Delete by anyone else does nothing). */
const remoteReplyOf = (noteUri: string, actorUri: string) =>
  sql`${comments.noteUri} = ${noteUri} AND ${comments.remoteActorId} = (SELECT id FROM remote_actors WHERE uri = ${actorUri})`;

/** An Update of the Note: its new text. Returns false when it is not that actor's reply here. */
export async function updateRemoteComment(ctx: EventContext, noteUri: string, actorUri: string, text: { body: string; bodyHtml: string }): Promise<boolean> {
  const rows = await ctx.db.update(comments).set(text).where(remoteReplyOf(noteUri, actorUri)).returning({ id: comments.id });
  return rows.length > 0;
}

/**
 * A Delete of the Note (`noteUri`), or of the remote actor itself (null: every reply of theirs): the comments go,
 * each announcing comment.deleted. Returns false when there was none of that actor's here.
 */
export async function deleteRemoteComments(ctx: EventContext, actorUri: string, noteUri: string | null): Promise<boolean> {
  const where = noteUri === null ? sql`${comments.remoteActorId} = (SELECT id FROM remote_actors WHERE uri = ${actorUri})` : remoteReplyOf(noteUri, actorUri);
  const rows = await ctx.db.delete(comments).where(where).returning({ id: comments.id, postId: comments.postId });
  await publish(
    ctx,
    rows.map((r) => ({ type: "comment.deleted", commentId: r.id, postId: r.postId })),
  );
  return rows.length > 0;
}

/** Returns false when the comment does not exist. */
export async function setDisabled(ctx: EventContext, id: number, disabled: boolean, moderatorId: number): Promise<boolean> {
  const rows = await ctx.db.update(comments).set({ disabled }).where(eq(comments.id, id)).returning({ id: comments.id });
  if (rows.length === 0) return false;
  await publish(ctx, [{ type: "comment.moderated", commentId: id, disabled, moderatorId }]);
  return true;
}

/** Returns false when there was nothing to delete. */
export async function deleteComment(ctx: EventContext, id: number): Promise<boolean> {
  const rows = await ctx.db.delete(comments).where(eq(comments.id, id)).returning({ id: comments.id, postId: comments.postId });
  const deleted = rows[0];
  if (!deleted) return false;
  await publish(ctx, [{ type: "comment.deleted", commentId: id, postId: deleted.postId }]);
  return true;
}
