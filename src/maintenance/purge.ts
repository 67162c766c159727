// Daily housekeeping (cron): delete what has served its purpose — accounts never confirmed within 7 days
// (freeing their email and username for the mailbox's real owner), expired or used single-use tokens and
// expired API tokens, delivered or failed mail older than 30 days (their bodies held links with
// tokens), and rate-limit events older than any window. Deletes go in chunks so no statement runs long.
import { DAY, limits } from "../config";
import { log } from "../lib/log";

const CHUNK = 5000;
/** Must match the daily entry of wrangler.toml's [triggers] crons. */
export const DAILY_CRON = "17 3 * * *";
export const OUTBOX_KEEP_MS = 30 * DAY;
/** Longer than the longest rate window (1 hour), so every limit keeps its history. */
export const RATE_EVENTS_KEEP_MS = DAY;

export type PurgeCounts = { unconfirmedUsers: number; tokens: number; outbox: number; rateEvents: number };

async function deleteInChunks(db: D1Database, table: string, where: string, args: unknown[]): Promise<number> {
  let total = 0;
  for (;;) {
    const res = await db
      .prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${where} LIMIT ${CHUNK})`)
      .bind(...args)
      .run();
    total += res.meta.changes;
    if (res.meta.changes < CHUNK) return total;
  }
}

export async function purgeExpired(env: Env, now = Date.now()): Promise<PurgeCounts> {
  const db = env.DB;
  const counts = {
    // First: the user rows cascade to their follows and tokens (foreign keys), which the next line then skips.
    unconfirmedUsers: await deleteInChunks(db, "users", "confirmed = 0 AND member_since < ?1", [now - limits.unconfirmedAccountMs]),
    tokens: await deleteInChunks(db, "auth_tokens", "expires_at < ?1 OR used_at IS NOT NULL", [now]),
    outbox: await deleteInChunks(db, "mail_outbox", "status IN ('sent', 'captured', 'failed') AND created_at < ?1", [now - OUTBOX_KEEP_MS]),
    rateEvents: await deleteInChunks(db, "rate_events", "created_at < ?1", [now - RATE_EVENTS_KEEP_MS]),
  };
  log("info", "purge", counts);
  return counts;
}
