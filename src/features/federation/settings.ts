// A member's place in the fediverse (issue 13): leaving it (their actor, outbox and collections answer 410 Gone,
// WebFinger no longer finds them) or rejoining (all served again), and the record that keeps a deleted
// account's actor URL answering 410. Federation delivery reacts to user.fediverse_changed (telling remote
// followers with a Delete of the actor), as the cache purge of the profile page does.

import { goneActors } from "../../db/schema";
import { type EventContext, publish, type Subscriber } from "../../events/commit";
import { setLeftFediverse } from "./queries";

/** Leaves (`leave`) or rejoins the fediverse; false when the member was already in that state (nothing announced). */
export async function setFediverseChoice(ctx: EventContext, userId: number, leave: boolean): Promise<boolean> {
  const changed = await setLeftFediverse(ctx.db, userId, leave ? ctx.now : null);
  if (changed) await publish(ctx, [{ type: "user.fediverse_changed", userId, left: leave }]);
  return changed;
}

/** On account deletion: the actor id is remembered as gone, so its URL answers 410 Gone rather than 404. */
export const recordGoneActor: Subscriber<"user.deleted"> = (ctx, e) => ({
  statements: [ctx.db.insert(goneActors).values({ userId: e.userId, deletedAt: ctx.now }).onConflictDoNothing()],
});
