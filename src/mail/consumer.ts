// The mail queue consumer: each message names one `mail_outbox` row. The row is claimed atomically before
// anything is sent, so a duplicate delivery never sends twice; then it is sent through the HTTP mail API
// (or captured, in development) and every message is acked or retried on its own.
import { and, eq, lt, or, sql } from "drizzle-orm";
import { type Config, getConfig, MINUTE } from "../config";
import { type Db, getDb } from "../db";
import { mailOutbox } from "../db/schema";
import { log } from "../lib/log";
import { postMail, type SendOutcome } from "./transport";

type OutboxRow = typeof mailOutbox.$inferSelect;

/**
 * A claim older than this belongs to a consumer that died mid-send (a send times out after 10 s), so another
 * delivery may take the row over. The sweeper uses the same age to re-enqueue such rows.
 */
export const STALE_CLAIM_MS = 5 * MINUTE;

/** Deliveries a message gets: `max_retries = 5` in wrangler.toml, plus the first one. */
export const MAX_DELIVERIES = 6;

const BASE_BACKOFF_SECONDS = 30;
/** Mailed links expire after an hour; waiting longer than this between tries helps nobody. */
export const MAX_BACKOFF_SECONDS = 15 * 60;

/** Bodies are read as unknown: a MailMessage (./outbox) is expected, but the queue carries whatever was sent, so each is checked (parseOutboxId). */
export async function handleMailBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = getConfig(env);
  const db = getDb(env.DB);
  // Messages are independent and the claim serialises duplicates, so they can be sent concurrently.
  await Promise.all(batch.messages.map((msg) => handleMessage(msg, db, config)));
}

/** Exponential backoff by delivery number: 30 s, 60 s, 120 s, ... capped at 15 minutes. */
export function backoffSeconds(attempts: number): number {
  const exponent = Math.max(0, attempts - 1);
  return Math.min(BASE_BACKOFF_SECONDS * 2 ** exponent, MAX_BACKOFF_SECONDS);
}

async function handleMessage(msg: Message<unknown>, db: Db, config: Config): Promise<void> {
  const outboxId = parseOutboxId(msg.body);
  if (outboxId === null) {
    // Redelivering a message we cannot understand would only fail again.
    log("error", "mail message without a valid outboxId dropped", { messageId: msg.id, body: safeJson(msg.body) });
    msg.ack();
    return;
  }
  try {
    await deliver(msg, outboxId, db, config);
  } catch (err) {
    // Most likely D1 was unavailable. A row left 'sending' by this failure is taken over after STALE_CLAIM_MS.
    log("error", "mail delivery crashed; will retry", { outboxId, attempts: msg.attempts, error: String(err) });
    msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
  }
}

function parseOutboxId(body: unknown): number | null {
  const id = typeof body === "object" && body !== null && "outboxId" in body ? body.outboxId : undefined;
  return typeof id === "number" && Number.isSafeInteger(id) && id > 0 ? id : null;
}

async function deliver(msg: Message<unknown>, outboxId: number, db: Db, config: Config): Promise<void> {
  const now = Date.now();
  const row = await claim(db, outboxId, now);
  if (!row) {
    // Already sent, captured or failed, or another delivery holds a fresh claim on it.
    log("info", "mail message skipped: row not claimable", { outboxId });
    msg.ack();
    return;
  }
  if (!config.mailApiUrl) {
    await capture(db, row, config);
    msg.ack();
    return;
  }
  const outcome = await postMail(
    { url: config.mailApiUrl, apiKey: config.mailApiKey },
    { from: config.mailFrom, to: row.to, subject: row.subject, text: row.text, html: row.html },
    `roost-mail-${row.id}`,
  );
  await settle(msg, db, row, outcome);
}

/** Atomically take the row: only a pending row, or one whose claim went stale, can be claimed. */
async function claim(db: Db, id: number, now: number): Promise<OutboxRow | undefined> {
  return db
    .update(mailOutbox)
    .set({ status: "sending", attempts: sql`${mailOutbox.attempts} + 1`, lockedAt: now })
    .where(
      and(eq(mailOutbox.id, id), or(eq(mailOutbox.status, "pending"), and(eq(mailOutbox.status, "sending"), lt(mailOutbox.lockedAt, now - STALE_CLAIM_MS)))),
    )
    .returning()
    .get();
}

/**
 * Leave 'sending' for a final or retryable state. Guarded by our own claim time, so a consumer whose claim
 * was taken over (it stalled past STALE_CLAIM_MS) cannot overwrite the newer claim's result.
 */
async function release(db: Db, row: OutboxRow, values: Partial<Pick<OutboxRow, "status" | "lastError" | "sentAt">>) {
  const released = await db
    .update(mailOutbox)
    .set(values)
    .where(and(eq(mailOutbox.id, row.id), eq(mailOutbox.status, "sending"), eq(mailOutbox.lockedAt, row.lockedAt!)))
    .returning({ id: mailOutbox.id })
    .get();
  if (!released) log("warn", "mail claim was taken over before it was released", { outboxId: row.id, status: values.status });
}

async function capture(db: Db, row: OutboxRow, config: Config): Promise<void> {
  await release(db, row, { status: "captured", sentAt: Date.now(), lastError: null });
  if (config.isDevelopment) {
    log("info", "mail captured (development): see /dev/mail", { outboxId: row.id, to: row.to, subject: row.subject, link: firstLink(row.text) });
  } else {
    // Mailed links carry secret tokens: never write them to production logs.
    log("warn", "MAIL_API_URL is not set: mail captured, not sent", { outboxId: row.id, kind: row.kind });
  }
}

async function settle(msg: Message<unknown>, db: Db, row: OutboxRow, outcome: SendOutcome): Promise<void> {
  switch (outcome.kind) {
    case "sent":
      await release(db, row, { status: "sent", sentAt: Date.now(), lastError: null });
      log("info", "mail sent", { outboxId: row.id, kind: row.kind, attempts: row.attempts });
      msg.ack();
      return;
    case "permanent":
      await release(db, row, { status: "failed", lastError: outcome.error });
      log("error", "mail rejected permanently", { outboxId: row.id, kind: row.kind, error: outcome.error });
      msg.ack();
      return;
    case "transient":
      await retryLater(msg, db, row, outcome);
      return;
  }
}

async function retryLater(msg: Message<unknown>, db: Db, row: OutboxRow, outcome: Extract<SendOutcome, { kind: "transient" }>) {
  if (msg.attempts >= MAX_DELIVERIES) {
    // The queue moves this message to the dead-letter queue; 'failed' stops the sweeper from reviving it.
    const lastError = `gave up after ${msg.attempts} deliveries: ${outcome.error}`;
    await release(db, row, { status: "failed", lastError });
    log("error", "mail failed; message goes to the dead-letter queue", { outboxId: row.id, kind: row.kind, error: outcome.error });
    msg.retry();
    return;
  }
  const delaySeconds = Math.min(outcome.retryAfterSeconds ?? backoffSeconds(msg.attempts), MAX_BACKOFF_SECONDS);
  await release(db, row, { status: "pending", lastError: outcome.error });
  log("warn", "mail send failed; will retry", { outboxId: row.id, attempts: msg.attempts, delaySeconds, error: outcome.error });
  msg.retry({ delaySeconds });
}

/** The first http(s) URL in a text body (the confirm/reset link in our mails), without trailing punctuation. */
export function firstLink(text: string): string | null {
  const match = /https?:\/\/[^\s<>"']+/.exec(text);
  return match ? match[0].replace(/[.,;:!?)\]]+$/, "") : null;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 200) ?? String(value);
  } catch {
    return String(value);
  }
}
