// Likes: one row per (post, person) in post_likes; posts.like_count is kept by triggers (migrations/0008).
// A like or unlike is one batch: the change (idempotent: liking twice is one like) and the new state read
// back, so the button shows the truth even when two tabs race. A like that was really added (its insert
// returned a row) is announced as post.liked, so the web and the API notify alike. A block either way between
// the liker and the post's author refuses a like (as a comment is refused); an unlike is always allowed.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { blockedEitherWaySql } from "../../db/blocks";
import { postLikes, posts } from "../../db/schema";
import { type EventContext, publish } from "../../events/commit";

/** What a refused like tells its writer (the API's message; the web's is posts.likeBlocked): neutral, as for comments. */
export const LIKE_BLOCKED = "You can't like this member's posts.";

/** `blocked`: the post's author and the member blocked one another (either way), so a like was refused. */
export type LikeState = { likeCount: number; liked: boolean; blocked: boolean };

/** Likes (`like` true) or unlikes a post; null when the post does not exist. */
export async function setLike(ctx: EventContext, postId: number, userId: number, like: boolean): Promise<LikeState | null> {
  const { db, now } = ctx;
  // RETURNING yields a row only for a like that was added (an ignored conflict returns nothing); a block
  // either way selects no post, so nothing is inserted (a block and a like racing cannot both win).
  const blocked = blockedEitherWaySql(sql`posts.author_id`, sql`${userId}`);
  const change = like
    ? db
        .insert(postLikes)
        .select(sql`SELECT id, ${userId}, ${now} FROM posts WHERE id = ${postId} AND NOT ${blocked}`)
        .onConflictDoNothing()
        .returning({ postId: postLikes.postId })
    : db
        .delete(postLikes)
        .where(and(eq(postLikes.postId, postId), eq(postLikes.userId, userId)))
        .returning({ postId: postLikes.postId });
  const [changed, rows] = await db.batch([
    change,
    db
      .select({
        likeCount: posts.likeCount,
        liked: sql<number>`EXISTS (SELECT 1 FROM post_likes WHERE post_id = ${postId} AND user_id = ${userId})`,
        blocked: sql<number>`${blocked}`,
      })
      .from(posts)
      .where(eq(posts.id, postId)),
  ]);
  if (like && changed.length > 0) await publish(ctx, [{ type: "post.liked", postId, userId }]);
  const row = rows[0];
  return row ? { likeCount: row.likeCount, liked: !!row.liked, blocked: !!row.blocked } : null;
}

export type Liker = { username: string; name: string | null; likedAt: number };

/** Correlated: whether `viewerId` liked post `postId` (NULL for anonymous viewers), for list SELECTs. */
export const likedSql = (postId: ReturnType<typeof sql>, viewerId: number | null) =>
  viewerId === null ? sql`NULL` : sql`EXISTS (SELECT 1 FROM post_likes WHERE post_id = ${postId} AND user_id = ${viewerId})`;

/** The newest `limit` people who liked a post (post_likes_post_created index). */
export function listLikers(db: Db, postId: number, limit: number): Promise<Liker[]> {
  return db.all<Liker>(sql`SELECT u.username, u.name, l.created_at AS likedAt
    FROM post_likes l JOIN users u ON u.id = l.user_id WHERE l.post_id = ${postId} ORDER BY l.created_at DESC, l.user_id DESC LIMIT ${limit}`);
}
