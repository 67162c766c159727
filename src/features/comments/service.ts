// Write side of comments and the rules about who may comment, moderate and delete.
import { eq } from "drizzle-orm";
import type { Db } from "../../db";
import { comments } from "../../db/schema";
import { renderCommentMarkdown } from "../../lib/markdown";
import { can, Permission } from "../../lib/permissions";
import { isForeignKeyViolation } from "../../lib/sql-errors";

type Viewer = { id: number; permissions: number } | null;

export const canComment = (viewer: Viewer) => can(viewer, Permission.COMMENT);
export const canModerate = (viewer: Viewer) => can(viewer, Permission.MODERATE);
export const canDeleteComment = (viewer: Viewer, comment: { authorId: number }) =>
  !!viewer && (viewer.id === comment.authorId || canModerate(viewer) || can(viewer, Permission.ADMIN));

/** The new comment's id; null when the post does not exist (the foreign key refuses the orphan). */
export async function addComment(db: Db, postId: number, authorId: number, body: string, now = Date.now()): Promise<number | null> {
  try {
    const [row] = await db
      .insert(comments)
      .values({ postId, authorId, body, bodyHtml: renderCommentMarkdown(body), createdAt: now })
      .returning({ id: comments.id });
    return row?.id ?? null;
  } catch (err) {
    if (isForeignKeyViolation(err)) return null;
    throw err;
  }
}

/** Returns false when the comment does not exist. */
export async function setDisabled(db: Db, id: number, disabled: boolean): Promise<boolean> {
  const rows = await db.update(comments).set({ disabled }).where(eq(comments.id, id)).returning({ id: comments.id });
  return rows.length === 1;
}

export async function deleteComment(db: Db, id: number): Promise<boolean> {
  const rows = await db.delete(comments).where(eq(comments.id, id)).returning({ id: comments.id });
  return rows.length === 1;
}
