// Visits as sessions: a visit is a visitor's day (ids rotate daily, so nothing longer can be seen). Its entry
// page is its first pageview, its exit page its last, and it bounced if it had exactly one pageview. The
// consumer keeps these in the rollups incrementally (visit_dims: entry / exit / session), using each
// visitor's day so far in visitor_days (pageviews, last page and its time) to move the exit page and the
// bounce count when later hits arrive; the rebuild computes the same from raw visits. A visit's entry page
// is fixed by the first batch that has one of its pageviews (queue batches arrive in order in practice).

import { SEGMENT_COLUMNS, SEGMENT_JOIN, segmentCase } from "./segments";

const DAY_MS = 86_400_000;

/** The two page dimensions that count visits rather than hits; they have panels but no filter. */
export const SESSION_DIMENSIONS = ["entry", "exit"] as const;
export type SessionDimension = (typeof SESSION_DIMENSIONS)[number];
export const SESSION_TITLES: Record<SessionDimension, [title: string, value: string, count: string]> = {
  entry: ["Entry pages", "Entry page", "Visits"],
  exit: ["Exit pages", "Exit page", "Visits"],
};

/**
 * Per site, day and visitor in `source` (rows matching `where`): pageviews, first and last page, last time,
 * and the visit's segment fields (segments.ts: one value per visit). `order` breaks ties between hits of the
 * same millisecond (uid in the consumer, id in reads).
 */
export function visitsOf(source: string, where: string, order = "uid"): string {
  const day = `ts - ts % ${DAY_MS}`;
  return `(SELECT site_id, day, visitor, count(*) AS pv,
      max(CASE WHEN k = 1 THEN path END) AS first_path, max(CASE WHEN k = n THEN path END) AS last_path, max(ts) AS last_ts,
      ${SEGMENT_COLUMNS.map((c) => `max(${c}) AS ${c}`).join(", ")}
    FROM (SELECT site_id, ${day} AS day, visitor, path, ts, ${SEGMENT_COLUMNS.join(", ")},
        row_number() OVER (PARTITION BY site_id, ${day}, visitor ORDER BY ts, ${order}) AS k,
        count(*) OVER (PARTITION BY site_id, ${day}, visitor) AS n
      FROM ${source} WHERE event = 'pageview' AND ${where})
    GROUP BY site_id, day, visitor)`;
}

const BATCH = visitsOf("visit_staging", "true");
const KNOWN = "LEFT JOIN visitor_days v ON v.site_id = b.site_id AND v.day = b.day AND v.visitor = b.visitor";
/** Pageviews the visit had before this batch. */
const BEFORE = "coalesce(v.pageviews, 0)";

/**
 * Where a visit's entry, exit and session counts go: visit_dims, or visit_pairs once per segment the visit is in
 * (`key` is the select list up to the dimension, over per-visit rows aliased `b`).
 */
export type SessionRollup = { into: string; key: string; join: string; group: string; add: string };
export const VISIT_DIMS_ROLLUP: SessionRollup = {
  into: "INSERT INTO visit_dims (site_id, dim, day, value, n)",
  key: "b.site_id",
  join: "",
  group: "GROUP BY 1, 2, 3, 4",
  add: "ON CONFLICT (site_id, dim, day, value) DO UPDATE SET n = n + excluded.n",
};
export const VISIT_PAIRS_ROLLUP: SessionRollup = {
  into: "INSERT INTO visit_pairs (site_id, fdim, fvalue, dim, day, value, n)",
  key: `b.site_id, g.value, ${segmentCase("b")}`,
  join: SEGMENT_JOIN,
  group: "GROUP BY 1, 2, 3, 4, 5, 6",
  add: "ON CONFLICT (site_id, fdim, fvalue, dim, day, value) DO UPDATE SET n = n + excluded.n",
};

/**
 * The consumer's statements for one rollup, run after visitor_days has this batch's new visitors and before
 * SESSION_STATE_SQL: entry pages of visits new in this batch, the exit page moved (old one -1, new one +1)
 * when this batch has a later pageview, visits and bounces adjusted.
 */
export const sessionIngestSql = (r: SessionRollup): string[] => [
  `${r.into} SELECT ${r.key}, 'entry', b.day, b.first_path, count(*) FROM ${BATCH} b ${KNOWN} ${r.join}
    WHERE ${BEFORE} = 0 ${r.group} ${r.add}`,
  `${r.into} SELECT ${r.key}, 'exit', b.day, v.exit_path, -count(*) FROM ${BATCH} b ${KNOWN} ${r.join}
    WHERE ${BEFORE} > 0 AND b.last_ts >= v.exit_ts ${r.group} ${r.add}`,
  `${r.into} SELECT ${r.key}, 'exit', b.day, b.last_path, count(*) FROM ${BATCH} b ${KNOWN} ${r.join}
    WHERE ${BEFORE} = 0 OR b.last_ts >= v.exit_ts ${r.group} ${r.add}`,
  `${r.into} SELECT ${r.key}, 'session', b.day, s.value,
      sum(CASE s.value WHEN 'visits' THEN ${BEFORE} = 0 ELSE (${BEFORE} + b.pv = 1) - (${BEFORE} = 1) END)
    FROM ${BATCH} b ${KNOWN} JOIN json_each('["visits","bounces"]') s ${r.join} WHERE true ${r.group} ${r.add}`,
];

/** Then each visit's state is saved, for the next batch. */
export const SESSION_STATE_SQL = `INSERT INTO visitor_days (site_id, day, visitor, pageviews, exit_path, exit_ts)
    SELECT site_id, day, visitor, pv, last_path, last_ts FROM ${BATCH} WHERE true
    ON CONFLICT (site_id, day, visitor) DO UPDATE SET pageviews = pageviews + excluded.pageviews,
      exit_path = CASE WHEN exit_ts IS NULL OR excluded.exit_ts >= exit_ts THEN excluded.exit_path ELSE exit_path END,
      exit_ts = max(coalesce(exit_ts, excluded.exit_ts), excluded.exit_ts)`;

/** The same rollup rebuilt from the raw visits of `sites` (a condition on site_id: one site, ?1, or all). */
export function sessionRebuildSql(r: SessionRollup, sites: string): string[] {
  const all = `${visitsOf("visits", sites)} b ${r.join}`;
  return [
    `${r.into} SELECT ${r.key}, 'entry', b.day, b.first_path, count(*) FROM ${all} WHERE true ${r.group} ${r.add}`,
    `${r.into} SELECT ${r.key}, 'exit', b.day, b.last_path, count(*) FROM ${all} WHERE true ${r.group} ${r.add}`,
    `${r.into} SELECT ${r.key}, 'session', b.day, s.value, sum(CASE s.value WHEN 'visits' THEN 1 ELSE b.pv = 1 END)
      FROM ${visitsOf("visits", sites)} b JOIN json_each('["visits","bounces"]') s ${r.join} WHERE true ${r.group} ${r.add}`,
  ];
}

/** visitor_days' state rebuilt for one site's (?1) days from ?2. */
export const SESSION_REBUILD_STATE_SQL = `INSERT INTO visitor_days (site_id, day, visitor, pageviews, exit_path, exit_ts)
  SELECT site_id, day, visitor, pv, last_path, last_ts FROM ${visitsOf("visits", "site_id = ?1")} WHERE day >= ?2
  ON CONFLICT (site_id, day, visitor) DO UPDATE SET pageviews = excluded.pageviews, exit_path = excluded.exit_path, exit_ts = excluded.exit_ts`;
