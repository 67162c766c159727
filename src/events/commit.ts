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

async function reactionsTo(ctx: EventContext, events: DomainEvent[], subscribers: Subscribers, batch: Statement[]) {
  const reactions: { reaction: Reaction; from: number; to: number }[] = [];
  for (const event of events) {
    for (const subscriber of subscribersOf(subscribers, event.type)) {
      const reaction = await subscriber(ctx, event);
      const from = batch.length;
      batch.push(...(reaction.statements ?? []));
      reactions.push({ reaction, from, to: batch.length });
    }
  }
  return reactions;
}

async function afterCommit(reactions: { reaction: Reaction; from: number; to: number }[], results: unknown[]) {
  for (const { reaction, from, to } of reactions) await reaction.afterCommit?.(results.slice(from, to));
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
  const batch: [Statement, ...Statement[]] = [...statements];
  const reactions = await reactionsTo(ctx, events, subscribers, batch);
  const results: unknown[] = await ctx.db.batch(batch);
  await afterCommit(reactions, results);
  return results.slice(0, statements.length);
}

/**
 * Announces events about a change that has already committed: ones whose ids only the write itself knew (an
 * insert's RETURNING), or a change that is one statement. The subscribers' statements run as one more batch
 * after the change, so they must tolerate the row being gone by then (write with INSERT … SELECT); work that
 * must exist exactly when the change does belongs in `commit` instead.
 */
export async function publish(ctx: EventContext, events: DomainEvent[], subscribers: Subscribers = registered): Promise<void> {
  const batch: Statement[] = [];
  const reactions = await reactionsTo(ctx, events, subscribers, batch);
  const [first, ...rest] = batch;
  const results: unknown[] = first ? await ctx.db.batch([first, ...rest]) : [];
  await afterCommit(reactions, results);
}
