// Notifications as subscribers of the domain events (src/subscribers.ts lists them). Each reaction is one
// statement (notify.ts) that selects who is told from the rows as they are now, in the batch that publish
// runs right after the change.
import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import { notificationActors, notifications } from "../../db/schema";
import type { EventContext, Reaction, Subscriber } from "../../events/commit";
import type { EventOf, EventType } from "../../events/types";
import type { NotificationKind } from "./kinds";
import { LOCAL_ACTOR, notifyStatement } from "./notify";

/** A subscriber that tells, as `kind`, whoever `select` names for the event (the columns notifyStatement reads). */
const notifyWhom =
  <T extends EventType>(kind: NotificationKind, select: (e: EventOf<T>) => SQL): Subscriber<T> =>
  (ctx, e) => ({ statements: [notifyStatement(ctx.db, kind, select(e), ctx.now)] });

/** user.followed: the followed member, while the follow still exists. */
export const notifyFollowed = notifyWhom<"user.followed">(
  "follow",
  (e) =>
    sql`SELECT f.followed_id AS user_id, 0 AS subject_id, f.follower_id AS actor_id, NULL AS post_id, NULL AS comment_id, ${LOCAL_ACTOR}
      FROM follows f WHERE f.follower_id = ${e.followerId} AND f.followed_id = ${e.followedId}`,
);

/** A comment's author: a member, or (a reply from another server) a remote actor; nothing to link to beyond the post. */
const COMMENT_AUTHOR = sql`c.author_id AS actor_id, c.remote_actor_id AS remote_actor_id, NULL AS url`;

/** comment.created: the post's author (grouped per post), whether the comment is a member's or a remote reply. */
export const notifyPostAuthor = notifyWhom<"comment.created">(
  "comment",
  (e) =>
    sql`SELECT p.author_id AS user_id, p.id AS subject_id, ${COMMENT_AUTHOR}, p.id AS post_id, NULL AS comment_id
      FROM comments c JOIN posts p ON p.id = c.post_id WHERE c.id = ${e.commentId}`,
);

/**
 * comment.created: everyone else who commented on the post (grouped per post). The post's author is told
 * once, by notifyPostAuthor, not twice.
 */
export const notifyOtherCommenters = notifyWhom<"comment.created">(
  "reply",
  (e) =>
    sql`SELECT DISTINCT o.author_id AS user_id, p.id AS subject_id, ${COMMENT_AUTHOR}, p.id AS post_id, NULL AS comment_id
      FROM comments c JOIN posts p ON p.id = c.post_id JOIN comments o ON o.post_id = c.post_id
      WHERE c.id = ${e.commentId} AND o.author_id != p.author_id`,
);

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
          sql`SELECT c.author_id AS user_id, c.id AS subject_id, ${e.moderatorId} AS actor_id, c.post_id AS post_id, c.id AS comment_id, ${LOCAL_ACTOR}
            FROM comments c WHERE c.id = ${e.commentId} AND c.disabled = 1`,
          ctx.now,
        )
      : ctx.db.delete(notifications).where(and(eq(notifications.commentId, e.commentId), eq(notifications.kind, "moderated"), isNull(notifications.readAt))),
  ],
});

/** post.liked: the post's author, while the like still exists (grouped per post; one's own like tells nobody). */
export const notifyLiked = notifyWhom<"post.liked">(
  "like",
  (e) =>
    sql`SELECT p.author_id AS user_id, p.id AS subject_id, l.user_id AS actor_id, p.id AS post_id, NULL AS comment_id, ${LOCAL_ACTOR}
      FROM post_likes l JOIN posts p ON p.id = l.post_id WHERE l.post_id = ${e.postId} AND l.user_id = ${e.userId}`,
);

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
        sql`SELECT u.id AS user_id, p.id AS subject_id, p.author_id AS actor_id, p.id AS post_id, NULL AS comment_id, ${LOCAL_ACTOR}
          FROM posts p JOIN users u ON lower(u.username) IN (SELECT lower(value) FROM json_each(${JSON.stringify(e.mentions)}))
          WHERE p.id = ${e.postId}
            AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = u.id AND n.kind = 'mention' AND n.subject_id = p.id)`,
        ctx.now,
      ),
    ],
  };
};

// --- From other servers (issue 13): the same kinds, with a remote actor (remote_actor_id) as the actor ----------

/** The columns naming remote actor `id` as the actor (no member). */
const remoteActor = (id: number, url: string | null = null) => sql`NULL AS actor_id, ${id} AS remote_actor_id, ${url} AS url`;

/** remote.followed: the followed member, while the remote follow still exists (grouped with local follows). */
export const notifyRemoteFollowed = notifyWhom<"remote.followed">(
  "follow",
  (e) =>
    sql`SELECT f.user_id AS user_id, 0 AS subject_id, ${remoteActor(e.remoteActorId)}, NULL AS post_id, NULL AS comment_id
      FROM remote_followers f WHERE f.user_id = ${e.userId} AND f.remote_actor_id = ${e.remoteActorId}`,
);

/** remote.reacted: the post's author, while the like or boost still exists (grouped per post, with local likes). */
export const notifyRemoteReacted: Subscriber<"remote.reacted"> = (ctx, e) => ({
  statements: [
    notifyStatement(
      ctx.db,
      e.kind === "like" ? "like" : "boost",
      sql`SELECT p.author_id AS user_id, p.id AS subject_id, ${remoteActor(e.remoteActorId)}, p.id AS post_id, NULL AS comment_id
        FROM remote_reactions r JOIN posts p ON p.id = r.post_id
        WHERE r.post_id = ${e.postId} AND r.remote_actor_id = ${e.remoteActorId} AND r.kind = ${e.kind}`,
      ctx.now,
    ),
  ],
});

/**
 * remote.mentioned: each named member (confirmed, in the fediverse), linking to the note on its server. A remote note is no post
 * here, so unread remote mentions group together (subject 0): "@bob@example and 1 other mentioned you".
 */
export const notifyRemoteMentioned = notifyWhom<"remote.mentioned">(
  "mention",
  (e) =>
    sql`SELECT u.id AS user_id, 0 AS subject_id, ${remoteActor(e.remoteActorId, e.url)}, NULL AS post_id, NULL AS comment_id
      FROM users u WHERE u.id IN (SELECT value FROM json_each(${JSON.stringify(e.userIds)})) AND u.confirmed = 1 AND u.left_fediverse_at IS NULL
        AND EXISTS (SELECT 1 FROM remote_actors a WHERE a.id = ${e.remoteActorId})`,
);

/**
 * The member's notifications about one actor go, in one batch right after a block: those where the actor is
 * the latest, and the actor's place in the member's other groups ("and 3 others" counts one fewer). `actor`
 * picks the column pair: a member (actor_id) or someone on another server (remote_actor_id).
 */
function hideActor(ctx: EventContext, userId: number, actor: { member: number } | { remote: number }): Reaction {
  const [latest, among] =
    "member" in actor
      ? [eq(notifications.actorId, actor.member), eq(notificationActors.actorId, actor.member)]
      : [eq(notifications.remoteActorId, actor.remote), eq(notificationActors.remoteActorId, actor.remote)];
  return {
    statements: [
      ctx.db.delete(notifications).where(and(eq(notifications.userId, userId), latest)),
      ctx.db
        .delete(notificationActors)
        .where(and(among, sql`${notificationActors.notificationId} IN (SELECT id FROM notifications WHERE user_id = ${userId})`)),
    ],
  };
}

/** user.blocked: the blocker's notifications about the blocked member go. */
export const hideBlocked: Subscriber<"user.blocked"> = (ctx, e) => hideActor(ctx, e.blockerId, { member: e.blockedId });

/** remote.blocked: the member's notifications about that remote actor go (their follow ended in the block's write). */
export const hideRemoteBlocked: Subscriber<"remote.blocked"> = (ctx, e) => hideActor(ctx, e.userId, { remote: e.remoteActorId });
