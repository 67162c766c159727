// Write side of posts and the rules about who may do what with a post. Each change announces a domain
// event (post.created/updated/deleted) once it has committed.
import { eq } from "drizzle-orm";
import type { Db } from "../../db";
import { posts } from "../../db/schema";
import { type EventContext, publish } from "../../events/commit";
import { renderPost } from "../../lib/markdown";
import { can, Permission } from "../../lib/permissions";
import { deleteTagsStatement, replaceTagsStatements, tagsOfNewPostStatement } from "./tags";

type Viewer = { id: number; permissions: number } | null;

export function canEditPost(viewer: Viewer, post: { authorId: number }): boolean {
  return !!viewer && ((viewer.id === post.authorId && can(viewer, Permission.WRITE)) || can(viewer, Permission.ADMIN));
}

export function canDeletePost(viewer: Viewer, post: { authorId: number }): boolean {
  return !!viewer && (viewer.id === post.authorId || can(viewer, Permission.MODERATE) || can(viewer, Permission.ADMIN));
}

/** Writes the post and its #hashtags in one batch, then announces it. */
export async function createPost(ctx: EventContext, authorId: number, body: string): Promise<number> {
  const { db, now } = ctx;
  const { html, tags, mentions } = renderPost(body);
  const [rows] = await db.batch([
    db.insert(posts).values({ authorId, body, bodyHtml: html, createdAt: now, updatedAt: now }).returning({ id: posts.id }),
    tagsOfNewPostStatement(db, authorId, tags),
  ]);
  const postId = rows[0]!.id;
  await publish(ctx, [{ type: "post.created", postId, authorId, mentions, tags }]);
  return postId;
}

export async function getPost(db: Db, id: number) {
  return db.select({ id: posts.id, authorId: posts.authorId, body: posts.body }).from(posts).where(eq(posts.id, id)).get();
}

type PostRef = { id: number; authorId: number };

/** Rewrites the post and replaces its #hashtags in one batch; false (and nothing announced) when it is gone. */
export async function updatePost(ctx: EventContext, post: PostRef, body: string): Promise<boolean> {
  const { db, now } = ctx;
  const { html, tags, mentions } = renderPost(body);
  const [updated, oldTags] = await db.batch([
    db.update(posts).set({ body, bodyHtml: html, updatedAt: now }).where(eq(posts.id, post.id)).returning({ id: posts.id }),
    ...replaceTagsStatements(db, post.id, tags),
  ]);
  if (updated.length === 0) return false;
  const changedTags = [...new Set([...oldTags.map((t) => t.tag), ...tags])];
  await publish(ctx, [{ type: "post.updated", postId: post.id, authorId: post.authorId, mentions, tags: changedTags }]);
  return true;
}

/** False when there was nothing to delete (a concurrent delete); only a real deletion is announced. */
export async function deletePost(ctx: EventContext, post: PostRef): Promise<boolean> {
  const { db } = ctx;
  // The tags go first, explicitly rather than by the cascade, so the batch can say which tag pages change.
  const [oldTags, deleted] = await db.batch([deleteTagsStatement(db, post.id), db.delete(posts).where(eq(posts.id, post.id)).returning({ id: posts.id })]);
  if (deleted.length === 0) return false;
  await publish(ctx, [{ type: "post.deleted", postId: post.id, authorId: post.authorId, tags: oldTags.map((t) => t.tag) }]);
  return true;
}
