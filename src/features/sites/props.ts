// Custom properties in the report: per key, its top values with their counts (hits of custom events that
// carried the key). Unfiltered, from the rollup: visit_dims rows with dim `prop:<key>` (the consumer adds
// them, see ingest.ts), one range of its primary key (site_id, dim, day, value). Filtered, from the period's
// hits that carry properties (the partial index visits_site_props_ts: custom events with props only, never a
// pageview), each checked against the filters, their `props` JSON opened with json_each. Without the forced
// index SQLite would take a filter's own index (a country's rows) and read every matching pageview.

import { type Filter, filterSql } from "./filters";
import { PROP_DIM_PREFIX } from "./ingest";

/** Values shown per key (more when the report asks for longer lists: the stats API's breakdown pages through them). */
export const PROP_TOP_N = 10;

export type PropRow = { dim: string; value: string; n: number; total: number };
export type PropList = { key: string; rows: { value: string; n: number }[]; total: number };

const ranked = (source: string) => `SELECT dim, value, n, total FROM (
    SELECT dim, value, n, sum(n) OVER (PARTITION BY dim) AS total, row_number() OVER (PARTITION BY dim ORDER BY n DESC, value) AS rank
    FROM (${source})
  ) WHERE rank <= ?4 ORDER BY dim, rank`;

/** From the rollup: the UTC days [?2, ?3) the period touches, like the other top lists. */
const ROLLUP_SQL = ranked(`SELECT dim, value, sum(n) AS n FROM visit_dims
  WHERE site_id = ?1 AND dim >= '${PROP_DIM_PREFIX}' AND dim < '${PROP_DIM_PREFIX.slice(0, -1)};' AND day >= ?2 AND day < ?3
  GROUP BY dim, value HAVING sum(n) > 0`);

export function propsStatement(
  client: D1Database,
  q: { siteId: number; from: number; to: number; dimsFrom: number; dimsTo: number; filters: readonly Filter[]; topN?: number },
): D1PreparedStatement {
  const topN = Math.max(PROP_TOP_N, q.topN ?? 0);
  if (!q.filters.length) return client.prepare(ROLLUP_SQL).bind(q.siteId, q.dimsFrom, q.dimsTo, topN);
  const f = filterSql(q.filters, 5);
  return client
    .prepare(
      ranked(`SELECT '${PROP_DIM_PREFIX}' || p.key AS dim, p.value AS value, count(*) AS n
        FROM visits s INDEXED BY visits_site_props_ts JOIN json_each(s.props) p
        WHERE s.site_id = ?1 AND s.ts >= ?2 AND s.ts < ?3 AND s.props IS NOT NULL AND ${f.sql} GROUP BY 1, 2`),
    )
    .bind(q.siteId, q.from, q.to, topN, ...f.params);
}

/** The rows grouped per key, keys in alphabetical order. */
export function propLists(rows: PropRow[]): PropList[] {
  const lists = new Map<string, PropList>();
  for (const r of rows) {
    const key = r.dim.slice(PROP_DIM_PREFIX.length);
    const list = lists.get(key) ?? { key, rows: [], total: Number(r.total) };
    lists.set(key, list);
    list.rows.push({ value: r.value, n: Number(r.n) });
  }
  return [...lists.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
