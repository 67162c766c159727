// What Roost itself puts on FEDERATION_QUEUE (beside Fedify's own delivery messages), shared by the
// producer (queue.ts) and the consumer (delivery.ts).
export const FEDERATION_QUEUE_NAME = "roost-federation";

/** Deliver this post event to the author's remote followers (delivery.ts fans it out). */
export type PostDelivery = { kind: "roost.post"; event: "created" | "updated" | "deleted"; postId: number; authorId: number; at: number };

/** Tell the member's remote followers that their actor is gone (they left the fediverse at `at`). */
export type ActorDeletion = { kind: "roost.actor-deleted"; userId: number; at: number };

export function isPostDelivery(body: unknown): body is PostDelivery {
  return typeof body === "object" && body !== null && "kind" in body && body.kind === "roost.post";
}

export function isActorDeletion(body: unknown): body is ActorDeletion {
  return typeof body === "object" && body !== null && "kind" in body && body.kind === "roost.actor-deleted";
}
