// user.blocked / user.unblocked: announced once per real change, after it committed (the follows are already
// gone when a subscriber looks); a refused or repeated block or unblock announces nothing.
import { env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Reaction, type Subscribers, setSubscribers } from "../../src/events/commit";
import type { DomainEvent } from "../../src/events/types";
import { subscribers } from "../../src/subscribers";
import { follow } from "../helpers/posts";
import { members } from "./helpers";

let seen: (DomainEvent & { followsLeft?: number })[] = [];
beforeEach(() => {
  seen = [];
  const record = async (_ctx: unknown, event: DomainEvent): Promise<Reaction> => {
    if (event.type !== "user.blocked" && event.type !== "user.unblocked") return {};
    const row = await env.DB.prepare(
      "SELECT count(*) AS n FROM follows WHERE (follower_id = ?1 AND followed_id = ?2) OR (follower_id = ?2 AND followed_id = ?1)",
    )
      .bind(event.blockerId, event.blockedId)
      .first<{ n: number }>();
    seen.push({ ...event, followsLeft: row!.n });
    return {};
  };
  setSubscribers({
    ...subscribers,
    "user.blocked": [...(subscribers["user.blocked"] ?? []), record],
    "user.unblocked": [...(subscribers["user.unblocked"] ?? []), record],
  } satisfies Subscribers);
});
afterEach(() => setSubscribers(subscribers));

describe("block events", () => {
  it("one user.blocked after the commit, one user.unblocked; repeats and refusals announce nothing", async () => {
    const [ann, ben] = await members("bv", 2);
    await follow(ann.id, ben.id);
    await follow(ben.id, ann.id);
    await ann.client.post(`/block/${ben.username}`);
    await ann.client.post(`/block/${ben.username}`);
    await ann.client.post(`/block/${ann.username}`);
    await ann.client.post("/block/nobody_here_at_all");
    expect(seen).toEqual([{ type: "user.blocked", blockerId: ann.id, blockedId: ben.id, followsLeft: 0 }]);
    await ann.client.post(`/unblock/${ben.username}`);
    await ann.client.post(`/unblock/${ben.username}`);
    expect(seen.map((e) => e.type)).toEqual(["user.blocked", "user.unblocked"]);
  });
});
