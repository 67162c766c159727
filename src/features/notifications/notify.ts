// The one statement every notification is written with: the subscribers give the SELECT of who is told
// about what; this adds the rules every kind shares, so no subscriber can forget them.
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { blockedBySql, remoteBlockedBySql } from "../../db/blocks";
import { notifications } from "../../db/schema";
import type { NotificationKind } from "./kinds";

/** The columns a subscriber selects that name no remote actor and no remote link (every local kind's). */
export const LOCAL_ACTOR = sql`NULL AS remote_actor_id, NULL AS url`;

/**
 * INSERT … SELECT of one kind. `from` selects `user_id` (who is told), `subject_id` (what groups), `actor_id`
 * (a member) or `remote_actor_id` (someone on another server: exactly one of the two), `post_id`,
 * `comment_id` and `url` (what it links to), from the rows that must still exist: a row gone by now
 * selects nothing, so nothing is written (nor does a row with nobody to tell: a remote reply's author, when
 * moderated, is not a member). Nobody is notified of their own action, nor of the action of someone
 * they blocked, member or remote (features/blocks, remote_blocks). An event joins the
 * recipient's unread notification of the same kind and subject (the partial unique index): it becomes the
 * latest actor and time, and a trigger adds the actor to the group (migrations/0006).
 * (A query builder, not db.run: drizzle's batch cannot take raw SQL that has parameters.)
 */
export function notifyStatement(db: Db, kind: NotificationKind, from: SQL, now: number) {
  // Every column in the table's order (insert-select wants them all); a NULL id numbers itself.
  return db
    .insert(notifications)
    .select(
      sql`SELECT NULL, s.user_id, ${kind}, s.subject_id, s.actor_id, s.post_id, s.comment_id, ${now}, NULL, s.remote_actor_id, s.url FROM (${from}) AS s
        WHERE s.user_id IS NOT NULL AND (s.actor_id IS NULL) != (s.remote_actor_id IS NULL) AND s.user_id IS NOT s.actor_id
          AND NOT ${blockedBySql(sql`s.user_id`, sql`s.actor_id`)} AND NOT ${remoteBlockedBySql(sql`s.user_id`, sql`s.remote_actor_id`)}`,
    )
    .onConflictDoUpdate({
      target: [notifications.userId, notifications.kind, notifications.subjectId],
      targetWhere: sql`read_at IS NULL`,
      set: {
        actorId: sql`excluded.actor_id`,
        remoteActorId: sql`excluded.remote_actor_id`,
        url: sql`excluded.url`,
        createdAt: sql`excluded.created_at`,
        postId: sql`excluded.post_id`,
        commentId: sql`excluded.comment_id`,
      },
    });
}
