// Notifications as subscribers of the domain events (src/subscribers.ts lists them). Each reaction is one
// statement (notify.ts) that selects who is told from the rows as they are now, in the batch that publish
// runs right after the change.
import { and, eq, isNull, sql } from "drizzle-orm";
import { notifications } from "../../db/schema";
import type { Subscriber } from "../../events/commit";
import { notifyStatement } from "./notify";

/** user.followed: the followed member, while the follow still exists. */
export const notifyFollowed: Subscriber<"user.followed"> = (ctx, e) => ({
  statements: [
    notifyStatement(
      ctx.db,
      "follow",
      sql`SELECT f.followed_id AS user_id, 0 AS subject_id, f.follower_id AS actor_id, NULL AS post_id, NULL AS comment_id
        FROM follows f WHERE f.follower_id = ${e.followerId} AND f.followed_id = ${e.followedId}`,
      ctx.now,
    ),
  ],
});

/** comment.created: the post's author (grouped per post). */
export const notifyPostAuthor: Subscriber<"comment.created"> = (ctx, e) => ({
  statements: [
    notifyStatement(
      ctx.db,
      "comment",
      sql`SELECT p.author_id AS user_id, p.id AS subject_id, c.author_id AS actor_id, p.id AS post_id, NULL AS comment_id
        FROM comments c JOIN posts p ON p.id = c.post_id WHERE c.id = ${e.commentId}`,
      ctx.now,
    ),
  ],
});

/**
 * comment.created: everyone else who commented on the post (grouped per post). The post's author is told
 * once, by notifyPostAuthor, not twice.
 */
export const notifyOtherCommenters: Subscriber<"comment.created"> = (ctx, e) => ({
  statements: [
    notifyStatement(
      ctx.db,
      "reply",
      sql`SELECT DISTINCT o.author_id AS user_id, p.id AS subject_id, c.author_id AS actor_id, p.id AS post_id, NULL AS comment_id
        FROM comments c JOIN posts p ON p.id = c.post_id JOIN comments o ON o.post_id = c.post_id
        WHERE c.id = ${e.commentId} AND o.author_id != p.author_id`,
      ctx.now,
    ),
  ],
});

/**
 * comment.moderated: disabling tells the comment's author (while it is still disabled); enabling it again
 * withdraws that notification if it is still unread.
 */
export const notifyModerated: Subscriber<"comment.moderated"> = (ctx, e) => ({
  statements: [
    e.disabled
      ? notifyStatement(
          ctx.db,
          "moderated",
          sql`SELECT c.author_id AS user_id, c.id AS subject_id, ${e.moderatorId} AS actor_id, c.post_id AS post_id, c.id AS comment_id
            FROM comments c WHERE c.id = ${e.commentId} AND c.disabled = 1`,
          ctx.now,
        )
      : ctx.db.delete(notifications).where(and(eq(notifications.commentId, e.commentId), eq(notifications.kind, "moderated"), isNull(notifications.readAt))),
  ],
});
