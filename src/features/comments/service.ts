// Write side of comments and the rules about who may comment, moderate and delete.
import { eq } from "drizzle-orm";
import type { Db } from "../../db";
import { comments } from "../../db/schema";
import { renderCommentMarkdown } from "../../lib/markdown";
import { can, Permission } from "../../lib/permissions";

type Viewer = { id: number; permissions: number } | null;

export const canComment = (viewer: Viewer) => can(viewer, Permission.COMMENT);
export const canModerate = (viewer: Viewer) => can(viewer, Permission.MODERATE);
export const canDeleteComment = (viewer: Viewer, comment: { authorId: number }) =>
  !!viewer && (viewer.id === comment.authorId || canModerate(viewer) || can(viewer, Permission.ADMIN));

export async function addComment(db: Db, postId: number, authorId: number, body: string, now = Date.now()): Promise<number> {
  const [row] = await db
    .insert(comments)
    .values({ postId, authorId, body, bodyHtml: renderCommentMarkdown(body), createdAt: now })
    .returning({ id: comments.id });
  return row!.id;
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
