// Goals counted into rollups, so the unfiltered report reads no raw visit for them. goal_daily holds per
// goal and UTC day the conversions and the converting visitors (a visitor is one per UTC day, as everywhere);
// goal_hourly the same per quarter hour, for the partial days at a period's ends in the site's zone, with each
// visitor's day counted twice over: in the bucket of their first conversion that day (first_visitors) and in
// that of their last (last_visitors). A period [from, to) between two local midnights then has exactly the
// raw count of distinct (day, visitor) pairs with a conversion in it: its whole UTC days from goal_daily, its
// partial first UTC day (from is not a UTC midnight) the pairs whose LAST conversion is at or after `from`,
// its partial last day the pairs whose FIRST conversion is before `to`. (A period inside one UTC day on both
// ends would need more; no real zone's local day, 23 hours or longer, starts and ends strictly inside one.)
//
// Who writes it: the visits consumer in its one batch (GOAL_INGEST_SQL: the staged visits joined to the
// site's goals inside the batch, no read round trip), and the goal's own creation (goalBackfillSql: the
// raw visits of the last GOAL_BACKFILL_DAYS days, in the batch that inserts the goal, so a consumer batch
// either ran before it, and its visits are backfilled, or after it, and counts them itself). Deleting a
// goal deletes its rows (ON DELETE CASCADE on goal_id).
import { DAY } from "../../config";
import { QUARTER_MS } from "./period";

/** How far back a new goal is counted from raw visits; a report reaching further back counts it from raw visits. */
export const GOAL_BACKFILL_DAYS = 400;

/** Whether visit `s` converts goal `g`: the rule of goals.ts' lookup keys (`e:<event>`, `p:<path>` matched by GLOB). */
const CONVERTS = "CASE WHEN s.event = 'pageview' THEN g.kind = 'page' AND s.path GLOB g.value ELSE g.kind = 'event' AND s.event = g.value END";
const bucket = (col: string) => `${col} - ${col} % ${QUARTER_MS}`;
const day = (col: string) => `${col} - ${col} % ${DAY}`;

/** `source`'s visits (aliased s) joined to each goal (g, among `goals`) they convert. */
const converting = (source: string, goals: string) => `${source} s JOIN site_goals g ON g.site_id = s.site_id AND ${goals} AND ${CONVERTS}`;

/** Upsert tails for goal_hourly's counts. */
const ADD_CONVERSIONS = (key: "hour" | "day") => `ON CONFLICT (goal_id, ${key}) DO UPDATE SET conversions = conversions + excluded.conversions`;
const ADD_VISITORS =
  "ON CONFLICT (goal_id, hour) DO UPDATE SET first_visitors = first_visitors + excluded.first_visitors, last_visitors = last_visitors + excluded.last_visitors";

/**
 * The consumer's statements, run after visit_staging holds the batch's new visits (duplicates and deleted
 * sites' visits already dropped) and before it is emptied: conversions per bucket, then each converting
 * visitor-day's first and last conversion moved where this batch's hits put them (minus one in the old
 * bucket, plus one in the new), then remembered in goal_visitor_days.
 */
export const GOAL_INGEST_SQL: string[] = [
  "DELETE FROM goal_staging",
  `INSERT INTO goal_staging (goal_id, day, visitor, first_ts, last_ts, old_first, old_last)
    SELECT m.goal_id, m.day, m.visitor, m.f, m.l, v.first_ts, v.last_ts FROM (
      SELECT g.id AS goal_id, ${day("s.ts")} AS day, s.visitor, min(s.ts) AS f, max(s.ts) AS l
      FROM ${converting("visit_staging", "true")} GROUP BY 1, 2, 3
    ) m LEFT JOIN goal_visitor_days v ON v.goal_id = m.goal_id AND v.day = m.day AND v.visitor = m.visitor`,
  `INSERT INTO goal_hourly (goal_id, hour, conversions)
    SELECT g.id, ${bucket("s.ts")}, count(*) FROM ${converting("visit_staging", "true")} WHERE true GROUP BY 1, 2 ${ADD_CONVERSIONS("hour")}`,
  `INSERT INTO goal_daily (goal_id, day, conversions)
    SELECT g.id, ${day("s.ts")}, count(*) FROM ${converting("visit_staging", "true")} WHERE true GROUP BY 1, 2 ${ADD_CONVERSIONS("day")}`,
  `INSERT INTO goal_daily (goal_id, day, visitors) SELECT goal_id, day, count(*) FROM goal_staging WHERE old_first IS NULL GROUP BY 1, 2
    ON CONFLICT (goal_id, day) DO UPDATE SET visitors = visitors + excluded.visitors`,
  `INSERT INTO goal_hourly (goal_id, hour, first_visitors, last_visitors)
    SELECT goal_id, hour, sum(fv), sum(lv) FROM (
      SELECT goal_id, ${bucket("first_ts")} AS hour, 1 AS fv, 0 AS lv FROM goal_staging WHERE old_first IS NULL OR first_ts < old_first
      UNION ALL SELECT goal_id, ${bucket("old_first")}, -1, 0 FROM goal_staging WHERE first_ts < old_first
      UNION ALL SELECT goal_id, ${bucket("last_ts")}, 0, 1 FROM goal_staging WHERE old_last IS NULL OR last_ts > old_last
      UNION ALL SELECT goal_id, ${bucket("old_last")}, 0, -1 FROM goal_staging WHERE last_ts > old_last
    ) WHERE true GROUP BY 1, 2 ${ADD_VISITORS}`,
  `INSERT INTO goal_visitor_days (goal_id, day, visitor, first_ts, last_ts)
    SELECT goal_id, day, visitor, first_ts, last_ts FROM goal_staging WHERE true
    ON CONFLICT (goal_id, day, visitor) DO UPDATE SET first_ts = min(first_ts, excluded.first_ts), last_ts = max(last_ts, excluded.last_ts)`,
  "DELETE FROM goal_staging",
];

/**
 * The backfill of the goals whose rollup_from is still NULL (just inserted, or reset by a rebuild) among the
 * sites `sites` selects (a condition on s.site_id), from the raw visits since `since` (a UTC midnight); the
 * visitor-days the consumer may still extend, from `daysSince`, go to goal_visitor_days. Each is an SQL
 * expression (a parameter, or a literal in a migration). Ends by setting rollup_from: run it in the batch that
 * made the goals pending.
 */
export function goalBackfillSql(p: { sites: string; since: string; daysSince: string }): string[] {
  const pending = converting("visits", "g.rollup_from IS NULL");
  const where = `${p.sites} AND s.ts >= ${p.since}`;
  return [
    `INSERT INTO goal_hourly (goal_id, hour, conversions) SELECT g.id, ${bucket("s.ts")}, count(*) FROM ${pending} WHERE ${where} GROUP BY 1, 2`,
    `INSERT INTO goal_daily (goal_id, day, conversions, visitors)
    SELECT g.id, ${day("s.ts")}, count(*), count(DISTINCT s.visitor) FROM ${pending} WHERE ${where} GROUP BY 1, 2`,
    `WITH d AS MATERIALIZED (SELECT g.id AS goal_id, min(s.ts) AS f, max(s.ts) AS l FROM ${pending} WHERE ${where} GROUP BY g.id, ${day("s.ts")}, s.visitor)
    INSERT INTO goal_hourly (goal_id, hour, first_visitors, last_visitors)
    SELECT goal_id, hour, sum(fv), sum(lv) FROM (
      SELECT goal_id, ${bucket("f")} AS hour, 1 AS fv, 0 AS lv FROM d UNION ALL SELECT goal_id, ${bucket("l")}, 0, 1 FROM d
    ) WHERE true GROUP BY 1, 2 ${ADD_VISITORS}`,
    `INSERT INTO goal_visitor_days (goal_id, day, visitor, first_ts, last_ts)
    SELECT g.id, ${day("s.ts")}, s.visitor, min(s.ts), max(s.ts) FROM ${pending} WHERE ${where} AND s.ts >= ${p.daysSince} GROUP BY 1, 2, 3`,
    `UPDATE site_goals AS s SET rollup_from = ${p.since} WHERE ${p.sites} AND s.rollup_from IS NULL`,
  ];
}

/** The backfill window's start for a goal created at `now`: GOAL_BACKFILL_DAYS UTC days back. */
export const backfillSince = (now: number) => now - (now % DAY) - GOAL_BACKFILL_DAYS * DAY;

/**
 * Per goal whose rollup covers the period (rollup_from <= ?2): conversions and converting visitors of
 * [?2, ?3): its whole UTC days [?6, ?7) from goal_daily, its partial first day [?2, ?6) and partial last day
 * [?7, ?3) from goal_hourly (see the top of this file). Each is one range of a primary key per goal, read
 * once (both sums in one JSON array): about 30 + 2 × 96 rows per goal for 30 days at most.
 */
export const GOAL_ROLLUP_COUNTS = `SELECT id, kind, value, coalesce(d ->> 0, 0) + coalesce(h ->> 0, 0) AS conversions,
    coalesce(d ->> 1, 0) + coalesce(h ->> 1, 0) AS visitors FROM (
    SELECT g.id, g.kind, g.value,
      (SELECT json_array(sum(conversions), sum(visitors)) FROM goal_daily WHERE goal_id = g.id AND day >= ?6 AND day < ?7) AS d,
      (SELECT json_array(sum(conversions), sum(CASE WHEN hour < ?6 THEN last_visitors ELSE first_visitors END)) FROM goal_hourly
        WHERE goal_id = g.id AND (hour >= ?2 AND hour < min(?6, ?3) OR hour >= max(?7, ?6) AND hour < ?3)) AS h
    FROM site_goals g WHERE g.site_id = ?1 AND g.rollup_from <= ?2)`;

/** The whole UTC days of [from, to): from the first UTC midnight at or after `from` to the last one at or before `to`. */
export const wholeDays = (from: number, to: number) => ({ first: from % DAY === 0 ? from : from - (from % DAY) + DAY, end: to - (to % DAY) });

/**
 * goalBackfillSql for site `siteId`'s pending goals, as statements (each bound to the parameters it uses:
 * ?1 the site, ?2 the window's start, ?3 the first visitor-day kept).
 */
export function goalBackfillStatements(db: D1Database, siteId: number, since: number, daysSince: number): D1PreparedStatement[] {
  const params = [siteId, since, daysSince];
  return goalBackfillSql({ sites: "s.site_id = ?1", since: "?2", daysSince: "?3" }).map((q) => {
    const used = Math.max(...[...q.matchAll(/\?(\d)/g)].map((m) => Number(m[1])));
    return db.prepare(q).bind(...params.slice(0, used));
  });
}
