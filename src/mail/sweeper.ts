// The outbox sweeper, run by the cron trigger: re-enqueues mail whose queue message was lost (the enqueue
// after the D1 write failed, or a consumer died holding the claim). Re-enqueueing is always safe because the
// consumer claims a row atomically before sending it, so extra messages for one row never send it twice.
import { and, asc, eq, gt, lt, or } from "drizzle-orm";
import { MINUTE } from "../config";
import { getDb } from "../db";
import { mailOutbox } from "../db/schema";
import { log } from "../lib/log";
import { MAX_BACKOFF_SECONDS, STALE_CLAIM_MS } from "./consumer";
import type { MailMessage } from "./outbox";

/** A pending row that was never tried is this old before we assume its enqueue was lost. */
export const SWEEP_AFTER_MS = 5 * MINUTE;
/**
 * A pending row that was tried has a retry waiting in the queue for up to the maximum backoff; only after
 * that (plus slack) is its message presumed lost, so the sweeper does not cut the backoff short.
 */
export const RETRY_LOST_AFTER_MS = MAX_BACKOFF_SECONDS * 1000 + 5 * MINUTE;
/** Bounds one cron run's work; the rest waits for the next run. */
export const SWEEP_LIMIT = 500;
/** Queue.sendBatch takes at most 100 messages. */
const SEND_BATCH_SIZE = 100;

/** Re-enqueue stuck outbox rows; returns how many messages were enqueued. */
export async function sweepOutbox(env: Env, now = Date.now()): Promise<number> {
  const ids = await findStuckIds(env, now);
  let enqueued = 0;
  for (let i = 0; i < ids.length; i += SEND_BATCH_SIZE) {
    const chunk = ids.slice(i, i + SEND_BATCH_SIZE);
    try {
      await env.MAIL_QUEUE.sendBatch(chunk.map((outboxId) => ({ body: { outboxId } satisfies MailMessage })));
      enqueued += chunk.length;
    } catch (err) {
      // The rows stay as they are, so the next run picks them up again.
      log("error", "mail sweep enqueue failed", { count: chunk.length, error: String(err) });
    }
  }
  if (ids.length > 0) log("info", "mail sweep re-enqueued outbox rows", { found: ids.length, enqueued });
  return enqueued;
}

async function findStuckIds(env: Env, now: number): Promise<number[]> {
  const db = getDb(env.DB);
  const rows = await db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(
      or(
        and(eq(mailOutbox.status, "pending"), eq(mailOutbox.attempts, 0), lt(mailOutbox.createdAt, now - SWEEP_AFTER_MS)),
        and(eq(mailOutbox.status, "pending"), gt(mailOutbox.attempts, 0), lt(mailOutbox.lockedAt, now - RETRY_LOST_AFTER_MS)),
        and(eq(mailOutbox.status, "sending"), lt(mailOutbox.lockedAt, now - STALE_CLAIM_MS)),
      ),
    )
    .orderBy(asc(mailOutbox.createdAt))
    .limit(SWEEP_LIMIT)
    .all();
  return rows.map((r) => r.id);
}
