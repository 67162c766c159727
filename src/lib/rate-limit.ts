// Exact sliding-window limits counted in D1 (not KV, which is eventually consistent). A slot is reserved
// with one conditional INSERT, so concurrent requests cannot both take the last slot. Several windows
// (e.g. per account, per network and per pair) are taken together in that one statement: every window
// gets its event, or none does, in one round trip.
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db";

export type RateLimit = { max: number; windowMs: number };
/** One window: events of `bucket`/`key`, at most `limit.max` within `limit.windowMs`. */
export type RateWindow = { bucket: string; key: string; limit: RateLimit };
export type Reservation = { ok: true; eventIds: number[] } | { ok: false; retryAfterSeconds: number };

export function reserve(db: Db, bucket: string, key: string, limit: RateLimit, now = Date.now()): Promise<Reservation> {
  return reserveAll(db, [{ bucket, key, limit }], now);
}

/** Takes a slot in every window, or in none when any of them is full. */
export async function reserveAll(db: Db, windows: RateWindow[], now = Date.now()): Promise<Reservation> {
  const count = (w: RateWindow): SQL =>
    sql`(SELECT count(*) FROM rate_events WHERE bucket = ${w.bucket} AND key = ${w.key} AND created_at > ${now - w.limit.windowMs})`;
  const rows = sql.join(
    windows.map((w) => sql`SELECT ${w.bucket} AS bucket, ${w.key} AS key`),
    sql` UNION ALL `,
  );
  const roomInAll = sql.join(
    windows.map((w) => sql`${count(w)} < ${w.limit.max}`),
    sql` AND `,
  );
  // SQLite materialises the SELECT before inserting (it reads the table it writes), so every count sees
  // the events from before this statement.
  const inserted = await db.all<{ id: number }>(sql`
    INSERT INTO rate_events (bucket, key, created_at)
    SELECT bucket, key, ${now} FROM (${rows}) WHERE ${roomInAll}
    RETURNING id`);
  if (inserted.length) return { ok: true, eventIds: inserted.map((r) => r.id) };
  // A full window frees a slot when its max-th newest event leaves it; the request waits for the last.
  const freeAt = sql.join(
    windows.map(
      (w) => sql`SELECT (SELECT created_at FROM rate_events WHERE bucket = ${w.bucket} AND key = ${w.key} AND created_at > ${now - w.limit.windowMs}
        ORDER BY created_at DESC LIMIT 1 OFFSET ${w.limit.max - 1}) + ${w.limit.windowMs} AS free_at`,
    ),
    sql` UNION ALL `,
  );
  const [latest] = await db.all<{ free_at: number | null }>(sql`SELECT max(free_at) AS free_at FROM (${freeAt})`);
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(((latest?.free_at ?? now) - now) / 1000)) };
}

/** Give reserved slots back (e.g. the login turned out to be correct, so it was not a failure). */
export async function release(db: Db, eventIds: number[]): Promise<void> {
  if (!eventIds.length) return;
  await db.run(
    sql`DELETE FROM rate_events WHERE id IN (${sql.join(
      eventIds.map((id) => sql`${id}`),
      sql`, `,
    )})`,
  );
}
