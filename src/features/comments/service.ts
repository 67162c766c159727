// Write side of comments and the rules about who may comment, moderate and delete. Each change announces a
// domain event (comment.created/moderated/deleted) once it has committed.
import { eq } from "drizzle-orm";
import { comments } from "../../db/schema";
import { type EventContext, publish } from "../../events/commit";
import { renderCommentMarkdown } from "../../lib/markdown";
import { can, Permission } from "../../lib/permissions";
import { isForeignKeyViolation } from "../../lib/sql-errors";

type Viewer = { id: number; permissions: number } | null;

export const canComment = (viewer: Viewer) => can(viewer, Permission.COMMENT);
export const canModerate = (viewer: Viewer) => can(viewer, Permission.MODERATE);
export const canDeleteComment = (viewer: Viewer, comment: { authorId: number }) =>
  !!viewer && (viewer.id === comment.authorId || canModerate(viewer) || can(viewer, Permission.ADMIN));

/** The new comment's id; null when the post does not exist (the foreign key refuses the orphan). */
export async function addComment(ctx: EventContext, postId: number, authorId: number, body: string): Promise<number | null> {
  let commentId: number;
  try {
    const [row] = await ctx.db
      .insert(comments)
      .values({ postId, authorId, body, bodyHtml: renderCommentMarkdown(body), createdAt: ctx.now })
      .returning({ id: comments.id });
    if (!row) return null;
    commentId = row.id;
  } catch (err) {
    if (isForeignKeyViolation(err)) return null;
    throw err;
  }
  await publish(ctx, [{ type: "comment.created", commentId, postId, authorId }]);
  return commentId;
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
