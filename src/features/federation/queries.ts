// What NodeInfo reports about the whole site, in one statement: confirmed members (all, active in the last
// month and half year, by last_seen), posts and visible comments. Site-wide counts belong to no one feature,
// so they are read here rather than composed from three front doors (three round trips).
import { sql } from "drizzle-orm";
import type { Db } from "../../db";

export type SiteUsage = { users: number; activeMonth: number; activeHalfyear: number; posts: number; comments: number };

const DAY = 86_400_000;

export async function siteUsage(db: Db, now = Date.now()): Promise<SiteUsage> {
  const rows = await db.all<SiteUsage>(sql`SELECT
    (SELECT count(*) FROM users WHERE confirmed = 1) AS users,
    (SELECT count(*) FROM users WHERE confirmed = 1 AND last_seen >= ${now - 30 * DAY}) AS activeMonth,
    (SELECT count(*) FROM users WHERE confirmed = 1 AND last_seen >= ${now - 180 * DAY}) AS activeHalfyear,
    (SELECT count(*) FROM posts) AS posts,
    (SELECT count(*) FROM comments WHERE disabled = 0) AS comments`);
  return rows[0] ?? { users: 0, activeMonth: 0, activeHalfyear: 0, posts: 0, comments: 0 };
}

// --- Leaving the fediverse, deleted accounts (issue 13) ----------------------------------------------------
// users.left_fediverse_at is federation's column (the users feature's reads only hide the actor link with it).

/**
 * Whether the actor with this id is gone for the fediverse: its member left it, or the account was deleted
 * (gone_actors). One statement; false for an id that never was a member's (that is a 404).
 */
export async function isGoneActor(db: Db, userId: number): Promise<boolean> {
  const rows = await db.all<{ gone: number }>(sql`SELECT
    EXISTS (SELECT 1 FROM users WHERE id = ${userId} AND confirmed = 1 AND left_fediverse_at IS NOT NULL)
    OR EXISTS (SELECT 1 FROM gone_actors WHERE user_id = ${userId}) AS gone`);
  return rows[0]?.gone === 1;
}

/** The id of the confirmed member named `username` (any case) who left the fediverse, if they did. */
export async function leftMemberId(db: Db, username: string): Promise<number | null> {
  const rows = await db.all<{ id: number }>(
    sql`SELECT id FROM users WHERE lower(username) = lower(${username}) AND confirmed = 1 AND left_fediverse_at IS NOT NULL`,
  );
  return rows[0]?.id ?? null;
}

/** When the member left the fediverse (ms), or null while they are part of it. */
export async function leftFediverseAt(db: Db, userId: number): Promise<number | null> {
  const rows = await db.all<{ at: number | null }>(sql`SELECT left_fediverse_at AS at FROM users WHERE id = ${userId}`);
  return rows[0]?.at ?? null;
}

/** Leaves (a time) or rejoins (null) the fediverse; false when nothing changed (already in that state). */
export async function setLeftFediverse(db: Db, userId: number, at: number | null): Promise<boolean> {
  const changed = await db.all<{ id: number }>(
    at === null
      ? sql`UPDATE users SET left_fediverse_at = NULL WHERE id = ${userId} AND left_fediverse_at IS NOT NULL RETURNING id`
      : sql`UPDATE users SET left_fediverse_at = ${at} WHERE id = ${userId} AND left_fediverse_at IS NULL RETURNING id`,
  );
  return changed.length > 0;
}
