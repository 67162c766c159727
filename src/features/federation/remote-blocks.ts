// A member's blocks of people on other servers (issue 13; table remote_blocks). Blocking ends the remote
// actor's follow of the member in the same batch, announces remote.blocked (notifications drop theirs), and
// tells their server with a Reject of the Follow (Mastodon takes a Reject of an accepted Follow as the end of
// it). From then on their Follow, reply, Like and Announce to the member are dropped where they are written
// (remote.ts, reactions.ts, the comments feature) and their replies on the member's posts are hidden (comments'
// queries). Blocks are private: only the member's own account page lists them.
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { remoteActors, remoteBlocks, remoteFollowers } from "../../db/schema";
import { type EventContext, publish } from "../../events/commit";

export type RemoteBlockItem = { remoteActorId: number; handle: string; profile: string; since: number };

/** What a block changed: the actor's handle, whether the block is new, and the follow it ended (to Reject). */
export type RemoteBlockResult = {
  handle: string;
  isNew: boolean;
  endedFollow: { followActivityId: string; uri: string; inbox: string; sharedInbox: string | null } | null;
};

/**
 * Blocks remote actor `remoteActorId` for member `userId`: one read (the actor), then one batch (the block,
 * idempotent, and the end of their follow). Null when there is no such remote actor.
 */
export async function blockRemoteActor(ctx: EventContext, userId: number, remoteActorId: number): Promise<RemoteBlockResult | null> {
  const { db, now } = ctx;
  const [actor] = await db
    .select({ handle: remoteActors.handle, uri: remoteActors.uri, inbox: remoteActors.inbox, sharedInbox: remoteActors.sharedInbox })
    .from(remoteActors)
    .where(eq(remoteActors.id, remoteActorId));
  if (!actor) return null;
  const [added, ended] = await db.batch([
    db.insert(remoteBlocks).values({ userId, remoteActorId, createdAt: now }).onConflictDoNothing().returning({ userId: remoteBlocks.userId }),
    db
      .delete(remoteFollowers)
      .where(and(eq(remoteFollowers.userId, userId), eq(remoteFollowers.remoteActorId, remoteActorId)))
      .returning({ followActivityId: remoteFollowers.followActivityId }),
  ]);
  const isNew = added.length > 0;
  if (isNew) await publish(ctx, [{ type: "remote.blocked", userId, remoteActorId }]);
  const follow = ended[0];
  return { handle: actor.handle, isNew, endedFollow: follow ? { ...actor, followActivityId: follow.followActivityId } : null };
}

/** Lifts the member's block of `remoteActorId`; the actor's handle, or null when there is no such remote actor. */
export async function unblockRemoteActor(ctx: EventContext, userId: number, remoteActorId: number): Promise<string | null> {
  const { db } = ctx;
  const [[actor], removed] = await db.batch([
    db.select({ handle: remoteActors.handle }).from(remoteActors).where(eq(remoteActors.id, remoteActorId)),
    db
      .delete(remoteBlocks)
      .where(and(eq(remoteBlocks.userId, userId), eq(remoteBlocks.remoteActorId, remoteActorId)))
      .returning({ userId: remoteBlocks.userId }),
  ]);
  if (!actor) return null;
  if (removed.length > 0) await publish(ctx, [{ type: "remote.unblocked", userId, remoteActorId }]);
  return actor.handle;
}

/** The member's blocked remote actors, newest first (the account page). */
export function listRemoteBlocks(db: Db, userId: number): Promise<RemoteBlockItem[]> {
  return db
    .select({
      remoteActorId: remoteBlocks.remoteActorId,
      handle: remoteActors.handle,
      profile: sql<string>`coalesce(${remoteActors.url}, ${remoteActors.uri})`,
      since: remoteBlocks.createdAt,
    })
    .from(remoteBlocks)
    .innerJoin(remoteActors, eq(remoteActors.id, remoteBlocks.remoteActorId))
    .where(eq(remoteBlocks.userId, userId))
    .orderBy(desc(remoteBlocks.createdAt));
}
