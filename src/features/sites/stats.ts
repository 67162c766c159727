// The stats API's questions, in Plausible's Stats API v1 vocabulary (period, date, filters, metrics,
// property), translated into the report's own Period and Filter, and answered from ONE report (getReport:
// the same rollup and filtered queries, the same counting rules, the site's time zone): there is no second
// copy of report SQL here. HTTP-free: features/api validates the strings' shape and renders the JSON.
import type { Db } from "../../db";
import { DIMENSION_RULES, type Dimension, PROP_KEY } from "../../db/visit-fields";
import { addDays, localDate } from "../../lib/zoned-days";
import { type Filter, parseFilters } from "./filters";
import type { GoalResult } from "./goals";
import { type PeriodErrors, type PeriodResult, parsePeriod } from "./period";
import { getReport, percentChange, type Report, type Totals } from "./service";
import type { SessionDimension } from "./sessions";

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };
const bad = (message: string): { ok: false; message: string } => ({ ok: false, message });

// --- Period -----------------------------------------------------------------------------------------

export const STATS_PERIODS = ["day", "7d", "30d", "month", "custom"] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The period's errors as one sentence (the report's form shows them per field). */
export const periodMessage = (errors: PeriodErrors) => Object.values(errors).join(" ");

/**
 * `period` (default 30d) and `date`: day (today, or `date`), 7d and 30d (ending today, or on `date`),
 * month (this month so far, or the month of `date`, up to today), custom (`date=YYYY-MM-DD,YYYY-MM-DD`).
 * The answer reads the period in a zone, since only the site's row says which zone that is.
 */
export function parseStatsPeriod(period: string | undefined, date: string | undefined, now = Date.now()): Parsed<(timeZone: string) => PeriodResult> {
  const key = period ?? "30d";
  const d = date?.trim();
  if (!STATS_PERIODS.some((p) => p === key)) return bad(`period: must be one of ${STATS_PERIODS.join(", ")}.`);
  if (key === "custom") {
    const parts = (d ?? "").split(",");
    if (parts.length !== 2) return bad("date: a custom period needs date=YYYY-MM-DD,YYYY-MM-DD (first and last day).");
    const [from = "", to = ""] = parts;
    return { ok: true, value: (tz) => parsePeriod({ from, to }, now, tz) };
  }
  if (d !== undefined && !DATE.test(d)) return bad(`date: must be a day (YYYY-MM-DD) with period=${key}.`);
  if (key === "day") return { ok: true, value: (tz) => (d ? parsePeriod({ from: d, to: d }, now, tz) : parsePeriod({ period: "today" }, now, tz)) };
  if (key === "month") {
    return {
      ok: true,
      value: (tz) => {
        const today = localDate(now, tz);
        const first = `${(d ?? today).slice(0, 7)}-01`;
        const last = addDays(`${addDays(first, 31).slice(0, 7)}-01`, -1);
        return parsePeriod({ from: first, to: last > today && first <= today ? today : last }, now, tz);
      },
    };
  }
  const days = key === "7d" ? 7 : 30;
  return { ok: true, value: (tz) => (d ? parsePeriod({ from: addDays(d, -(days - 1)), to: d }, now, tz) : parsePeriod({ period: key }, now, tz)) };
}

// --- Filters ----------------------------------------------------------------------------------------

type Panel = Dimension | SessionDimension;
/** Named alike in Plausible (with `visit:`) and in the report, as filters and as top lists. */
const SAME = ["country", "browser", "os", "device", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"] as const;
/** Plausible's names and what each is in the report: a filter dimension, a top list, or both. */
const NAMES: Record<string, { filter?: Filter["dim"]; panel?: Panel }> = {
  "event:page": { filter: "page", panel: "page" },
  "event:name": { filter: "event", panel: "event" },
  "visit:entry_page": { panel: "entry" },
  "visit:exit_page": { panel: "exit" },
  "visit:source": { filter: "referrer", panel: "referrer" },
  "visit:region": { filter: "region" },
  "visit:city": { filter: "city" },
  ...Object.fromEntries(SAME.map((d) => [`visit:${d}`, { filter: d, panel: d }])),
};
const FILTER_NAMES = Object.fromEntries(Object.entries(NAMES).flatMap(([name, n]) => (n.filter ? [[name, n.filter]] : [])));
const PROPERTIES = Object.fromEntries(Object.entries(NAMES).flatMap(([name, n]) => (n.panel ? [[name, n.panel]] : [])));
/** A goal, by its name (see goalName): a filter (its totals) and a breakdown (every goal's). */
export const GOAL_NAME = "event:goal";
/** A custom property, `event:props:plan`: a filter (is, is not) and a breakdown (its values). */
export const PROPS_PREFIX = "event:props:";
export const STATS_FILTER_NAMES = [...Object.keys(FILTER_NAMES), GOAL_NAME, `${PROPS_PREFIX}<key>`];

/** A goal's name in the API, as Plausible names goals: a custom event's name, or "Visit <path pattern>". */
export const goalName = (g: Pick<GoalResult, "kind" | "value">) => (g.kind === "event" ? g.value : `Visit ${g.value}`);

/** The report's filters, and the goal an `event:goal==…` filter names (answered from the report's goal rows). */
export type StatsFilters = { filters: Filter[]; goal: string | null };

/** `event:props:<key>` with a valid key: the key; otherwise the 400's message. */
function propKey(name: string, where: string): Parsed<string> {
  const key = name.slice(PROPS_PREFIX.length);
  return PROP_KEY.test(key)
    ? { ok: true, value: key }
    : bad(`${where}: "${name.slice(0, 80)}" needs a property key of 1 to 64 letters, digits or _ . - after event:props:.`);
}

/** `event:goal==Signup`: only `==`, one value, at most once. */
function goalFilter(op: string, value: string, goal: string | null): Parsed<string> {
  if (goal !== null) return bad("filters: filter by at most one goal (event:goal).");
  if (op !== "==") return bad(`filters: a goal filter is event:goal==<name> (the goals' totals); "${op}" is not supported for goals.`);
  if (value.includes("|")) return bad(`filters: "|" (either of several values) is not supported; filter by one value.`);
  if (value === "") return bad("filters: name the goal: event:goal==signup, or event:goal==Visit /pricing for a page goal.");
  return { ok: true, value };
}

/**
 * `visit:country==DE;event:page==*blog*`: expressions joined by `;` (all must hold). `==` is, `!=` is not,
 * `~` contains; `==*text*` is contains too (Plausible's wildcard). Other wildcards and `|` (either of) have
 * no equivalent in the report's filters and are refused rather than approximated. `event:props:<key>` filters
 * by a custom property; `event:goal==<name>` is kept apart: the report counts goals as totals.
 */
export function parseStatsFilters(raw: string | undefined): Parsed<StatsFilters> {
  if (raw === undefined || raw.trim() === "") return { ok: true, value: { filters: [], goal: null } };
  const specs: string[] = [];
  let goal: string | null = null;
  for (const expr of raw.split(";")) {
    const m = /^([a-z]+:[a-z_]+(?::[^=!~]*)?)(==|!=|~)(.*)$/s.exec(expr.trim());
    if (!m) return bad(`filters: "${expr.slice(0, 80)}" must look like visit:country==DE (operators ==, != and ~; expressions joined by ;).`);
    const [, name = "", op = "", value = ""] = m;
    if (name === GOAL_NAME) {
      const g = goalFilter(op, value, goal);
      if (!g.ok) return g;
      goal = g.value;
      continue;
    }
    let dim: string | undefined = FILTER_NAMES[name];
    if (name.startsWith(PROPS_PREFIX)) {
      const key = propKey(name, "filters");
      if (!key.ok) return key;
      dim = `prop:${key.value}`;
    }
    if (!dim) return bad(`filters: cannot filter by "${name.slice(0, 40)}". Use one of ${STATS_FILTER_NAMES.join(", ")}.`);
    if (value.includes("|")) return bad(`filters: "|" (either of several values) is not supported; filter by one value.`);
    const wildcard = /^\*([^*]+)\*$/.exec(value);
    if (op === "==" && wildcard) specs.push(`${dim}:contains:${wildcard[1]}`);
    else if (value.includes("*")) return bad(`filters: the only wildcard supported is *text* with == (contains), e.g. event:page==*blog*.`);
    else specs.push(`${dim}:${op === "==" ? "is" : op === "!=" ? "is_not" : "contains"}:${value}`);
  }
  const parsed = parseFilters(specs);
  return parsed.ok ? { ok: true, value: { filters: parsed.filters, goal } } : bad(`filters: ${parsed.error}`);
}

// --- Metrics and properties -------------------------------------------------------------------------

export const AGGREGATE_METRICS = ["visitors", "pageviews", "bounce_rate", "views_per_visit", "events"] as const;
export type AggregateMetric = (typeof AGGREGATE_METRICS)[number];
export const TIMESERIES_METRICS = ["visitors", "pageviews", "views_per_visit"] as const;
export type TimeseriesMetric = (typeof TIMESERIES_METRICS)[number];
/** A goal's figures: converting visitors, conversions (events) and the share of the period's visitors who converted. */
export const GOAL_METRICS = ["visitors", "events", "conversion_rate"] as const;
export type GoalMetric = (typeof GOAL_METRICS)[number];

/** Plausible metrics Roost cannot answer, with the reason (a 400 that says why, not "unknown"). */
const UNANSWERABLE: Record<string, string> = {
  visit_duration: "Roost does not record how long visits last",
  time_on_page: "Roost does not record time on a page",
  visits: "visits are counted per page (breakdown by visit:entry_page or visit:exit_page)",
  conversion_rate: "a conversion rate is a goal's (filter by event:goal, or break down by event:goal)",
};
const KNOWN_METRICS: readonly string[] = [...AGGREGATE_METRICS, ...GOAL_METRICS];

/** A comma-separated list of metrics out of `allowed` (default: the first); duplicates dropped. */
export function parseMetrics<M extends string>(raw: string | undefined, allowed: readonly M[], where: string): Parsed<M[]> {
  if (raw === undefined) return { ok: true, value: allowed.slice(0, 1) };
  const out: M[] = [];
  for (const name of raw.split(",").map((s) => s.trim())) {
    const metric = allowed.find((m) => m === name);
    if (metric) {
      if (!out.includes(metric)) out.push(metric);
      continue;
    }
    if (name === "") return bad("metrics: name at least one metric, separated by commas.");
    const why = UNANSWERABLE[name] ?? (KNOWN_METRICS.includes(name) ? `${where} does not answer it` : null);
    if (why) return bad(`metrics: "${name}" is not available here: ${why}. Available: ${allowed.join(", ")}.`);
    return bad(`metrics: unknown metric "${name.slice(0, 40)}". Available: ${allowed.join(", ")}.`);
  }
  return { ok: true, value: out };
}

export const STATS_PROPERTIES = [...Object.keys(PROPERTIES), GOAL_NAME, `${PROPS_PREFIX}<key>`];

/** What each list counts, as a metric name: every list has exactly one (the report's rules). */
export type BreakdownMetric = "visitors" | "pageviews" | "events" | "visits";
const metricOf = (panel: Panel): BreakdownMetric => {
  if (panel === "entry" || panel === "exit") return "visits";
  const counts = DIMENSION_RULES[panel].counts;
  return counts === "hits" ? "events" : counts;
};

/**
 * A top list of the report (one metric), a custom property's values (events: hits that carried the key), or
 * the site's goals (any of GOAL_METRICS, ordered by the first asked).
 */
export type Breakdown =
  | { kind: "list"; property: string; key: string; panel: Panel; metric: BreakdownMetric }
  | { kind: "prop"; property: string; key: string; metric: "events" }
  | { kind: "goal"; property: string; key: "goal"; metrics: GoalMetric[]; metric: GoalMetric };

/** `property` and `metrics` of a breakdown: the list's one metric, which `metrics` may name (or leave out). */
export function parseBreakdown(property: string | undefined, metrics: string | undefined): Parsed<Breakdown> {
  if (property === undefined || property === "") return bad(`property: is required, one of ${STATS_PROPERTIES.join(", ")}.`);
  if (property === GOAL_NAME) {
    const asked = parseMetrics(metrics, GOAL_METRICS, "a breakdown by event:goal");
    if (!asked.ok) return asked;
    return { ok: true, value: { kind: "goal", property, key: "goal", metrics: asked.value, metric: asked.value[0] ?? "visitors" } };
  }
  if (property.startsWith(PROPS_PREFIX)) {
    const key = propKey(property, "property");
    if (!key.ok) return key;
    const asked = parseMetrics(metrics, ["events"], `a breakdown by ${property}`);
    if (!asked.ok) return asked;
    return { ok: true, value: { kind: "prop", property, key: key.value, metric: "events" } };
  }
  const panel = PROPERTIES[property];
  if (!panel) return bad(`property: unknown property "${property.slice(0, 40)}". Use one of ${STATS_PROPERTIES.join(", ")}.`);
  const metric = metricOf(panel);
  const asked = parseMetrics(metrics, [metric], `a breakdown by ${property}`);
  if (!asked.ok) return asked;
  return { ok: true, value: { kind: "list", property, key: property.slice(property.indexOf(":") + 1), panel, metric } };
}

// --- Answers ----------------------------------------------------------------------------------------

export type StatsQuery = { siteId: number; userId: number; periodIn: (timeZone: string) => PeriodResult; filters: Filter[]; topN?: number };

/** The site's report for the API's owner (null: not theirs, or no such site; not ok: the period is invalid). */
export async function statsReport(db: Db, q: StatsQuery): Promise<Parsed<Report> | null> {
  const found = await getReport(db, {
    siteId: q.siteId,
    access: { userId: q.userId },
    periodIn: q.periodIn,
    filters: q.filters,
    page: { page: 1, before: null, after: null },
    topN: q.topN,
  });
  if (!found) return null;
  return found.ok ? { ok: true, value: found.value } : bad(`date: ${periodMessage(found.errors)}`);
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Every hit of the period (pageviews and custom events): the total of the report's event list. */
const eventsOf = (report: Report) => report.tops.find((t) => t.dim === "event")?.list.total ?? 0;

/** The metric as the report holds it (a share for the bounce rate): what the change is computed from, as on the cards. */
function rawValue(totals: Totals, metric: Exclude<AggregateMetric, "events">): number | null {
  if (metric === "visitors") return totals.visitors;
  if (metric === "pageviews") return totals.pageviews;
  return metric === "bounce_rate" ? totals.bounceRate : totals.viewsPerVisit;
}

/** As the API shows it: the bounce rate in whole percent, views per visit with two decimals. */
function shown(metric: AggregateMetric, raw: number | null): number | null {
  if (raw === null) return null;
  return metric === "bounce_rate" ? Math.round(raw * 100) : metric === "views_per_visit" ? round2(raw) : raw;
}

export type AggregateValue = { value: number | null; change?: number | null };

/**
 * Each metric's value over the period, and with `compare` its change in percent (the cards' figures).
 * `events` has no previous figure in the report, so it is never asked with `compare` (see statsAggregate).
 */
export function aggregateOf(report: Report, metrics: readonly AggregateMetric[], compare: boolean): Record<string, AggregateValue> {
  const out: Record<string, AggregateValue> = {};
  for (const m of metrics) {
    if (m === "events") {
      out[m] = { value: eventsOf(report) };
      continue;
    }
    const now = rawValue(report.totals, m);
    out[m] = compare ? { value: shown(m, now), change: percentChange(now, rawValue(report.previousTotals, m)) } : { value: shown(m, now) };
  }
  return out;
}

/** A goal's figure: converting visitors, conversions, or the share of the period's visitors (percent, one decimal, as on the report). */
function goalValue(report: Report, g: GoalResult, metric: GoalMetric): number | null {
  if (metric === "visitors") return g.visitors;
  if (metric === "events") return g.conversions;
  const all = report.totals.visitors;
  return all > 0 ? Math.round((g.visitors / all) * 1000) / 10 : null;
}

/** The goal's figures, as the aggregate answers them for an event:goal filter. */
export function goalAggregateOf(report: Report, g: GoalResult, metrics: readonly GoalMetric[]): Record<string, AggregateValue> {
  return Object.fromEntries(metrics.map((m) => [m, { value: goalValue(report, g, m) }]));
}

const hourFormats = new Map<string, Intl.DateTimeFormat>();
/** "2026-03-08 14:00:00" in the zone: how Plausible names an hour bucket. */
function localHour(ts: number, timeZone: string): string {
  let f = hourFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    hourFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(ts).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:00`;
}

/** One row per chart bucket (local days, or hours for a one-day period), empty buckets as zeros. */
export function timeseriesOf(report: Report, metrics: readonly TimeseriesMetric[]): Record<string, string | number | null>[] {
  const { period } = report;
  return report.series.map((p) => {
    const row: Record<string, string | number | null> = { date: period.bucket === "day" ? localDate(p.t, period.timeZone) : localHour(p.t, period.timeZone) };
    for (const m of metrics) row[m] = m === "views_per_visit" ? (p.visitors > 0 ? round2(p.pageviews / p.visitors) : null) : p[m];
    return row;
  });
}

/**
 * Page `page` of `limit` rows, biggest first (the report asked for page × limit rows): a top list, a property's
 * values, or every goal of the site (zeros included; only `goal`'s with an event:goal filter).
 */
export function breakdownOf(
  report: Report,
  b: Breakdown,
  limit: number,
  page: number,
  goal: GoalResult | null = null,
): Record<string, string | number | null>[] {
  const slice = <T>(rows: T[]) => rows.slice((page - 1) * limit, page * limit);
  if (b.kind === "list") return slice(report.tops.find((t) => t.dim === b.panel)?.list.rows ?? []).map((r) => ({ [b.key]: r.value, [b.metric]: r.n }));
  if (b.kind === "prop") return slice(report.props.find((l) => l.key === b.key)?.rows ?? []).map((r) => ({ [b.key]: r.value, events: r.n }));
  const rows = (goal ? [goal] : report.goals).map((g) => {
    const row: Record<string, string | number | null> = { goal: goalName(g) };
    for (const m of b.metrics) row[m] = goalValue(report, g, m);
    return { row, by: goalValue(report, g, b.metric) ?? 0, name: goalName(g) };
  });
  rows.sort((x, y) => y.by - x.by || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return slice(rows).map((r) => r.row);
}

// --- The three questions ----------------------------------------------------------------------------

/** The query string as the API received it (shapes checked there; meanings checked here). */
export type StatsParams = {
  period?: string;
  date?: string;
  filters?: string;
  metrics?: string;
  compare?: string;
  property?: string;
  limit?: string;
  page?: string;
};
export type StatsPeriodInfo = { from: string; to: string; time_zone: string; interval: "hour" | "day" };
/** The answer's fields (the period it covers, then the shape's own), a 400's message, or null: not the caller's site. */
export type StatsAnswer<T> = Parsed<{ period: StatsPeriodInfo } & T> | null;

/** The most rows a breakdown reads (page × limit): a deeper page would make the report's lists long. */
export const MAX_BREAKDOWN_ROWS = 10_000;

/** What an event:goal filter cannot be combined with: the report counts goals as totals, not per bucket or list row. */
const GOAL_ONLY = "filters: event:goal filters the aggregate and a breakdown by event:goal only (goals are counted as totals, not per day or per list row).";

/** The goal an event:goal filter names, among the report's; otherwise the 400 that lists the site's goals. */
function goalNamed(r: Report, name: string): Parsed<GoalResult> {
  const g = r.goals.find((x) => goalName(x) === name);
  if (g) return { ok: true, value: g };
  if (!r.goals.length) return bad(`filters: this site has no goals yet, so there is no goal "${name.slice(0, 80)}". Add goals on the site's Goals page.`);
  return bad(`filters: this site has no goal "${name.slice(0, 80)}". Its goals: ${r.goals.map(goalName).join(", ")}.`);
}

/**
 * Parses the period, reads the report with the filters (null: not the caller's site), finds the goal an
 * event:goal filter names (a 400 when the site has no such goal), and shapes the answer.
 */
async function answer<T>(
  db: Db,
  q: { siteId: number; userId: number; p: StatsParams; filters: StatsFilters; topN?: number },
  shape: (r: Report, goal: GoalResult | null) => T,
): Promise<StatsAnswer<T>> {
  const period = parseStatsPeriod(q.p.period, q.p.date);
  if (!period.ok) return period;
  const found = await statsReport(db, { siteId: q.siteId, userId: q.userId, periodIn: period.value, filters: q.filters.filters, topN: q.topN });
  if (!found?.ok) return found;
  const r = found.value;
  let goal: GoalResult | null = null;
  if (q.filters.goal !== null) {
    const named = goalNamed(r, q.filters.goal);
    if (!named.ok) return named;
    goal = named.value;
  }
  const info: StatsPeriodInfo = { from: r.period.fromDate, to: r.period.toDate, time_zone: r.period.timeZone, interval: r.period.bucket };
  return { ok: true, value: { period: info, ...shape(r, goal) } };
}

const refuse = (message: string) => Promise.resolve(bad(message));

export function statsAggregate(db: Db, siteId: number, userId: number, p: StatsParams): Promise<StatsAnswer<{ results: Record<string, AggregateValue> }>> {
  if (p.compare !== undefined && p.compare !== "previous_period") return refuse('compare: the only comparison is "previous_period".');
  const compare = p.compare === "previous_period";
  const filters = parseStatsFilters(p.filters);
  if (!filters.ok) return Promise.resolve(filters);
  if (filters.value.goal !== null) {
    const metrics = parseMetrics(p.metrics, GOAL_METRICS, "an event:goal filter");
    if (!metrics.ok) return Promise.resolve(metrics);
    if (compare) return refuse("compare: a goal's figures have no previous-period comparison; ask without compare.");
    return answer(db, { siteId, userId, p, filters: filters.value }, (r, g) => ({ results: g ? goalAggregateOf(r, g, metrics.value) : {} }));
  }
  const metrics = parseMetrics(p.metrics, AGGREGATE_METRICS, "aggregate");
  if (!metrics.ok) return Promise.resolve(metrics);
  if (compare && metrics.value.includes("events")) return refuse('compare: "events" has no previous-period comparison; ask for it without compare.');
  return answer(db, { siteId, userId, p, filters: filters.value }, (r) => ({ results: aggregateOf(r, metrics.value, compare) }));
}

export function statsTimeseries(
  db: Db,
  siteId: number,
  userId: number,
  p: StatsParams,
): Promise<StatsAnswer<{ results: Record<string, string | number | null>[] }>> {
  const metrics = parseMetrics(p.metrics, TIMESERIES_METRICS, "timeseries");
  if (!metrics.ok) return Promise.resolve(metrics);
  const filters = parseStatsFilters(p.filters);
  if (!filters.ok) return Promise.resolve(filters);
  if (filters.value.goal !== null) return refuse(GOAL_ONLY);
  return answer(db, { siteId, userId, p, filters: filters.value }, (r) => ({ results: timeseriesOf(r, metrics.value) }));
}

export type BreakdownAnswer = {
  property: string;
  metric: BreakdownMetric | GoalMetric;
  page: number;
  limit: number;
  results: Record<string, string | number | null>[];
};

export function statsBreakdown(db: Db, siteId: number, userId: number, p: StatsParams): Promise<StatsAnswer<BreakdownAnswer>> {
  const b = parseBreakdown(p.property, p.metrics);
  if (!b.ok) return Promise.resolve(b);
  const limit = Number(p.limit ?? 100);
  const page = Number(p.page ?? 1);
  if (limit * page > MAX_BREAKDOWN_ROWS) return refuse(`page: at most ${MAX_BREAKDOWN_ROWS.toLocaleString("en")} rows can be paged through (page × limit).`);
  const filters = parseStatsFilters(p.filters);
  if (!filters.ok) return Promise.resolve(filters);
  if (filters.value.goal !== null && b.value.kind !== "goal") return refuse(GOAL_ONLY);
  const shape = (r: Report, goal: GoalResult | null): BreakdownAnswer => ({
    property: b.value.property,
    metric: b.value.metric,
    page,
    limit,
    results: breakdownOf(r, b.value, limit, page, goal),
  });
  return answer(db, { siteId, userId, p, filters: filters.value, topN: limit * page }, shape);
}
