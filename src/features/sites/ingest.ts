// Storing visits with their rollups, as ONE db.batch (one D1 transaction, one round trip) per queue batch.
// Visits travel into SQL as JSON arrays through json_each (one bound parameter per chunk, far below D1's
// 100-parameter limit whatever the batch size) into a staging table; visits already stored (a redelivered
// message: same uid) and visits of deleted sites are dropped there, so every rollup increment below counts
// exactly the rows that are then inserted into `visits`. Either all of it commits or none of it does.
import { DIMENSION_RULES, DIMENSIONS, VISIT_COLUMNS, VISIT_FIELDS, type VisitMessage } from "../../db/visit-fields";
import { GOAL_INGEST_SQL, goalBackfillStatements } from "./goal-rollup";
import { QUARTER_MS } from "./period";
import { SEGMENT_KEYS, SEGMENT_PAIR_KEYS, segmentCase, segmentJoin } from "./segments";
import { SESSION_REBUILD_STATE_SQL, SESSION_STATE_SQL, sessionIngestSql, sessionRebuildSql, VISIT_DIMS_ROLLUP, VISIT_PAIRS_ROLLUP } from "./sessions";

const DAY_MS = 86_400_000;

export { QUARTER_MS };

/** Rows per json_each chunk: keeps each bound string small (a visit is ~400 bytes of JSON). */
const CHUNK_ROWS = 100;

const columnList = VISIT_COLUMNS.map((c) => c.column).join(", ");
const fromJson = VISIT_COLUMNS.map((c) => `value ->> '${c.key}' AS ${c.column}`).join(", ");
const day = (col = "ts") => `(${col} - ${col} % ${DAY_MS})`;

/**
 * Each dimension (fields.ts says what it counts): the SQL of its value, and which staged rows count.
 * Pageviews and hits count rows; visitors count each visitor's first hit of the day.
 */
export const DIMS: [dim: string, value: string, counts: string][] = DIMENSIONS.map((dim) => {
  const rule = DIMENSION_RULES[dim];
  const col = `s.${VISIT_FIELDS[rule.field].column}`;
  const counts = { pageviews: "s.event = 'pageview'", hits: "1", visitors: "s.new_visitor = 1" }[rule.counts];
  if (rule.none === "blank") return [dim, `coalesce(${col}, '')`, counts];
  return [dim, col, rule.none === "skip" ? `${counts} AND ${col} IS NOT NULL` : counts];
});
/** CASE over `d.value` (a dimension's name, from json_each of DIM_NAMES): its value (1) or whether the row counts (2). */
export const dimCase = (i: 1 | 2, dims: readonly (typeof DIMS)[number][] = DIMS) =>
  `CASE d.value ${dims.map((d) => `WHEN '${d[0]}' THEN ${d[i]}`).join(" ")} END`;

/** The dimensions' names as a JSON array, to join rows to with json_each. */
export const DIM_NAMES_JSON = JSON.stringify(DIMS.map((d) => d[0]));

/** The dimension prefix of custom properties in visit_dims: `prop:plan` counts the hits with a `plan` property. */
export const PROP_DIM_PREFIX = "prop:";

/** Adds `source`'s rows (matching `where`) with properties to visit_dims, one row per key, day and value. */
const PROPS_ROLLUP_SQL = (source: string, where: string) => `INSERT INTO visit_dims (site_id, dim, day, value, n)
    SELECT s.site_id, '${PROP_DIM_PREFIX}' || p.key, ${day("s.ts")}, p.value, count(*)
    FROM ${source} s JOIN json_each(s.props) p WHERE s.props IS NOT NULL AND ${where} GROUP BY 1, 2, 3, 4
    ON CONFLICT (site_id, dim, day, value) DO UPDATE SET n = n + excluded.n`;
/**
 * visit_hourly's and visit_dims' rows per segment (segments.ts), from rows aliased `s` of `source`: each row
 * counts once in each of its segments (of `keys`: all of them but in a backfill), by the same rules as the
 * unsegmented rollups. The consumer
 * counts pageviews and visitors from the staged rows at once; the rebuild pageviews from every visit and
 * visitors from the staged first hits, like its visit_hourly and visit_dims statements.
 */
const segmentHourly = (
  source: string,
  pageviews: string,
  visitors: string,
  add: string,
  keys = SEGMENT_KEYS,
) => `INSERT INTO visit_hourly_by (site_id, fdim, fvalue, hour, pageviews, visitors)
    SELECT s.site_id, g.value, ${segmentCase("s")}, s.ts - s.ts % ${QUARTER_MS}, ${pageviews}, ${visitors}
    FROM ${source} s ${segmentJoin(keys)} WHERE true GROUP BY 1, 2, 3, 4 ${add}`;
const segmentDims = (
  source: string,
  dims: readonly (typeof DIMS)[number][],
  keys = SEGMENT_KEYS,
) => `INSERT INTO visit_pairs (site_id, fdim, fvalue, dim, day, value, n)
    SELECT site_id, fdim, fvalue, dim, day, v, count(*) FROM (
      SELECT s.site_id, g.value AS fdim, ${segmentCase("s")} AS fvalue, d.value AS dim, ${day("s.ts")} AS day, ${dimCase(1, dims)} AS v
      FROM ${source} s ${segmentJoin(keys)} JOIN json_each('${JSON.stringify(dims.map((d) => d[0]))}') d
      WHERE ${dimCase(2, dims)}
    ) WHERE true GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (site_id, fdim, fvalue, dim, day, value) DO UPDATE SET n = n + excluded.n`;

const SQL = {
  // Normally empty already (every batch ends by emptying it, or rolls back entirely); this makes sure.
  clear: "DELETE FROM visit_staging",
  stage: `INSERT OR IGNORE INTO visit_staging (${columnList}) SELECT ${fromJson} FROM json_each(?1)`,
  dropKnown: `DELETE FROM visit_staging
    WHERE EXISTS (SELECT 1 FROM visits v WHERE v.uid = visit_staging.uid)
       OR NOT EXISTS (SELECT 1 FROM sites s WHERE s.id = visit_staging.site_id)`,
  // A visitor's first hit of the day in this batch, if the day has not counted them yet.
  markNewVisitors: `UPDATE visit_staging SET new_visitor = 1 WHERE uid IN (
      SELECT uid FROM (
        SELECT uid, site_id, visitor, ${day()} AS day,
          row_number() OVER (PARTITION BY site_id, ${day()}, visitor ORDER BY ts, uid) AS nth
        FROM visit_staging
      ) f
      WHERE nth = 1 AND NOT EXISTS (
        SELECT 1 FROM visitor_days d WHERE d.site_id = f.site_id AND d.day = f.day AND d.visitor = f.visitor))`,
  hourly: `INSERT INTO visit_hourly (site_id, hour, pageviews, visitors)
    SELECT site_id, ts - ts % ${QUARTER_MS}, sum(event = 'pageview'), sum(new_visitor)
    FROM visit_staging WHERE true GROUP BY 1, 2
    ON CONFLICT (site_id, hour) DO UPDATE SET pageviews = pageviews + excluded.pageviews, visitors = visitors + excluded.visitors`,
  rememberVisitors: `INSERT OR IGNORE INTO visitor_days (site_id, day, visitor)
    SELECT site_id, ${day()}, visitor FROM visit_staging WHERE new_visitor = 1`,
  // One pass over the staged rows per dimension, joined to the list of dimensions (D1 caps compound
  // SELECTs at a few terms, so no UNION ALL chain).
  dims: `INSERT INTO visit_dims (site_id, dim, day, value, n)
    SELECT site_id, dim, day, v, count(*) FROM (
      SELECT s.site_id, d.value AS dim, ${day("s.ts")} AS day, ${dimCase(1)} AS v
      FROM visit_staging s JOIN json_each('${DIM_NAMES_JSON}') d
      WHERE ${dimCase(2)}
    ) WHERE true GROUP BY site_id, dim, day, v
    ON CONFLICT (site_id, dim, day, value) DO UPDATE SET n = n + excluded.n`,
  // Custom properties: per key (dim "prop:<key>"), day and value, the hits that carried it.
  props: PROPS_ROLLUP_SQL("visit_staging", "true"),
  segmentHourly: segmentHourly(
    "visit_staging",
    "sum(s.event = 'pageview')",
    "sum(s.new_visitor)",
    "ON CONFLICT (site_id, fdim, fvalue, hour) DO UPDATE SET pageviews = pageviews + excluded.pageviews, visitors = visitors + excluded.visitors",
  ),
  segmentDims: segmentDims("visit_staging", DIMS),
  insertVisits: `INSERT OR IGNORE INTO visits (${columnList}) SELECT ${columnList} FROM visit_staging ORDER BY ts`,
};

/** The statements that store `visits` and update every rollup; run them with ONE `db.batch()`. */
function ingestStatements(db: D1Database, visits: VisitMessage[]): D1PreparedStatement[] {
  const stage: D1PreparedStatement[] = [];
  for (let i = 0; i < visits.length; i += CHUNK_ROWS) {
    stage.push(db.prepare(SQL.stage).bind(JSON.stringify(visits.slice(i, i + CHUNK_ROWS))));
  }
  return [
    db.prepare(SQL.clear),
    ...stage,
    db.prepare(SQL.dropKnown),
    db.prepare(SQL.markNewVisitors),
    db.prepare(SQL.hourly),
    db.prepare(SQL.rememberVisitors),
    // Entry and exit pages, visits and bounces (sessions.ts), overall and per segment: read visitor_days, then update it.
    ...[...sessionIngestSql(VISIT_DIMS_ROLLUP), ...sessionIngestSql(VISIT_PAIRS_ROLLUP), SESSION_STATE_SQL].map((q) => db.prepare(q)),
    db.prepare(SQL.dims),
    db.prepare(SQL.props),
    db.prepare(SQL.segmentHourly),
    db.prepare(SQL.segmentDims),
    // Goals (goal-rollup.ts): conversions and converting visitors per goal and quarter hour.
    ...GOAL_INGEST_SQL.map((q) => db.prepare(q)),
    db.prepare(SQL.insertVisits),
    db.prepare(SQL.clear),
  ];
}

/** Stores the visits (duplicates and visits of deleted sites are skipped); returns how many were new. */
export async function ingestVisits(db: D1Database, visits: VisitMessage[]): Promise<number> {
  if (visits.length === 0) return 0;
  const results = await db.batch(ingestStatements(db, visits));
  // The second-to-last statement inserts into visits.
  return results[results.length - 2]?.meta.changes ?? 0;
}

const hitDims = DIMS.filter(([, , counts]) => !counts.includes("new_visitor"));
const visitorDims = DIMS.filter(([, , counts]) => counts.includes("new_visitor"));
/** The rebuild's condition on `site_id`: one site, bound as ?1 (the backfill of migration 0017 used `true`). */
const ONE_SITE = "site_id = ?1";

/** Each visitor's first hit of the day into the staging table, flagged new, for the visits of `sites`. */
const firstHitsSql = (sites: string) => `INSERT INTO visit_staging (${columnList}, new_visitor)
    SELECT ${columnList}, 1 FROM (
      SELECT *, row_number() OVER (PARTITION BY site_id, ${day()}, visitor ORDER BY ts, uid) AS nth FROM visits WHERE ${sites}
    ) WHERE nth = 1`;

/**
 * The segment rollups (segments.ts) rebuilt from the visits of `sites` (a condition on site_id), once
 * firstHitsSql has staged their first hits: pageviews and hit counts from every visit, visitors from the
 * first hits, then entry, exit and sessions per segment. The statements that migration 0017 ran with `true`
 * (and 0031 with `true` and only the pairs' keys).
 */
export function segmentRebuildSql(sites: string, keys = SEGMENT_KEYS): string[] {
  // Staging holds only these sites' first hits; the condition is repeated so every statement binds alike.
  const visits = `(SELECT * FROM visits WHERE ${sites})`;
  const firstHits = `(SELECT * FROM visit_staging WHERE ${sites})`;
  return [
    segmentHourly(visits, "sum(s.event = 'pageview')", "0", "", keys),
    segmentHourly(firstHits, "0", "count(*)", "ON CONFLICT (site_id, fdim, fvalue, hour) DO UPDATE SET visitors = visitors + excluded.visitors", keys),
    segmentDims(visits, hitDims, keys),
    segmentDims(firstHits, visitorDims, keys),
    ...sessionRebuildSql({ ...VISIT_PAIRS_ROLLUP, join: segmentJoin(keys) }, sites),
  ];
}

/**
 * The backfill of the segment rollups for every site, staging filled and emptied around it: every segment
 * (migration 0017), or only the pairs' (migration 0031, which added them).
 */
export const segmentBackfillSql = (keys = SEGMENT_KEYS): string[] => [SQL.clear, firstHitsSql("true"), ...segmentRebuildSql("true", keys), SQL.clear];
/** Migration 0031's backfill: the pair segments of the visits stored before it. */
export const segmentPairBackfillSql = (): string[] => segmentBackfillSql(SEGMENT_PAIR_KEYS);

/**
 * Recomputes one site's rollups from its raw visits, with the same rules as the consumer's increments, so a
 * rebuild equals what the queue would have produced. For bulk loads (the seed script writes raw visits directly):
 * set-based and sort-light, with each visitor's first hit of the day put in the staging table once and every
 * visitor count read from there. Visitor sets are kept only for days from `visitorDaysSince`, as the scheduled
 * clean-up would leave them. Run as one db.batch.
 */
export function rebuildRollupStatements(db: D1Database, siteId: number, visitorDaysSince: number): D1PreparedStatement[] {
  return [
    db.prepare("DELETE FROM visit_hourly WHERE site_id = ?1").bind(siteId),
    db.prepare("DELETE FROM visit_dims WHERE site_id = ?1").bind(siteId),
    db.prepare("DELETE FROM visitor_days WHERE site_id = ?1").bind(siteId),
    db.prepare("DELETE FROM visit_hourly_by WHERE site_id = ?1").bind(siteId),
    db.prepare("DELETE FROM visit_pairs WHERE site_id = ?1").bind(siteId),
    db.prepare(SQL.clear),
    db.prepare(firstHitsSql(ONE_SITE)).bind(siteId),
    // Walks visits_site_ts in order, so grouping by quarter hour needs no sort.
    db
      .prepare(
        `INSERT INTO visit_hourly (site_id, hour, pageviews, visitors)
         SELECT site_id, ts - ts % ${QUARTER_MS}, sum(event = 'pageview'), 0 FROM visits WHERE site_id = ?1 GROUP BY 1, 2`,
      )
      .bind(siteId),
    db.prepare(
      `INSERT INTO visit_hourly (site_id, hour, pageviews, visitors)
       SELECT site_id, ts - ts % ${QUARTER_MS}, 0, count(*) FROM visit_staging WHERE true GROUP BY 1, 2
       ON CONFLICT (site_id, hour) DO UPDATE SET visitors = visitors + excluded.visitors`,
    ),
    ...hitDims.map(([dim, value, counts]) =>
      db
        .prepare(
          `INSERT INTO visit_dims (site_id, dim, day, value, n)
           SELECT s.site_id, '${dim}', ${day("s.ts")}, ${value}, count(*) FROM visits s WHERE s.site_id = ?1 AND ${counts} GROUP BY 1, 2, 3, 4`,
        )
        .bind(siteId),
    ),
    ...visitorDims.map(([dim, value, counts]) =>
      db.prepare(
        `INSERT INTO visit_dims (site_id, dim, day, value, n)
         SELECT s.site_id, '${dim}', ${day("s.ts")}, ${value}, count(*) FROM visit_staging s WHERE ${counts} GROUP BY 1, 2, 3, 4`,
      ),
    ),
    db.prepare(PROPS_ROLLUP_SQL("visits", "s.site_id = ?1")).bind(siteId),
    ...segmentRebuildSql(ONE_SITE).map((q) => db.prepare(q).bind(siteId)),
    db.prepare(`INSERT INTO visitor_days (site_id, day, visitor) SELECT site_id, ${day()}, visitor FROM visit_staging WHERE ts >= ?1`).bind(visitorDaysSince),
    ...sessionRebuildSql(VISIT_DIMS_ROLLUP, ONE_SITE).map((q) => db.prepare(q).bind(siteId)),
    db.prepare(SESSION_REBUILD_STATE_SQL).bind(siteId, visitorDaysSince),
    db.prepare(SQL.clear),
    // The goals' rollups: emptied, made pending and backfilled from every visit, as when a goal is created.
    db.prepare("DELETE FROM goal_hourly WHERE goal_id IN (SELECT id FROM site_goals WHERE site_id = ?1)").bind(siteId),
    db.prepare("DELETE FROM goal_visitor_days WHERE goal_id IN (SELECT id FROM site_goals WHERE site_id = ?1)").bind(siteId),
    db.prepare("DELETE FROM goal_daily WHERE goal_id IN (SELECT id FROM site_goals WHERE site_id = ?1)").bind(siteId),
    db.prepare("UPDATE site_goals SET rollup_from = NULL WHERE site_id = ?1").bind(siteId),
    ...goalBackfillStatements(db, siteId, 0, visitorDaysSince),
  ];
}
