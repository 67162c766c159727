// Site analytics rules: a member's sites (add, rename, delete; owner only) and the reports built from the
// rollups. Every page is a fixed number of D1 round trips (one, plus the session's), whatever the number of
// visits; the CSV streams raw visits in keyset chunks up to a cap.
import { DAY, MINUTE } from "../../config";
import type { Db } from "../../db";
import { CSV_FIELDS, DIMENSIONS, type Dimension } from "../../db/visit-fields";
import { buildKeysetPage, type Cursor, type KeysetPage, type PageRequest } from "../../lib/pagination";
import { csvRow } from "./csv";
import { type Filter, filterQuery } from "./filters";
import { type Period, periodQuery } from "./period";
import {
  deleteSiteQuery,
  insertSiteQuery,
  listSitesQuery,
  liveVisitors,
  ownedSiteQuery,
  renameSiteQuery,
  reportRows,
  type SeriesPoint,
  type SessionDay,
  type SiteListItem,
  type SiteSummary,
  sameBaseUrlQuery,
  siteHitCountQuery,
  type VisitItem,
  visitChunk,
  visitPageRows,
} from "./queries";
import { type AddSiteInput, MAX_SITES_PER_USER } from "./schemas";
import { SESSION_DIMENSIONS, type SessionDimension } from "./sessions";

export type { Dimension, SeriesPoint, SiteListItem, SiteSummary, VisitItem };
export { DIMENSIONS };

export const VISITS_PER_PAGE = 50;
export const TOP_N = 10;
export const LIVE_WINDOW_MS = 5 * MINUTE;
/** Rows per CSV export: past this, choose a shorter period (the response says so in a header). */
export const CSV_MAX_ROWS = 100_000;
/** Rows per D1 query while streaming the CSV. */
export const CSV_CHUNK_ROWS = 1_000;
/** The sites list shows pageviews of the last 7 days. */
export const LIST_DAYS = 7;

// --- Sites ------------------------------------------------------------------------------------------

export async function listSites(db: Db, userId: number, now = Date.now()): Promise<SiteListItem[]> {
  const today = now - (now % DAY);
  return listSitesQuery(db, userId, today - (LIST_DAYS - 1) * DAY);
}

export async function getSite(db: Db, siteId: number, userId: number): Promise<SiteSummary | null> {
  return (await ownedSiteQuery(db, siteId, userId).get()) ?? null;
}

export type AddSiteResult = { ok: true; id: number } | { ok: false; errors: Record<string, string> };

/** The duplicate check and the insert (which also enforces the per-member limit) in one round trip. */
export async function addSite(db: Db, userId: number, input: AddSiteInput, now = Date.now()): Promise<AddSiteResult> {
  const [existing, inserted] = await db.batch([
    sameBaseUrlQuery(db, userId, input.base_url),
    insertSiteQuery(db, { userId, name: input.name, baseUrl: input.base_url, createdAt: now }, MAX_SITES_PER_USER),
  ]);
  if (existing.length > 0) return { ok: false, errors: { base_url: "You already have a site with this base URL." } };
  const row = inserted[0];
  if (!row) {
    // Either the limit, or the same base URL added a moment ago by a concurrent request.
    const again = await sameBaseUrlQuery(db, userId, input.base_url);
    if (again.length > 0) return { ok: false, errors: { base_url: "You already have a site with this base URL." } };
    return { ok: false, errors: { _form: `You can have at most ${MAX_SITES_PER_USER} sites. Delete one to add another.` } };
  }
  return { ok: true, id: row.id };
}

export async function renameSite(db: Db, siteId: number, userId: number, name: string): Promise<SiteSummary | null> {
  const rows = await renameSiteQuery(db, siteId, userId, name);
  return rows[0] ?? null;
}

/** The site and how many hits deleting it would remove (from the rollup), in one round trip. */
export async function getSiteForDelete(db: Db, siteId: number, userId: number): Promise<{ site: SiteSummary; hits: number } | null> {
  const [site, hits] = await db.batch([ownedSiteQuery(db, siteId, userId), siteHitCountQuery(db, siteId)]);
  return site[0] ? { site: site[0], hits: hits[0]?.n ?? 0 } : null;
}

export async function deleteSite(db: Db, siteId: number, userId: number): Promise<{ name: string } | null> {
  const rows = await deleteSiteQuery(db, siteId, userId);
  return rows[0] ?? null;
}

// --- Reports ----------------------------------------------------------------------------------------

export type TopList = { rows: { value: string; n: number }[]; total: number };
/** One panel of top values: pages, entry and exit pages, then the other DIMENSIONS in order. */
export type TopPanelData = { dim: Dimension | SessionDimension; list: TopList };
const PANEL_ORDER: (Dimension | SessionDimension)[] = [DIMENSIONS[0], ...SESSION_DIMENSIONS, ...DIMENSIONS.slice(1)];

export type Totals = {
  visitors: number;
  pageviews: number;
  viewsPerVisit: number | null;
  /** Share of visits (a visitor's day) with one pageview; null without visits. */
  bounceRate: number | null;
};

export type Report = {
  site: SiteSummary;
  period: Period;
  totals: Totals;
  /** The same figures for the period just before, of the same length. */
  previousTotals: Totals;
  series: SeriesPoint[];
  /** The previous period's buckets, aligned with `series` by position. */
  previousSeries: SeriesPoint[];
  /** Visits and bounces per day of the period (days without visits left out). */
  sessions: SessionDay[];
  tops: TopPanelData[];
  live: number;
  visits: KeysetPage<VisitItem>;
  filters: Filter[];
};

const visitCursor = (v: VisitItem): Cursor => ({ ts: v.ts, id: v.id });
const offsetOf = (req: PageRequest) => (req.before || req.after ? 0 : (req.page - 1) * VISITS_PER_PAGE);

/** What links to more visits keep: the period and the filters. */
export function reportQuery(period: Period, filters: readonly Filter[]): string {
  const f = filterQuery(filters);
  return f ? `${periodQuery(period)}&${f}` : periodQuery(period);
}

/** Every bucket of the period, zero where nothing was recorded, so the chart's x axis is continuous. */
export function fillSeries(period: Pick<Period, "from" | "to" | "bucket">, rows: SeriesPoint[]): SeriesPoint[] {
  const step = period.bucket === "hour" ? DAY / 24 : DAY;
  const byT = new Map(rows.map((r) => [Number(r.t), r]));
  const out: SeriesPoint[] = [];
  for (let t = period.from; t < period.to; t += step) {
    const r = byT.get(t);
    out.push({ t, pageviews: Number(r?.pageviews ?? 0), visitors: Number(r?.visitors ?? 0) });
  }
  return out;
}

function totalsOf(series: SeriesPoint[], sessions: SessionDay[], from: number, to: number): Totals {
  const visitors = series.reduce((s, p) => s + p.visitors, 0);
  const pageviews = series.reduce((s, p) => s + p.pageviews, 0);
  const days = sessions.filter((d) => d.day >= from && d.day < to);
  const visits = days.reduce((s, d) => s + Number(d.visits), 0);
  const bounces = days.reduce((s, d) => s + Number(d.bounces), 0);
  return { visitors, pageviews, viewsPerVisit: visitors > 0 ? pageviews / visitors : null, bounceRate: visits > 0 ? bounces / visits : null };
}

/** The change from `previous` to `current` in whole percent, or null when there was nothing before. */
export function percentChange(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return Math.round(((current - previous) / previous) * 100);
}

export async function getReport(
  db: Db,
  q: { siteId: number; userId: number; period: Period; filters?: Filter[]; page: PageRequest; now?: number },
): Promise<Report | null> {
  const now = q.now ?? Date.now();
  const { period } = q;
  const filters = q.filters ?? [];
  const rows = await reportRows(db, {
    siteId: q.siteId,
    userId: q.userId,
    from: period.from,
    to: period.to,
    previousFrom: period.from - (period.to - period.from),
    bucketMs: period.bucket === "hour" ? DAY / 24 : DAY,
    topN: TOP_N,
    liveSince: now - LIVE_WINDOW_MS,
    page: { before: q.page.before, after: q.page.after, offset: offsetOf(q.page) },
    perPage: VISITS_PER_PAGE,
    filters,
  });
  if (!rows.site) return null;
  const series = fillSeries(period, rows.series);
  const length = period.to - period.from;
  const previousSeries = fillSeries({ from: period.from - length, to: period.from, bucket: period.bucket }, rows.previous);
  const tops = PANEL_ORDER.map((dim): TopPanelData => ({ dim, list: { rows: [], total: 0 } }));
  for (const r of rows.tops) {
    const list = tops.find((t) => t.dim === r.dim)?.list;
    if (!list) continue;
    list.rows.push({ value: r.value, n: Number(r.n) });
    list.total = Number(r.total);
  }
  return {
    site: rows.site,
    period,
    totals: totalsOf(series, rows.sessions, period.from, period.to),
    previousTotals: totalsOf(previousSeries, rows.sessions, period.from - length, period.from),
    sessions: rows.sessions.filter((d) => d.day >= period.from).map((d) => ({ day: Number(d.day), visits: Number(d.visits), bounces: Number(d.bounces) })),
    series,
    previousSeries,
    tops,
    live: rows.live,
    visits: buildKeysetPage(q.page, rows.visits, VISITS_PER_PAGE, visitCursor, `&${reportQuery(period, filters)}`),
    filters,
  };
}

export async function getVisitPage(
  db: Db,
  q: { siteId: number; userId: number; period: Period; filters: Filter[]; page: PageRequest },
): Promise<{ site: SiteSummary; visits: KeysetPage<VisitItem> } | null> {
  const rows = await visitPageRows(db, {
    siteId: q.siteId,
    userId: q.userId,
    from: q.period.from,
    to: q.period.to,
    page: { before: q.page.before, after: q.page.after, offset: offsetOf(q.page) },
    perPage: VISITS_PER_PAGE,
    filters: q.filters,
  });
  if (!rows.site) return null;
  return { site: rows.site, visits: buildKeysetPage(q.page, rows.visits, VISITS_PER_PAGE, visitCursor, `&${reportQuery(q.period, q.filters)}`) };
}

export async function getLiveVisitors(db: Db, siteId: number, userId: number, now = Date.now()): Promise<number | null> {
  return liveVisitors(db, siteId, userId, now - LIVE_WINDOW_MS);
}

// --- CSV --------------------------------------------------------------------------------------------

/** The table's columns, then what only the export has (coordinates, the day's visitor id): see fields.ts. */
const CSV_HEADER = CSV_FIELDS.map((f) => f.header);

function visitCsvRow(v: VisitItem): string {
  return csvRow(CSV_FIELDS.map(({ key }) => (key === "ts" ? new Date(v.ts).toISOString() : v[key])));
}

/**
 * The period's visits (those matching the filters) as CSV, newest first (the table's order), streamed in keyset chunks so memory and
 * each query stay small; at most CSV_MAX_ROWS rows.
 */
export function visitsCsvStream(db: Db, siteId: number, period: Period, filters: readonly Filter[] = [], maxRows = CSV_MAX_ROWS): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: Cursor | null = null;
  let sent = 0;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvRow(CSV_HEADER)));
        return;
      }
      const want = Math.min(CSV_CHUNK_ROWS, maxRows - sent);
      const rows = want > 0 ? await visitChunk(db, siteId, { from: period.from, to: period.to, filters }, cursor, want) : [];
      if (rows.length > 0) {
        controller.enqueue(encoder.encode(rows.map(visitCsvRow).join("")));
        sent += rows.length;
        cursor = visitCursor(rows[rows.length - 1]!);
      }
      if (rows.length < want || sent >= maxRows) controller.close();
    },
  });
}
