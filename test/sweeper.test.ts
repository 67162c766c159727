// The outbox sweeper against real D1, with a recording fake queue in place of MAIL_QUEUE.
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { MINUTE } from "../src/config";
import { getDb } from "../src/db";
import { mailOutbox } from "../src/db/schema";
import type { MailMessage } from "../src/mail/outbox";
import { RETRY_LOST_AFTER_MS, SWEEP_LIMIT, sweepOutbox } from "../src/mail/sweeper";
import { quietConsole } from "./helpers/console";

const NOW = Date.parse("2026-05-01T12:00:00Z");

type Row = typeof mailOutbox.$inferInsert;

async function insertRows(rows: Partial<Row>[]): Promise<number[]> {
  const db = getDb(env.DB);
  const inserts = rows.map((r, i) =>
    db
      .insert(mailOutbox)
      .values({ to: `sweep${i}@example.com`, kind: "confirm", subject: "s", text: "t", html: "h", createdAt: NOW, ...r })
      .returning({ id: mailOutbox.id }),
  );
  const ids: number[] = [];
  // One statement per row keeps every statement far below D1's 100 bound parameters.
  for (let i = 0; i < inserts.length; i += 50) {
    const results = await db.batch(inserts.slice(i, i + 50) as [(typeof inserts)[number], ...typeof inserts]);
    for (const [row] of results) ids.push(row!.id);
  }
  return ids;
}

function fakeQueue(fail = false) {
  const sendBatch = vi.fn(async (messages: Iterable<MessageSendRequest<MailMessage>>) => {
    if (fail) throw new Error("queue unavailable");
    void messages;
  });
  const queue = { send: vi.fn(), sendBatch } as unknown as Queue;
  return { env: { ...env, MAIL_QUEUE: queue } as Env, sendBatch };
}

function sentIds(sendBatch: ReturnType<typeof fakeQueue>["sendBatch"]): number[] {
  return sendBatch.mock.calls.flatMap(([messages]) => [...messages].map((m) => m.body.outboxId));
}

quietConsole();

beforeEach(async () => {
  // Storage is per file, not per test: start every test from an empty outbox.
  await env.DB.exec("DELETE FROM mail_outbox");
});

describe("sweepOutbox", () => {
  it("re-enqueues pending rows older than 5 minutes, but not fresh or finished ones", async () => {
    const [old, fresh, sent, captured, failed] = await insertRows([
      { createdAt: NOW - 6 * MINUTE },
      { createdAt: NOW - 1 * MINUTE },
      { createdAt: NOW - 60 * MINUTE, status: "sent", sentAt: NOW - 59 * MINUTE },
      { createdAt: NOW - 60 * MINUTE, status: "captured", sentAt: NOW - 59 * MINUTE },
      { createdAt: NOW - 60 * MINUTE, status: "failed", lastError: "HTTP 422" },
    ]);
    const q = fakeQueue();

    const count = await sweepOutbox(q.env, NOW);

    expect(count).toBe(1);
    expect(sentIds(q.sendBatch)).toEqual([old]);
    expect(sentIds(q.sendBatch)).not.toContain(fresh);
    for (const id of [sent, captured, failed]) expect(sentIds(q.sendBatch)).not.toContain(id);
  });

  it("re-enqueues rows whose sending claim went stale, not ones being sent right now", async () => {
    const [stale, live] = await insertRows([
      { createdAt: NOW - 30 * MINUTE, status: "sending", attempts: 1, lockedAt: NOW - 6 * MINUTE },
      { createdAt: NOW - 30 * MINUTE, status: "sending", attempts: 1, lockedAt: NOW - 10_000 },
    ]);
    const q = fakeQueue();

    expect(await sweepOutbox(q.env, NOW)).toBe(1);
    expect(sentIds(q.sendBatch)).toEqual([stale]);
    expect(sentIds(q.sendBatch)).not.toContain(live);
  });

  it("leaves retrying rows to the queue's backoff until their retry is overdue", async () => {
    const [waiting, overdue] = await insertRows([
      { createdAt: NOW - 30 * MINUTE, attempts: 3, lockedAt: NOW - 10 * MINUTE, lastError: "HTTP 503: x" },
      { createdAt: NOW - 60 * MINUTE, attempts: 3, lockedAt: NOW - RETRY_LOST_AFTER_MS - MINUTE, lastError: "HTTP 503: x" },
    ]);
    const q = fakeQueue();

    expect(await sweepOutbox(q.env, NOW)).toBe(1);
    expect(sentIds(q.sendBatch)).toEqual([overdue]);
    expect(sentIds(q.sendBatch)).not.toContain(waiting);
  });

  it("sends in batches of at most 100, oldest first, and stops at 500 per run", async () => {
    const ids = await insertRows(Array.from({ length: SWEEP_LIMIT + 20 }, (_, i) => ({ createdAt: NOW - 60 * MINUTE + i })));
    const q = fakeQueue();

    const count = await sweepOutbox(q.env, NOW);

    expect(count).toBe(SWEEP_LIMIT);
    expect(q.sendBatch).toHaveBeenCalledTimes(5);
    for (const [messages] of q.sendBatch.mock.calls) expect([...messages].length).toBeLessThanOrEqual(100);
    expect(sentIds(q.sendBatch)).toEqual(ids.slice(0, SWEEP_LIMIT));
  });

  it("returns 0 and does not touch the queue when nothing is stuck", async () => {
    await insertRows([{ createdAt: NOW }]);
    const q = fakeQueue();

    expect(await sweepOutbox(q.env, NOW)).toBe(0);
    expect(q.sendBatch).not.toHaveBeenCalled();
  });

  it("reports only what was enqueued when the queue refuses a batch", async () => {
    await insertRows([{ createdAt: NOW - 10 * MINUTE }]);
    const q = fakeQueue(true);

    expect(await sweepOutbox(q.env, NOW)).toBe(0);
    expect(q.sendBatch).toHaveBeenCalledTimes(1);
  });
});
