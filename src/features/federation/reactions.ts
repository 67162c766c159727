// Likes and boosts of our posts from other servers (remote_reactions; issue 13), and a deleted remote actor's
// rows. posts.like_count and posts.boost_count follow remote_reactions through triggers (migration
// inbound_notes), so every list shows local + remote likes with no query of its own.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { remoteBlockedBySql } from "../../db/blocks";
import { remoteActors, remoteReactions } from "../../db/schema";

export type ReactionKind = "like" | "announce";

/**
 * Records a Like or Announce once per (post, actor, kind); a repeat changes nothing, and so does one from a
 * remote actor the post's author blocked (in the INSERT … SELECT's WHERE). Returns whether it was new.
 */
export async function addRemoteReaction(
  db: Db,
  r: { postId: number; remoteActorId: number; kind: ReactionKind; activityUri: string },
  now = Date.now(),
): Promise<boolean> {
  const rows = await db
    .insert(remoteReactions)
    .select(
      sql`SELECT p.id, ${r.remoteActorId}, ${r.kind}, ${r.activityUri}, ${now} FROM posts p
        WHERE p.id = ${r.postId} AND NOT ${remoteBlockedBySql(sql`p.author_id`, sql`${r.remoteActorId}`)}`,
    )
    .onConflictDoNothing()
    .returning({ postId: remoteReactions.postId });
  return rows.length > 0;
}

/** Removes the reaction made by the activity `activityUri` (an Undo names it), only if `actorUri` made it. */
export async function removeRemoteReaction(db: Db, activityUri: string, actorUri: string): Promise<boolean> {
  const rows = await db
    .delete(remoteReactions)
    .where(and(eq(remoteReactions.activityUri, activityUri), sql`${remoteReactions.remoteActorId} = (SELECT id FROM remote_actors WHERE uri = ${actorUri})`))
    .returning({ postId: remoteReactions.postId });
  return rows.length > 0;
}

/** A remote actor deleted themselves: their row goes, and with it (cascade) their follows, likes, boosts and replies. */
export async function removeRemoteActor(db: Db, actorUri: string): Promise<void> {
  await db.delete(remoteActors).where(eq(remoteActors.uri, actorUri));
}
