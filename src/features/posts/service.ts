// Write side of posts and the rules about who may do what with a post. Each change announces a domain
// event (post.created/updated/deleted) once it has committed.
import { eq } from "drizzle-orm";
import type { Db } from "../../db";
import { posts } from "../../db/schema";
import { type EventContext, publish } from "../../events/commit";
import { renderPostMarkdown } from "../../lib/markdown";
import { can, Permission } from "../../lib/permissions";

type Viewer = { id: number; permissions: number } | null;

export function canEditPost(viewer: Viewer, post: { authorId: number }): boolean {
  return !!viewer && ((viewer.id === post.authorId && can(viewer, Permission.WRITE)) || can(viewer, Permission.ADMIN));
}

export function canDeletePost(viewer: Viewer, post: { authorId: number }): boolean {
  return !!viewer && (viewer.id === post.authorId || can(viewer, Permission.MODERATE) || can(viewer, Permission.ADMIN));
}

export async function createPost(ctx: EventContext, authorId: number, body: string): Promise<number> {
  const [row] = await ctx.db
    .insert(posts)
    .values({ authorId, body, bodyHtml: renderPostMarkdown(body), createdAt: ctx.now, updatedAt: ctx.now })
    .returning({ id: posts.id });
  const postId = row!.id;
  await publish(ctx, [{ type: "post.created", postId, authorId }]);
  return postId;
}

export async function getPost(db: Db, id: number) {
  return db.select({ id: posts.id, authorId: posts.authorId, body: posts.body }).from(posts).where(eq(posts.id, id)).get();
}

type PostRef = { id: number; authorId: number };

/** False when the post is gone (deleted meanwhile); nothing is announced then. */
export async function updatePost(ctx: EventContext, post: PostRef, body: string): Promise<boolean> {
  const updated = await ctx.db
    .update(posts)
    .set({ body, bodyHtml: renderPostMarkdown(body), updatedAt: ctx.now })
    .where(eq(posts.id, post.id))
    .returning({ id: posts.id });
  if (updated.length === 0) return false;
  await publish(ctx, [{ type: "post.updated", postId: post.id, authorId: post.authorId }]);
  return true;
}

/** False when there was nothing to delete (a concurrent delete); only a real deletion is announced. */
export async function deletePost(ctx: EventContext, post: PostRef): Promise<boolean> {
  const deleted = await ctx.db.delete(posts).where(eq(posts.id, post.id)).returning({ id: posts.id });
  if (deleted.length === 0) return false;
  await publish(ctx, [{ type: "post.deleted", postId: post.id, authorId: post.authorId }]);
  return true;
}
