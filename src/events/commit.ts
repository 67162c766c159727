// Committing a change together with what it announces. A subscriber reacts to an event in two steps: the
// statements it adds to the SAME D1 batch as the change (so a mail row or a notification exists exactly when
// the change does: D1's batch is its only transaction), and work after the commit (e.g. putting a mail on
// the queue; anything slow goes through a Queue, so a request never waits for another server).
import type { BatchItem } from "drizzle-orm/batch";
import type { Config } from "../config";
import type { Db } from "../db";
import type { DomainEvent, EventOf, EventType } from "./types";

/** What a subscriber needs: the request's database, the settings, and the bindings (queues). */
export type EventContext = { db: Db; config: Config; env: Env; now: number };

export type Statement = BatchItem<"sqlite">;

export type Reaction = {
  statements?: Statement[];
  /** Runs once the batch has committed, with the results of this reaction's own statements. */
  afterCommit?: (results: unknown[]) => Promise<void>;
};

export type Subscriber<T extends EventType> = (ctx: EventContext, event: EventOf<T>) => Reaction | Promise<Reaction>;
export type Subscribers = { [T in EventType]?: Subscriber<T>[] };

let registered: Subscribers = {};

/** Installs the app's subscriber list (src/subscribers.ts); done once by the composition root (app.ts). */
export function setSubscribers(subscribers: Subscribers): void {
  registered = subscribers;
}

function subscribersOf<T extends EventType>(subscribers: Subscribers, type: T): Subscriber<T>[] {
  // The mapped type pairs each event type with subscribers of that type.
  const list: Subscriber<T>[] | undefined = subscribers[type];
  return list ?? [];
}

/**
 * Runs `statements` and the subscribers' statements for `events` as one batch, then each subscriber's
 * after-commit work; returns the results of `statements` (in order).
 */
export async function commit(
  ctx: EventContext,
  statements: [Statement, ...Statement[]],
  events: DomainEvent[],
  subscribers: Subscribers = registered,
): Promise<unknown[]> {
  const reactions: { reaction: Reaction; from: number; to: number }[] = [];
  const batch: [Statement, ...Statement[]] = [...statements];
  for (const event of events) {
    for (const subscriber of subscribersOf(subscribers, event.type)) {
      const reaction = await subscriber(ctx, event);
      const from = batch.length;
      batch.push(...(reaction.statements ?? []));
      reactions.push({ reaction, from, to: batch.length });
    }
  }
  const results: unknown[] = await ctx.db.batch(batch);
  for (const { reaction, from, to } of reactions) await reaction.afterCommit?.(results.slice(from, to));
  return results.slice(0, statements.length);
}
