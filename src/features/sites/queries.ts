// Read side of analytics and the sites table's statements. Unfiltered reports read only the rollups
// (visit_hourly, visit_dims), whose size grows with hours and distinct values, not with visits; raw visits
// are read by filtered reports, the keyset-paginated table, the CSV export and the 5-minute figure, always
// through (site_id, ts).
// Statements that belong to one page go to D1 together in one batch, with the owner check among them:
// a page costs one round trip, and rows fetched for someone who turns out not to own the site are dropped.
import { and, asc, eq, sql } from "drizzle-orm";
import { DAY } from "../../config";
import type { Db } from "../../db";
import { insertWhere } from "../../db/insert-where";
import { rowsOf } from "../../db/rows";
import { sites, users, visitDims } from "../../db/schema";
import { DIMENSION_RULES, DIMENSIONS, VISIT_FIELDS, VISIT_SELECT, type VisitFields } from "../../db/visit-fields";
import type { Cursor } from "../../lib/pagination";
import { type Filter, filterSql } from "./filters";
import { type FunnelHitRow, funnelHitsStatement, funnelsStatement, type GoalRow, goalsStatement } from "./goals";
import { DIMS, dimCase, QUARTER_MS } from "./ingest";
import { type PropRow, propsStatement } from "./props";
import { segmentOf } from "./segments";
import { SESSION_DIMENSIONS } from "./sessions";

export type SiteSummary = { id: number; name: string; baseUrl: string; createdAt: number; timeZone: string; reportWeekly: boolean; reportMonthly: boolean };
export type SiteListItem = SiteSummary & { pageviews: number };

export type VisitItem = VisitFields & { id: number };

export type SeriesPoint = { t: number; pageviews: number; visitors: number };
export type DimRow = { dim: string; value: string; n: number; total: number };
export type SessionDay = { day: number; visits: number; bounces: number };

const siteColumns = {
  id: sites.id,
  name: sites.name,
  baseUrl: sites.baseUrl,
  createdAt: sites.createdAt,
  timeZone: sites.timeZone,
  reportWeekly: sites.reportWeekly,
  reportMonthly: sites.reportMonthly,
};

// --- Sites ------------------------------------------------------------------------------------------

export async function findSiteBaseUrl(db: Db, siteId: number): Promise<string | null> {
  const row = await db.select({ baseUrl: sites.baseUrl }).from(sites).where(eq(sites.id, siteId)).get();
  return row?.baseUrl ?? null;
}

export function ownedSiteQuery(db: Db, siteId: number, userId: number) {
  return db
    .select(siteColumns)
    .from(sites)
    .where(and(eq(sites.id, siteId), eq(sites.userId, userId)));
}

/** A member's sites with their pageviews since `since`: one statement (a correlated sum over the rollup's key). */
export function listSitesQuery(db: Db, userId: number, since: number) {
  return db
    .select({
      ...siteColumns,
      pageviews: sql<number>`(SELECT coalesce(sum(h.pageviews), 0) FROM visit_hourly h WHERE h.site_id = ${sites.id} AND h.hour >= ${since})`.mapWith(Number),
    })
    .from(sites)
    .where(eq(sites.userId, userId))
    .orderBy(sql`${sites.name} COLLATE NOCASE`, asc(sites.id));
}

export function sameBaseUrlQuery(db: Db, userId: number, baseUrl: string) {
  return db
    .select({ id: sites.id })
    .from(sites)
    .where(and(eq(sites.userId, userId), eq(sites.baseUrl, baseUrl)));
}

/** Inserts unless the member already has `max` sites; a duplicate base URL inserts nothing either. */
export function insertSiteQuery(db: Db, site: { userId: number; name: string; baseUrl: string; createdAt: number }, max: number) {
  const { userId, name, baseUrl, createdAt } = site;
  // The member's own row is the one row to select from, while they have fewer than `max` sites.
  const belowMax = and(eq(users.id, userId), sql`(SELECT count(*) FROM sites WHERE user_id = ${userId}) < ${max}`);
  const defaults = { timeZone: "UTC", isPublic: false, reportWeekly: false, reportMonthly: false };
  return insertWhere(db, sites, { userId, name, baseUrl, createdAt, ...defaults }, users, belowMax)
    .onConflictDoNothing()
    .returning({ id: sites.id });
}

/** Changes the owner's site (nothing for anyone else's), returning it as the pages show it. */
export function updateOwnedSiteQuery(db: Db, siteId: number, userId: number, set: Partial<typeof sites.$inferInsert>) {
  return db
    .update(sites)
    .set(set)
    .where(and(eq(sites.id, siteId), eq(sites.userId, userId)))
    .returning(siteColumns);
}

/** Visits, rollups and visitor sets go with the site (ON DELETE CASCADE). */
export function deleteSiteQuery(db: Db, siteId: number, userId: number) {
  return db
    .delete(sites)
    .where(and(eq(sites.id, siteId), eq(sites.userId, userId)))
    .returning({ id: sites.id, name: sites.name });
}

/** Every hit ever recorded for the site, from the event rollup (no raw rows read). */
export function siteHitCountQuery(db: Db, siteId: number) {
  return db
    .select({ n: sql<number>`coalesce(sum(${visitDims.n}), 0)`.mapWith(Number) })
    .from(visitDims)
    .where(and(eq(visitDims.siteId, siteId), eq(visitDims.dim, "event")));
}

// --- Reports (raw SQL: window functions, batched through the D1 client) -----------------------------

const SITE_COLS = `SELECT id, name, base_url AS baseUrl, created_at AS createdAt, time_zone AS timeZone,
  report_weekly = 1 AS reportWeekly, report_monthly = 1 AS reportMonthly FROM sites`;
const SITE_SQL = `${SITE_COLS} WHERE id = ?1 AND user_id = ?2`;

/**
 * Who may read a site's report: its owner, anyone holding one of its share links (checked again in the
 * report's batch, so a link revoked meanwhile shows nothing), or anyone at all once the site is public.
 */
export type SiteAccess = { userId: number } | { shareId: number } | { publicSite: true };

/** The site row if `access` allows it; no row otherwise (a 404 for the caller). */
export function siteStatement(client: D1Database, siteId: number, access: SiteAccess): D1PreparedStatement {
  if ("userId" in access) return client.prepare(SITE_SQL).bind(siteId, access.userId);
  if ("shareId" in access) {
    return client.prepare(`${SITE_COLS} WHERE id = ?1 AND EXISTS (SELECT 1 FROM site_shares WHERE id = ?2 AND site_id = ?1)`).bind(siteId, access.shareId);
  }
  return client.prepare(`${SITE_COLS} WHERE id = ?1 AND is_public = 1`).bind(siteId);
}

/**
 * Pageviews and visitors per chart bucket, from the quarter-hour rollup. The buckets (local days or hours,
 * which UTC arithmetic cannot find) come as one JSON array of boundaries (parameter `edges`); each bucket is
 * one range scan of `rollup` h (hour, pageviews, visitors), given with the start of its join condition.
 */
const seriesSql = (edges: string, rollup: string) => `SELECT b.value AS t, sum(h.pageviews) AS pageviews, sum(h.visitors) AS visitors
  FROM json_each(${edges}) b JOIN ${rollup} h.hour >= b.value AND h.hour < json_extract(${edges}, '$[' || (b.key + 1) || ']')
  WHERE b.key < json_array_length(${edges}) - 1 GROUP BY b.key ORDER BY b.key`;
const SERIES_SQL = seriesSql("?2", "visit_hourly h ON h.site_id = ?1 AND");
/**
 * seriesSql's figures from rows that have no index to range-scan (a materialized CTE `rows` of hour, pageviews,
 * visitors): the edges and the rows merged in time order (an edge before a row of the same time), and each row
 * given its bucket by ONE window, the last edge at or before it. The rows are walked once, where seriesSql's
 * join would scan them all once per bucket. Rows before the first edge or at/after the last are left out, and
 * so are empty buckets, as in seriesSql.
 */
const walkedSeriesSql = (edges: string, rows: string) => `SELECT t, sum(pageviews) AS pageviews, sum(visitors) AS visitors FROM (
    SELECT kind, max(bucket) OVER w AS bucket, max(t) OVER w AS t, pageviews, visitors FROM (
      SELECT value AS at, 0 AS kind, key AS bucket, value AS t, 0 AS pageviews, 0 AS visitors FROM json_each(${edges})
      UNION ALL SELECT hour, 1, NULL, NULL, pageviews, visitors FROM ${rows})
    WINDOW w AS (ORDER BY at, kind ROWS UNBOUNDED PRECEDING))
  WHERE kind = 1 AND bucket < json_array_length(${edges}) - 1 GROUP BY bucket ORDER BY bucket`;
/** The same for one segment (segments.ts): ?3 its dimension, ?4 its value. */
const SEGMENT_SERIES_SQL = seriesSql("?2", "visit_hourly_by h ON h.site_id = ?1 AND h.fdim = ?3 AND h.fvalue = ?4 AND");

/**
 * The top values of every dimension, with each dimension's total, in one statement. The IN list lets
 * SQLite walk the primary key (site_id, dim, day, value) as one day range per dimension.
 */
const topsSql = (rows: string) => `SELECT dim, value, n, total FROM (
    SELECT dim, value, sum(n) AS n, sum(sum(n)) OVER (PARTITION BY dim) AS total,
      row_number() OVER (PARTITION BY dim ORDER BY sum(n) DESC, value) AS rank
    FROM ${rows} AND dim IN (${[...DIMENSIONS, ...SESSION_DIMENSIONS].map((d) => `'${d}'`).join(", ")}) AND day >= ?2 AND day < ?3
    GROUP BY dim, value HAVING sum(n) > 0
  ) WHERE rank <= ?4 ORDER BY dim, rank`;
const TOPS_SQL = topsSql("visit_dims WHERE site_id = ?1");
/** visit_pairs has the same rows per segment: ?5 its dimension, ?6 its value (its key walks like visit_dims'). */
const SEGMENT_TOPS_SQL = topsSql("visit_pairs WHERE site_id = ?1 AND fdim = ?5 AND fvalue = ?6");

/** Visits and bounces per day of [?2, ?3) (a moved exit or undone bounce leaves rows at 0: harmless in a sum). */
const sessionsSql = (
  rows: string,
) => `SELECT day, sum(CASE value WHEN 'visits' THEN n ELSE 0 END) AS visits, sum(CASE value WHEN 'bounces' THEN n ELSE 0 END) AS bounces
  FROM ${rows} AND dim = 'session' AND day >= ?2 AND day < ?3 GROUP BY day ORDER BY day`;
const SESSIONS_SQL = sessionsSql("visit_dims WHERE site_id = ?1");
const SEGMENT_SESSIONS_SQL = sessionsSql("visit_pairs WHERE site_id = ?1 AND fdim = ?4 AND fvalue = ?5");

const LIVE_SQL = "SELECT count(DISTINCT visitor) AS n FROM visits WHERE site_id = ?1 AND ts >= ?2";

/** Live figure with the owner check in the same statement: no row means not found. */
const LIVE_OWNED_SQL = `SELECT (SELECT count(DISTINCT visitor) FROM visits v WHERE v.site_id = s.id AND v.ts >= ?3) AS n
  FROM sites s WHERE s.id = ?1 AND s.user_id = ?2`;

export type VisitPageRequest = { before: Cursor | null; after: Cursor | null; offset: number };

/**
 * Up to `limit` raw visits in [from, to) matching the filters, from a cursor: newest first (oldest first for
 * `after`). The filters' parameters follow the range's, then the cursor's and the limit.
 */
function visitPage(client: D1Database, siteId: number, from: number, to: number, req: VisitPageRequest, limit: number, filters: readonly Filter[]) {
  const f = filterSql(filters, 4);
  const base = `SELECT ${VISIT_SELECT} FROM visits s WHERE site_id = ?1 AND ts >= ?2 AND ts < ?3 AND ${f.sql}`;
  const n = 4 + f.params.length;
  const head = [siteId, from, to, ...f.params];
  if (req.before) {
    return client
      .prepare(`${base} AND (ts, id) < (?${n}, ?${n + 1}) ORDER BY ts DESC, id DESC LIMIT ?${n + 2}`)
      .bind(...head, req.before.ts, req.before.id, limit);
  }
  if (req.after) {
    return client.prepare(`${base} AND (ts, id) > (?${n}, ?${n + 1}) ORDER BY ts ASC, id ASC LIMIT ?${n + 2}`).bind(...head, req.after.ts, req.after.id, limit);
  }
  return client.prepare(`${base} ORDER BY ts DESC, id DESC LIMIT ?${n} OFFSET ?${n + 1}`).bind(...head, limit, req.offset);
}

// --- Filtered reports: raw visits of the period that match, counted by the rollups' rules ------------

/** The columns a filtered report counts by: the time and every dimension's field (page and event among them). */
const COUNTED_COLUMNS = [...new Set(["ts", ...DIMENSIONS.map((d) => VISIT_FIELDS[DIMENSION_RULES[d].field].column)])].map((c) => `s.${c}`).join(", ");
/** Dimensions counted on every matching hit (pages, events), and those counted on a visitor's first matching hit. */
const HIT_DIM_NAMES = new Set<string>(DIMENSIONS.filter((d) => DIMENSION_RULES[d].counts !== "visitors"));
const HIT_DIMS = DIMS.filter(([dim]) => HIT_DIM_NAMES.has(dim));
const VISITOR_DIMS = DIMS.filter(([dim]) => !HIT_DIM_NAMES.has(dim));
const columnsOf = (dims: typeof DIMS) =>
  [...new Set(DIMENSIONS.filter((d) => dims.some(([dim]) => dim === d)).map((d) => VISIT_FIELDS[DIMENSION_RULES[d].field].column))].join(", ");
/** `hits` rows (columns `cols`, count `n`) joined to each of `dims` they count in: (dim, value, n). */
const dimRows = (hits: string, dims: typeof DIMS) =>
  `SELECT d.value AS dim, ${dimCase(1, dims)} AS value, s.n AS n FROM ${hits} s JOIN json_each('${JSON.stringify(dims.map(([dim]) => dim))}') d WHERE ${dimCase(2, dims)}`;

/**
 * The current period's entry and exit pageviews of `f` (filteredReport) as (dim, value) rows: two plain scans of
 * the CTE, where a join to the list of the two dimensions made SQLite build an automatic index on `f` first.
 */
const ENTRY_EXIT_ROWS = `SELECT 'entry' AS dim, path AS value FROM f WHERE cur AND event = 'pageview' AND kc = 1
  UNION ALL SELECT 'exit', path FROM f WHERE cur AND event = 'pageview' AND kc = nc`;

/**
 * Everything a filtered report counts, from ONE pass over the matching raw visits of both periods: the rows
 * are read once (through an index that serves an `is` filter where there is one, else visits_site_ts) into a
 * materialized CTE of only the counted columns, numbered by ONE window (one sort) per UTC day and visitor in
 * time order, and every figure is computed from that, returned as JSON columns of one row. From the window:
 * `new_visitor`, the visitor's first matching hit of the day within its period (the partition's first row, or
 * the first of the current period: the previous period's hits of a day come first in time order), which is
 * what the rollups count visitors by, so a filtered figure means the same as an unfiltered one; `k` and `pv`,
 * a pageview's number in its visit and the visit's pageviews (sessions: a visit per first pageview, a bounce
 * when it had one); `kc` and `nc`, the same within the current period (entry and exit pages). The top lists
 * join each hit to the dimensions it counts in: all of them for a first hit, pages and events for the rest.
 * Parameters: ?1 site, ?2 the previous period's start, ?3 from, ?4 to, ?5 edges, ?6 previous edges, ?7 top N,
 * then the filters'.
 */
export function filteredReport(client: D1Database, q: ReportQuery): D1PreparedStatement {
  const f = filterSql(q.filters, 8);
  const json = (cols: string, rows: string) => `(SELECT json_group_array(json_array(${cols})) FROM (${rows}))`;
  const series = (edges: string) => json("t, pageviews, visitors", walkedSeriesSql(edges, "q"));
  /** The top `?7` values per dimension of `from`'s rows (each weighing `n`), with each dimension's total (TOPS_SQL's rows). */
  const ranked = (dim: string, value: string, from: string, n = "count(*)") =>
    json(
      "dim, value, n, total",
      `SELECT dim, value, n, total FROM (
        SELECT ${dim} AS dim, ${value} AS value, ${n} AS n, sum(${n}) OVER (PARTITION BY ${dim}) AS total,
          row_number() OVER (PARTITION BY ${dim} ORDER BY ${n} DESC, ${value}) AS rank
        FROM ${from} GROUP BY 1, 2
      ) WHERE rank <= ?7 ORDER BY dim, rank`,
    );
  const day = `s.ts - s.ts % ${DAY}`;
  const pageview = "s.event = 'pageview'";
  const whole = "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING";
  const sql = `WITH f AS MATERIALIZED (
      SELECT ${COUNTED_COLUMNS}, ${day} AS day, s.ts >= ?3 AS cur,
        row_number() OVER w = 1 OR (s.ts >= ?3 AND lag(s.ts < ?3) OVER w) AS new_visitor,
        sum(${pageview}) OVER (w ROWS UNBOUNDED PRECEDING) AS k, sum(${pageview}) OVER (w ${whole}) AS pv,
        sum(${pageview} AND s.ts >= ?3) OVER (w ROWS UNBOUNDED PRECEDING) AS kc, sum(${pageview} AND s.ts >= ?3) OVER (w ${whole}) AS nc
      FROM visits s WHERE s.site_id = ?1 AND s.ts >= ?2 AND s.ts < ?4 AND ${f.sql}
      WINDOW w AS (PARTITION BY ${day}, s.visitor ORDER BY s.ts, s.id)),
    q AS MATERIALIZED (SELECT ts - ts % ${QUARTER_MS} AS hour, sum(event = 'pageview') AS pageviews, sum(new_visitor) AS visitors FROM f GROUP BY 1),
    hits AS MATERIALIZED (SELECT ${columnsOf(HIT_DIMS)}, count(*) AS n FROM f WHERE cur GROUP BY ${columnsOf(HIT_DIMS)}),
    firsts AS MATERIALIZED (SELECT ${columnsOf(VISITOR_DIMS)}, 1 AS new_visitor, count(*) AS n FROM f WHERE cur AND new_visitor GROUP BY ${columnsOf(VISITOR_DIMS)})
    SELECT ${series("?5")} AS series, ${series("?6")} AS previous,
      ${ranked("dim", "value", `(${dimRows("hits", HIT_DIMS)} UNION ALL ${dimRows("firsts", VISITOR_DIMS)})`, "sum(n)")} AS tops,
      ${ranked("dim", "value", `(${ENTRY_EXIT_ROWS})`)} AS entry_exit,
      ${json("day, visits, bounces", "SELECT day, count(*) AS visits, sum(pv = 1) AS bounces FROM f WHERE event = 'pageview' AND k = 1 GROUP BY day ORDER BY day")} AS sessions`;
  return client.prepare(sql).bind(q.siteId, q.previousEdges[0], q.from, q.to, JSON.stringify(q.edges), JSON.stringify(q.previousEdges), q.topN, ...f.params);
}
export type ReportRows = {
  site: SiteSummary | null;
  series: SeriesPoint[];
  /** The same buckets over the period just before, of the same length. */
  previous: SeriesPoint[];
  tops: DimRow[];
  /** Visits and bounces per day over the previous period and this one. */
  sessions: SessionDay[];
  live: number;
  visits: VisitItem[];
  /** Every goal of the site with its conversions in the period (matching the filters). */
  goals: GoalRow[];
  funnels: Record<string, unknown>[];
  funnelHits: FunnelHitRow[];
  /** Top values of each custom property's key. */
  props: PropRow[];
};

export type ReportQuery = {
  siteId: number;
  access: SiteAccess;
  from: number;
  to: number;
  /** Chart bucket boundaries (see SERIES_SQL). */
  edges: number[];
  /** The UTC days the top lists cover (visit_dims is per UTC day). */
  dimsFrom: number;
  dimsTo: number;
  /** The chart buckets of the previous period of the same length (it ends at `from`), in the same zone. */
  previousEdges: number[];
  /** The first UTC day the session rollup is read from: the previous period's (it ends at dimsTo). */
  sessionsFrom: number;
  topN: number;
  liveSince: number;
  page: VisitPageRequest;
  perPage: number;
  /** None: rollups only. One `is` on a segment field, or two on a kept pair: the segment rollups. Otherwise: one pass over the matching raw visits (filteredReport). */
  filters: readonly Filter[];
};

/**
 * The chart's two series, the top lists and the sessions from the rollups: visit_hourly and visit_dims, or
 * visit_hourly_by and visit_pairs for a report filtered to one segment (segments.ts).
 */
function rollupStatements(client: D1Database, q: ReportQuery): D1PreparedStatement[] {
  const segment = segmentOf(q.filters);
  if (segment) {
    const { fdim, fvalue } = segment;
    return [
      client.prepare(SEGMENT_SERIES_SQL).bind(q.siteId, JSON.stringify(q.edges), fdim, fvalue),
      client.prepare(SEGMENT_SERIES_SQL).bind(q.siteId, JSON.stringify(q.previousEdges), fdim, fvalue),
      client.prepare(SEGMENT_TOPS_SQL).bind(q.siteId, q.dimsFrom, q.dimsTo, q.topN, fdim, fvalue),
      client.prepare(SEGMENT_SESSIONS_SQL).bind(q.siteId, q.sessionsFrom, q.dimsTo, fdim, fvalue),
    ];
  }
  return [
    client.prepare(SERIES_SQL).bind(q.siteId, JSON.stringify(q.edges)),
    client.prepare(SERIES_SQL).bind(q.siteId, JSON.stringify(q.previousEdges)),
    client.prepare(TOPS_SQL).bind(q.siteId, q.dimsFrom, q.dimsTo, q.topN),
    client.prepare(SESSIONS_SQL).bind(q.siteId, q.sessionsFrom, q.dimsTo),
  ];
}

/**
 * Everything on the report page in ONE round trip. Unfiltered, or filtered to one segment (one `is` on
 * country, browser, OS or device, or two on a pair of them: segments.ts), it reads rollups only, whatever the number of visits; otherwise the
 * chart and lists count the period's matching raw visits in one pass (filteredReport).
 */
export async function reportRows(db: Db, q: ReportQuery): Promise<ReportRows> {
  const client = db.$client;
  const head = siteStatement(client, q.siteId, q.access);
  const tail = [
    client.prepare(LIVE_SQL).bind(q.siteId, q.liveSince),
    // One more than a page, so "is there an older page" needs no COUNT.
    visitPage(client, q.siteId, q.from, q.to, q.page, q.perPage + 1, q.filters),
    // Goals and funnels (goals.ts): a fixed number of statements however many there are.
    goalsStatement(client, q),
    funnelsStatement(client, q.siteId),
    funnelHitsStatement(client, q),
    propsStatement(client, q),
  ];
  const tailRows = ([live, visits, goals, funnels, funnelHits, props]: D1Result[]) => ({
    live: rowsOf<{ n: number }>(live)[0]?.n ?? 0,
    visits: rowsOf<VisitItem>(visits),
    goals: rowsOf<GoalRow>(goals),
    funnels: rowsOf<Record<string, unknown>>(funnels),
    funnelHits: rowsOf<FunnelHitRow>(funnelHits),
    props: rowsOf<PropRow>(props),
  });
  if (q.filters.length && !segmentOf(q.filters)) {
    const [site, counted, ...rest] = await client.batch([head, filteredReport(client, q), ...tail]);
    const row = rowsOf<Record<"series" | "previous" | "tops" | "entry_exit" | "sessions", string>>(counted)[0];
    const parse = <T>(text: string | undefined, make: (cells: (string | number)[]) => T): T[] => {
      const cells: (string | number)[][] = JSON.parse(text ?? "[]");
      return cells.map(make);
    };
    const point = ([t, pageviews, visitors]: (string | number)[]) => ({ t: Number(t), pageviews: Number(pageviews), visitors: Number(visitors) });
    const dimRow = ([dim, value, n, total]: (string | number)[]) => ({ dim: String(dim), value: String(value), n: Number(n), total: Number(total) });
    return {
      site: rowsOf<SiteSummary>(site)[0] ?? null,
      series: parse(row?.series, point),
      previous: parse(row?.previous, point),
      tops: [...parse(row?.tops, dimRow), ...parse(row?.entry_exit, dimRow)],
      sessions: parse(row?.sessions, ([day, visits, bounces]) => ({ day: Number(day), visits: Number(visits), bounces: Number(bounces) })),
      ...tailRows(rest),
    };
  }
  const [site, series, previous, tops, sessions, ...rest] = await client.batch([head, ...rollupStatements(client, q), ...tail]);
  return {
    site: rowsOf<SiteSummary>(site)[0] ?? null,
    series: rowsOf<SeriesPoint>(series),
    previous: rowsOf<SeriesPoint>(previous),
    tops: rowsOf<DimRow>(tops),
    sessions: rowsOf<SessionDay>(sessions),
    ...tailRows(rest),
  };
}

/** The owner check and one page of raw visits, in one round trip. */
export async function visitPageRows(
  db: Db,
  q: { siteId: number; userId: number; from: number; to: number; page: VisitPageRequest; perPage: number; filters: readonly Filter[] },
): Promise<{ site: SiteSummary | null; visits: VisitItem[] }> {
  const client = db.$client;
  const [site, visits] = await client.batch([
    client.prepare(SITE_SQL).bind(q.siteId, q.userId),
    visitPage(client, q.siteId, q.from, q.to, q.page, q.perPage + 1, q.filters),
  ]);
  return { site: rowsOf<SiteSummary>(site)[0] ?? null, visits: rowsOf<VisitItem>(visits) };
}

/** Raw visits matching the filters for the CSV, newest first, after `cursor` (exclusive). */
export async function visitChunk(
  db: Db,
  siteId: number,
  range: { from: number; to: number; filters: readonly Filter[] },
  cursor: Cursor | null,
  limit: number,
): Promise<VisitItem[]> {
  const page = { before: cursor, after: null, offset: 0 };
  const { results } = await visitPage(db.$client, siteId, range.from, range.to, page, limit, range.filters).all<VisitItem>();
  return results;
}

/** Unique visitors since `since`, or null when the site is not this member's. */
export async function liveVisitors(db: Db, siteId: number, userId: number, since: number): Promise<number | null> {
  const row = await db.$client.prepare(LIVE_OWNED_SQL).bind(siteId, userId, since).first<{ n: number }>();
  return row ? row.n : null;
}
