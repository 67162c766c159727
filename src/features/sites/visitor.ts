// Visitor ids without cookies or stored IPs: SHA-256 of (the day's random salt, site, IP, user agent),
// truncated to 16 bytes. The same browser on the same network is one visitor for a UTC day; the next day
// has a new salt, so ids cannot be linked across days, and once a salt is deleted (after two days, by the
// scheduled job) nobody can recompute an id from an IP address.
import { encodeHexLowerCase } from "@oslojs/encoding";
import { eq, lt } from "drizzle-orm";
import { DAY } from "../../config";
import { type Db, getDb } from "../../db";
import { goalVisitorDays, visitorDays, visitSalts } from "../../db/schema";
import { log } from "../../lib/log";
import { sha256Hex } from "../../lib/tokens";

/** Salts kept: today's and yesterday's (a visit queued just before midnight may still arrive). */
export const SALT_KEEP_DAYS = 2;

// Per isolate: after one D1 read a day, every beacon hit hashes without touching D1.
const cachedSalts = new Map<number, string>();

/**
 * The salt for UTC day `day`. Created with INSERT OR IGNORE and then read back, so isolates racing to
 * create it all end up with the one that won.
 */
export async function dailySalt(db: Db, day: number): Promise<string> {
  const cached = cachedSalts.get(day);
  if (cached) return cached;
  let row = await db.select({ salt: visitSalts.salt }).from(visitSalts).where(eq(visitSalts.day, day)).get();
  if (!row) {
    const fresh = encodeHexLowerCase(crypto.getRandomValues(new Uint8Array(32)));
    const [, read] = await db.batch([
      db.insert(visitSalts).values({ day, salt: fresh, createdAt: Date.now() }).onConflictDoNothing(),
      db.select({ salt: visitSalts.salt }).from(visitSalts).where(eq(visitSalts.day, day)),
    ]);
    row = read[0];
  }
  if (!row) throw new Error(`no visitor salt for day ${day}`);
  // Only the current day matters to new hits; drop older ones from memory too.
  for (const d of cachedSalts.keys()) if (d < day) cachedSalts.delete(d);
  cachedSalts.set(day, row.salt);
  return row.salt;
}

/** Tests simulate a fresh isolate with this. */
export function forgetCachedSalts(): void {
  cachedSalts.clear();
}

export function visitorId(salt: string, siteId: number, ip: string, userAgent: string): string {
  return sha256Hex(`${salt}\n${siteId}\n${ip}\n${userAgent}`).slice(0, 32);
}

/** The first UTC day whose visitor sets (visitor_days, goal_visitor_days) the clean-up keeps at `now`. */
export const visitorDaysKeptFrom = (now: number) => now - (now % DAY) - SALT_KEEP_DAYS * DAY;

/**
 * The scheduled clean-up: salts older than SALT_KEEP_DAYS days go (ids can no longer be recomputed), and
 * so do the per-day visitor sets (visitor_days, goal_visitor_days) the consumer used to count unique visitors for those days.
 */
export async function pruneVisitorData(db: Db, now = Date.now()): Promise<{ salts: number; visitorDays: number }> {
  const cutoff = now - (now % DAY) - (SALT_KEEP_DAYS - 1) * DAY;
  const [salts, days] = await db.batch([
    db.delete(visitSalts).where(lt(visitSalts.day, cutoff)).returning({ day: visitSalts.day }),
    db.delete(visitorDays).where(lt(visitorDays.day, visitorDaysKeptFrom(now))),
    db.delete(goalVisitorDays).where(lt(goalVisitorDays.day, visitorDaysKeptFrom(now))),
  ]);
  return { salts: salts.length, visitorDays: days.meta.changes ?? 0 };
}

/**
 * Run from the cron trigger (every 5 minutes); the clean-up itself only needs to happen once an hour, so
 * only the run in each hour's first five minutes does it.
 */
export async function scheduledVisitorCleanup(env: Env, scheduledTime: number): Promise<void> {
  if (new Date(scheduledTime).getUTCMinutes() >= 5) return;
  const pruned = await pruneVisitorData(getDb(env.DB), scheduledTime);
  log("info", "visitor salts pruned", pruned);
}
