// Write side of posts and the rules about who may do what with a post.
import { eq } from "drizzle-orm";
import type { Db } from "../../db";
import { posts } from "../../db/schema";
import { renderPost } from "../../lib/markdown";
import { can, Permission } from "../../lib/permissions";
import { replaceTagsStatements, tagsOfNewPostStatement } from "./tags";

type Viewer = { id: number; permissions: number } | null;

export function canEditPost(viewer: Viewer, post: { authorId: number }): boolean {
  return !!viewer && ((viewer.id === post.authorId && can(viewer, Permission.WRITE)) || can(viewer, Permission.ADMIN));
}

export function canDeletePost(viewer: Viewer, post: { authorId: number }): boolean {
  return !!viewer && (viewer.id === post.authorId || can(viewer, Permission.MODERATE) || can(viewer, Permission.ADMIN));
}

/** Writes the post and its #hashtags in one batch. */
export async function createPost(db: Db, authorId: number, body: string, now = Date.now()): Promise<number> {
  const { html, tags } = renderPost(body);
  const [rows] = await db.batch([
    db.insert(posts).values({ authorId, body, bodyHtml: html, createdAt: now, updatedAt: now }).returning({ id: posts.id }),
    tagsOfNewPostStatement(db, authorId, tags),
  ]);
  return rows[0]!.id;
}

export async function getPost(db: Db, id: number) {
  return db.select({ id: posts.id, authorId: posts.authorId, body: posts.body }).from(posts).where(eq(posts.id, id)).get();
}

/** Rewrites the post and replaces its #hashtags in one batch. */
export async function updatePost(db: Db, id: number, body: string, now = Date.now()): Promise<void> {
  const { html, tags } = renderPost(body);
  await db.batch([db.update(posts).set({ body, bodyHtml: html, updatedAt: now }).where(eq(posts.id, id)), ...replaceTagsStatements(db, id, tags)]);
}

export async function deletePost(db: Db, id: number): Promise<boolean> {
  const deleted = await db.delete(posts).where(eq(posts.id, id)).returning({ id: posts.id });
  return deleted.length === 1;
}
