// Exact sliding-window limits counted in D1 (not KV, which is eventually consistent). A slot is reserved
// with one conditional INSERT, so concurrent requests cannot both take the last slot.
import { sql } from "drizzle-orm";
import type { Db } from "../db";

export type RateLimit = { max: number; windowMs: number };
export type Reservation = { ok: true; eventId: number } | { ok: false; retryAfterSeconds: number };

export async function reserve(db: Db, bucket: string, key: string, limit: RateLimit, now = Date.now()): Promise<Reservation> {
  const since = now - limit.windowMs;
  const inserted = await db.all<{ id: number }>(sql`
    INSERT INTO rate_events (bucket, key, created_at)
    SELECT ${bucket}, ${key}, ${now}
    WHERE (SELECT count(*) FROM rate_events WHERE bucket = ${bucket} AND key = ${key} AND created_at > ${since}) < ${limit.max}
    RETURNING id`);
  if (inserted[0]) return { ok: true, eventId: inserted[0].id };
  // A slot frees when the max-th newest event leaves the window.
  const blocking = await db.all<{ created_at: number }>(sql`
    SELECT created_at FROM rate_events WHERE bucket = ${bucket} AND key = ${key} AND created_at > ${since}
    ORDER BY created_at DESC LIMIT 1 OFFSET ${limit.max - 1}`);
  const freeAt = (blocking[0]?.created_at ?? now) + limit.windowMs;
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now) / 1000)) };
}

/** Give a reserved slot back (e.g. the login turned out to be correct, so it was not a failure). */
export async function release(db: Db, eventId: number): Promise<void> {
  await db.run(sql`DELETE FROM rate_events WHERE id = ${eventId}`);
}
