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
