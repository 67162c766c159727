// Write side of posts and the rules about who may do what with a post.
import { eq } from "drizzle-orm";
import type { Db } from "../../db";
import { posts } from "../../db/schema";
import { renderPostMarkdown } from "../../lib/markdown";
import { can, Permission } from "../../lib/permissions";

type Viewer = { id: number; permissions: number } | null;

export function canEditPost(viewer: Viewer, post: { authorId: number }): boolean {
  return !!viewer && ((viewer.id === post.authorId && can(viewer, Permission.WRITE)) || can(viewer, Permission.ADMIN));
}

export function canDeletePost(viewer: Viewer, post: { authorId: number }): boolean {
  return !!viewer && (viewer.id === post.authorId || can(viewer, Permission.MODERATE) || can(viewer, Permission.ADMIN));
}

export async function createPost(db: Db, authorId: number, body: string, now = Date.now()): Promise<number> {
  const [row] = await db
    .insert(posts)
    .values({ authorId, body, bodyHtml: renderPostMarkdown(body), createdAt: now, updatedAt: now })
    .returning({ id: posts.id });
  return row!.id;
}

export async function getPost(db: Db, id: number) {
  return db.select({ id: posts.id, authorId: posts.authorId, body: posts.body }).from(posts).where(eq(posts.id, id)).get();
}

export async function updatePost(db: Db, id: number, body: string, now = Date.now()): Promise<void> {
  await db
    .update(posts)
    .set({ body, bodyHtml: renderPostMarkdown(body), updatedAt: now })
    .where(eq(posts.id, id));
}

export async function deletePost(db: Db, id: number): Promise<boolean> {
  const deleted = await db.delete(posts).where(eq(posts.id, id)).returning({ id: posts.id });
  return deleted.length === 1;
}
