// Notifications as subscribers of the domain events (src/subscribers.ts lists them). Each reaction is one
// statement (notify.ts) that selects who is told from the rows as they are now, in the batch that publish
// runs right after the change.
import { and, eq, isNull, sql } from "drizzle-orm";
import { notificationActors, notifications } from "../../db/schema";
import type { EventContext, Reaction, Subscriber } from "../../events/commit";
import type { EventOf } from "../../events/types";
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

/** post.liked: the post's author, while the like still exists (grouped per post; one's own like tells nobody). */
export const notifyLiked: Subscriber<"post.liked"> = (ctx, e) => ({
  statements: [
    notifyStatement(
      ctx.db,
      "like",
      sql`SELECT p.author_id AS user_id, p.id AS subject_id, l.user_id AS actor_id, p.id AS post_id, NULL AS comment_id
        FROM post_likes l JOIN posts p ON p.id = l.post_id WHERE l.post_id = ${e.postId} AND l.user_id = ${e.userId}`,
      ctx.now,
    ),
  ],
});

/**
 * post.created / post.updated: each existing member the post mentions (usernames match case-insensitively, on
 * the lower(username) index), once per post: a member already told about this post, read or not, is not told
 * again, so an edit tells only the newly mentioned. The names travel as one JSON parameter (json_each), so
 * any number of mentions is one bound value.
 */
export const notifyMentioned = (ctx: EventContext, e: EventOf<"post.created" | "post.updated">): Reaction => {
  if (e.mentions.length === 0) return {};
  return {
    statements: [
      notifyStatement(
        ctx.db,
        "mention",
        sql`SELECT u.id AS user_id, p.id AS subject_id, p.author_id AS actor_id, p.id AS post_id, NULL AS comment_id
          FROM posts p JOIN users u ON lower(u.username) IN (SELECT lower(value) FROM json_each(${JSON.stringify(e.mentions)}))
          WHERE p.id = ${e.postId}
            AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = u.id AND n.kind = 'mention' AND n.subject_id = p.id)`,
        ctx.now,
      ),
    ],
  };
};

/**
 * user.blocked: the blocker's notifications about the blocked member go, in the block's own batch: those
 * where they are the latest actor, and their place in other groups ("and 3 others" counts one fewer).
 */
export const hideBlocked: Subscriber<"user.blocked"> = (ctx, e) => ({
  statements: [
    ctx.db.delete(notifications).where(and(eq(notifications.userId, e.blockerId), eq(notifications.actorId, e.blockedId))),
    ctx.db
      .delete(notificationActors)
      .where(
        and(
          eq(notificationActors.actorId, e.blockedId),
          sql`${notificationActors.notificationId} IN (SELECT id FROM notifications WHERE user_id = ${e.blockerId})`,
        ),
      ),
  ],
});
