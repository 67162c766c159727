// Federation delivery's light half, loaded with the Worker (no Fedify): the post events' subscriber, which
// puts one message on FEDERATION_QUEUE when the author has remote followers (decided inside the event's own
// batch, so it costs no extra round trip), and the queue consumer's entry, which loads delivery.ts (Fedify)
// only when a batch arrives. Posting never waits for another server.
import type { EventContext, Reaction, Subscriber } from "../../events/commit";
import { type ActorDeletion, FEDERATION_QUEUE_NAME, type PostDelivery } from "./messages";
import { hasRemoteFollowerQuery } from "./remote";

export { FEDERATION_QUEUE_NAME };

type PostEvent = { postId: number; authorId: number };

const deliverPost =
  (event: PostDelivery["event"]) =>
  (ctx: EventContext, e: PostEvent): Reaction => ({
    statements: [hasRemoteFollowerQuery(ctx.db, e.authorId)],
    afterCommit: async ([rows]) => {
      if (!Array.isArray(rows) || rows.length === 0) return;
      const message: PostDelivery = { kind: "roost.post", event, postId: e.postId, authorId: e.authorId, at: ctx.now };
      await ctx.env.FEDERATION_QUEUE.send(message, { contentType: "json" });
    },
  });

export const deliverCreatedPost: Subscriber<"post.created"> = deliverPost("created");
export const deliverUpdatedPost: Subscriber<"post.updated"> = deliverPost("updated");
export const deliverDeletedPost: Subscriber<"post.deleted"> = deliverPost("deleted");

/**
 * A member left the fediverse: when they have remote followers, one message after the commit; the consumer
 * sends each follower's server a Delete of the actor (delivery.ts). Rejoining sends nothing: the followers'
 * servers dropped the actor, so they follow again from scratch.
 */
export const deliverActorDeletion: Subscriber<"user.fediverse_changed"> = (ctx, e) =>
  e.left
    ? {
        statements: [hasRemoteFollowerQuery(ctx.db, e.userId)],
        afterCommit: async ([rows]) => {
          if (!Array.isArray(rows) || rows.length === 0) return;
          const message: ActorDeletion = { kind: "roost.actor-deleted", userId: e.userId, at: ctx.now };
          await ctx.env.FEDERATION_QUEUE.send(message, { contentType: "json" });
        },
      }
    : {};

export async function handleFederationBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const { deliverBatch } = await import("./delivery");
  await deliverBatch(batch, env);
}
