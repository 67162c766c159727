// Site analytics rules: a member's sites (add, rename, delete; owner only) and the reports built from the
// rollups. Every page is a fixed number of D1 round trips (one, plus the session's), whatever the number of
// visits; the CSV streams raw visits in keyset chunks up to a cap.
import { DAY, MINUTE } from "../../config";
import type { Db } from "../../db";
import { CSV_FIELDS, DIMENSIONS, type Dimension } from "../../db/visit-fields";
import { t } from "../../i18n";
import { buildKeysetPage, type Cursor, type KeysetPage, type PageRequest } from "../../lib/pagination";
import { csvRow } from "./csv";
import { type Filter, filterQuery } from "./filters";
import { type FunnelResult, funnelResults, type GoalResult, goalResults } from "./goals";
import { dayStart, type Period, type PeriodErrors, type PeriodResult, periodQuery, previousPeriod } from "./period";
import { type PropList, propLists } from "./props";
import {
  deleteSiteQuery,
  insertSiteQuery,
  listSitesQuery,
  liveVisitors,
  ownedSiteQuery,
  reportRows,
  type SeriesPoint,
  type SessionDay,
  type SiteAccess,
  type SiteListItem,
  type SiteSummary,
  sameBaseUrlQuery,
  siteHitCountQuery,
  siteStatement,
  updateOwnedSiteQuery,
  type VisitItem,
  visitChunk,
  visitPageRows,
} from "./queries";
import { type AddSiteInput, MAX_SITES_PER_USER } from "./schemas";
import { SESSION_DIMENSIONS, type SessionDimension } from "./sessions";

export type { Dimension, SeriesPoint, SiteAccess, SiteListItem, SiteSummary, VisitItem };
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
  if (existing.length > 0) return { ok: false, errors: { base_url: t("sites.form.urlDuplicate") } };
  const row = inserted[0];
  if (!row) {
    // Either the limit, or the same base URL added a moment ago by a concurrent request.
    const again = await sameBaseUrlQuery(db, userId, input.base_url);
    if (again.length > 0) return { ok: false, errors: { base_url: t("sites.form.urlDuplicate") } };
    return { ok: false, errors: { _form: t("sites.form.tooMany", { max: MAX_SITES_PER_USER }) } };
  }
  return { ok: true, id: row.id };
}

export async function renameSite(db: Db, siteId: number, userId: number, name: string): Promise<SiteSummary | null> {
  const rows = await updateOwnedSiteQuery(db, siteId, userId, { name });
  return rows[0] ?? null;
}

/** Sets the zone reports count days in; the rollups are UTC, so past days follow at once. */
export async function setTimeZone(db: Db, siteId: number, userId: number, timeZone: string): Promise<SiteSummary | null> {
  const rows = await updateOwnedSiteQuery(db, siteId, userId, { timeZone });
  if (rows[0]) zoneSeen.set(siteId, timeZone);
  return rows[0] ?? null;
}

/** Turns the weekly and monthly summary mails on or off (features/sites/mail-report.ts sends them). */
export async function setMailReports(db: Db, siteId: number, userId: number, r: { weekly: boolean; monthly: boolean }): Promise<SiteSummary | null> {
  return (await updateOwnedSiteQuery(db, siteId, userId, { reportWeekly: r.weekly, reportMonthly: r.monthly }))[0] ?? null;
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
  /** Per goal: converting visitors and conversions in the period, with the filters. */
  goals: GoalResult[];
  /** Per funnel: visitors who reached each step. */
  funnels: FunnelResult[];
  /** Custom properties: each key's top values. */
  props: PropList[];
};

const visitCursor = (v: VisitItem): Cursor => ({ ts: v.ts, id: v.id });
const offsetOf = (req: PageRequest) => (req.before || req.after ? 0 : (req.page - 1) * VISITS_PER_PAGE);

/** What links to more visits keep: the period and the filters. */
export function reportQuery(period: Period, filters: readonly Filter[]): string {
  const f = filterQuery(filters);
  return f ? `${periodQuery(period)}&${f}` : periodQuery(period);
}

/** Every bucket of the period, zero where nothing was recorded, so the chart's x axis is continuous. */
export function fillSeries(period: Pick<Period, "edges">, rows: SeriesPoint[]): SeriesPoint[] {
  const byT = new Map(rows.map((r) => [Number(r.t), r]));
  return period.edges.slice(0, -1).map((t) => {
    const r = byT.get(t);
    return { t, pageviews: Number(r?.pageviews ?? 0), visitors: Number(r?.visitors ?? 0) };
  });
}

/**
 * Each site's zone as last seen by this isolate. The report's period depends on the site's zone, which is in
 * the same batch as the report; guessing it from here keeps the report at one round trip, and a wrong guess
 * (a cold isolate, or the zone just changed) costs one more batch, never a wrong report.
 */
const zoneSeen = new Map<number, string>();
export const zoneHint = (siteId: number) => zoneSeen.get(siteId) ?? "UTC";

/** The UTC days visit_dims must cover for [from, to): every UTC day the local period touches. */
const dimsDays = (period: Period) => ({ dimsFrom: dayStart(period.from), dimsTo: dayStart(period.to - 1) + DAY });

export type Zoned<T> = { ok: true; value: T } | { ok: false; site: SiteSummary; errors: PeriodErrors; values: { from: string; to: string } } | null;

/**
 * Runs `run` for the period that `periodIn(zone)` reads in the site's zone (known only once the site row is
 * read, in the same batch: see zoneSeen). Null when the site is not this member's; not ok when the period
 * is invalid in the site's zone.
 */
async function inSiteZone<T extends { site: SiteSummary }>(
  db: Db,
  q: { siteId: number; access: SiteAccess; periodIn: (timeZone: string) => PeriodResult },
  run: (period: Period) => Promise<T | null>,
): Promise<Zoned<T>> {
  let parsed = q.periodIn(zoneHint(q.siteId));
  if (!parsed.ok) {
    // The error may be the guessed zone's ("the last day cannot be in the future"): ask in the site's own.
    const site = await siteStatement(db.$client, q.siteId, q.access).first<SiteSummary>();
    if (!site) return null;
    zoneSeen.set(site.id, site.timeZone);
    parsed = q.periodIn(site.timeZone);
    if (!parsed.ok) return { ok: false, site, errors: parsed.errors, values: parsed.values };
  }
  let found = await run(parsed.period);
  if (found && found.site.timeZone !== parsed.period.timeZone) {
    parsed = q.periodIn(found.site.timeZone);
    if (!parsed.ok) return { ok: false, site: found.site, errors: parsed.errors, values: parsed.values };
    found = await run(parsed.period);
  }
  if (!found) return null;
  zoneSeen.set(q.siteId, found.site.timeZone);
  return { ok: true, value: found };
}

/** Bounces count per UTC day (the session rollup's), over the UTC days the period touches: see dimsDays. */
function totalsOf(series: SeriesPoint[], sessions: SessionDay[], range: { dimsFrom: number; dimsTo: number }): Totals {
  const visitors = series.reduce((s, p) => s + p.visitors, 0);
  const pageviews = series.reduce((s, p) => s + p.pageviews, 0);
  const days = sessions.filter((d) => d.day >= range.dimsFrom && d.day < range.dimsTo);
  const visits = days.reduce((s, d) => s + Number(d.visits), 0);
  const bounces = days.reduce((s, d) => s + Number(d.bounces), 0);
  return { visitors, pageviews, viewsPerVisit: visitors > 0 ? pageviews / visitors : null, bounceRate: visits > 0 ? bounces / visits : null };
}

/** The change from `previous` to `current` in whole percent, or null when there was nothing before. */
export function percentChange(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return Math.round(((current - previous) / previous) * 100);
}

/** `topN`: rows per top list (TOP_N unless asked: the stats API's breakdown pages through longer lists). */
export function getReport(
  db: Db,
  q: { siteId: number; access: SiteAccess; periodIn: (timeZone: string) => PeriodResult; filters?: Filter[]; page: PageRequest; now?: number; topN?: number },
): Promise<Zoned<Report>> {
  return inSiteZone(db, q, (period) => reportFor(db, { ...q, period }));
}

async function reportFor(
  db: Db,
  q: { siteId: number; access: SiteAccess; period: Period; filters?: Filter[]; page: PageRequest; now?: number; topN?: number },
): Promise<Report | null> {
  const now = q.now ?? Date.now();
  const { period } = q;
  const filters = q.filters ?? [];
  const previous = previousPeriod(period);
  const days = dimsDays(period);
  const previousDays = dimsDays(previous);
  const rows = await reportRows(db, {
    siteId: q.siteId,
    access: q.access,
    from: period.from,
    to: period.to,
    edges: period.edges,
    ...days,
    previousEdges: previous.edges,
    sessionsFrom: previousDays.dimsFrom,
    topN: q.topN ?? TOP_N,
    liveSince: now - LIVE_WINDOW_MS,
    page: { before: q.page.before, after: q.page.after, offset: offsetOf(q.page) },
    perPage: VISITS_PER_PAGE,
    filters,
  });
  if (!rows.site) return null;
  const goals = goalResults(rows.goals);
  const series = fillSeries(period, rows.series);
  const previousSeries = fillSeries(previous, rows.previous);
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
    totals: totalsOf(series, rows.sessions, days),
    previousTotals: totalsOf(previousSeries, rows.sessions, previousDays),
    sessions: rows.sessions.filter((d) => d.day >= days.dimsFrom).map((d) => ({ day: Number(d.day), visits: Number(d.visits), bounces: Number(d.bounces) })),
    series,
    previousSeries,
    tops,
    live: rows.live,
    visits: buildKeysetPage(q.page, rows.visits, VISITS_PER_PAGE, visitCursor, `&${reportQuery(period, filters)}`),
    filters,
    goals,
    funnels: funnelResults(rows.funnels, goals, rows.funnelHits),
    props: propLists(rows.props),
  };
}

export function getVisitPage(
  db: Db,
  q: { siteId: number; userId: number; periodIn: (timeZone: string) => PeriodResult; filters: Filter[]; page: PageRequest },
): Promise<Zoned<{ site: SiteSummary; period: Period; visits: KeysetPage<VisitItem> }>> {
  return inSiteZone(db, { ...q, access: { userId: q.userId } }, (period) => visitPageFor(db, { ...q, period }));
}

async function visitPageFor(
  db: Db,
  q: { siteId: number; userId: number; period: Period; filters: Filter[]; page: PageRequest },
): Promise<{ site: SiteSummary; period: Period; visits: KeysetPage<VisitItem> } | null> {
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
  return {
    site: rows.site,
    period: q.period,
    visits: buildKeysetPage(q.page, rows.visits, VISITS_PER_PAGE, visitCursor, `&${reportQuery(q.period, q.filters)}`),
  };
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
