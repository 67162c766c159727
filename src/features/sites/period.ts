// The report's period: today, the last 7 or 30 days, or a custom range of dates, parsed from the query
// string and validated. Days are calendar days in the site's time zone, so a period is a half-open range
// [from, to) between two local midnights, cut into the chart's buckets (local days, or hours for one day).
import { DAY, HOUR } from "../../config";
import { t } from "../../i18n";
import { addDays, localDate, localDayStarts } from "../../lib/zoned-days";
import { perLocale } from "./labels";

export type PeriodKey = "today" | "7d" | "30d" | "custom";

export type Period = {
  key: PeriodKey;
  /** First millisecond (UTC midnight). */
  from: number;
  /** First millisecond after the period (UTC midnight). */
  to: number;
  fromDate: string;
  toDate: string;
  bucket: "hour" | "day";
  /** The site's IANA zone the days are counted in. */
  timeZone: string;
  /** The chart's bucket boundaries, from `from` to `to`: n + 1 instants for n buckets (days of 23 or 25 hours included). */
  edges: number[];
};

export type PeriodErrors = Partial<Record<"period" | "from" | "to", string>>;
export type PeriodResult = { ok: true; period: Period } | { ok: false; errors: PeriodErrors; values: { from: string; to: string } };

/** visit_hourly's (and goal_hourly's) bucket: a quarter hour, so any zone's local days and hours are sums of whole buckets. */
export const QUARTER_MS = 900_000;

export const DEFAULT_PERIOD: Exclude<PeriodKey, "custom"> = "7d";
/** A longer custom range would make the chart unreadable and the rollup reads grow; a year is plenty. */
export const MAX_RANGE_DAYS = 366;
const EARLIEST = "2000-01-01";

export const PRESETS: { key: Exclude<PeriodKey, "custom">; label: string; days: number }[] = [
  { key: "today", label: "Today", days: 1 },
  { key: "7d", label: "7 days", days: 7 },
  { key: "30d", label: "30 days", days: 30 },
];

/** The UTC day of `ts`: visitor ids and their salts stay per UTC day whatever the site's zone. */
export const dayStart = (ts: number) => ts - (((ts % DAY) + DAY) % DAY);
const isoDate = (ts: number) => new Date(ts).toISOString().slice(0, 10);

/** "2026-05-01" if it is a real calendar date, else null. */
function parseIsoDate(raw: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  if (!m) return null;
  return isoDate(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) === raw ? raw : null;
}

const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / DAY);

function make(key: PeriodKey, fromDate: string, toDate: string, timeZone: string): Period {
  const days = localDayStarts(fromDate, toDate, timeZone);
  const from = days[0]!;
  const to = days[days.length - 1]!;
  const bucket = fromDate === toDate ? "hour" : "day";
  // Hours are real hours from local midnight: 23 or 25 of them on a daylight-saving day.
  const edges = bucket === "day" ? days : [...Array.from({ length: Math.ceil((to - from) / HOUR) }, (_, i) => from + i * HOUR), to];
  return { key, from, to, fromDate, toDate, bucket, timeZone, edges };
}

export function presetPeriod(key: Exclude<PeriodKey, "custom">, now: number, timeZone = "UTC"): Period {
  const days = PRESETS.find((p) => p.key === key)!.days;
  const today = localDate(now, timeZone);
  return make(key, addDays(today, -(days - 1)), today, timeZone);
}

/** Reads `period`, or `from` and `to` (a custom range, which wins when either is given). */
export function parsePeriod(q: { period?: string; from?: string; to?: string }, now = Date.now(), timeZone = "UTC"): PeriodResult {
  const fromRaw = (q.from ?? "").trim();
  const toRaw = (q.to ?? "").trim();
  const values = { from: fromRaw, to: toRaw };
  if (fromRaw || toRaw || q.period === "custom") return parseCustom(fromRaw, toRaw, localDate(now, timeZone), timeZone, values);
  const key = q.period || DEFAULT_PERIOD;
  const preset = PRESETS.find((p) => p.key === key);
  if (!preset) return { ok: false, errors: { period: "Choose today, 7 days, 30 days or a custom range." }, values };
  return { ok: true, period: presetPeriod(preset.key, now, timeZone) };
}

function parseCustom(fromRaw: string, toRaw: string, today: string, timeZone: string, values: { from: string; to: string }): PeriodResult {
  const errors: PeriodErrors = {};
  const from = parseIsoDate(fromRaw);
  const to = parseIsoDate(toRaw);
  if (!fromRaw) errors.from = "Enter the first day.";
  else if (from === null) errors.from = "Enter the first day as a date (YYYY-MM-DD).";
  else if (from < EARLIEST) errors.from = "Choose a day in 2000 or later.";
  else if (from > today) errors.from = "The first day cannot be in the future.";
  if (!toRaw) errors.to = "Enter the last day.";
  else if (to === null) errors.to = "Enter the last day as a date (YYYY-MM-DD).";
  else if (to > today) errors.to = "The last day cannot be in the future.";
  if (Object.keys(errors).length === 0 && from !== null && to !== null) {
    if (to < from) errors.to = "The last day must not be before the first day.";
    else if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS) errors.to = `Choose at most ${MAX_RANGE_DAYS} days.`;
  }
  if (Object.keys(errors).length > 0 || from === null || to === null) return { ok: false, errors, values };
  return { ok: true, period: make("custom", from, to, timeZone) };
}

/** The query string that selects `period` again (for links that keep it). */
export function periodQuery(period: Period): string {
  return period.key === "custom" ? `from=${period.fromDate}&to=${period.toDate}` : `period=${period.key}`;
}

const dayFormats = perLocale((tag) => new Intl.DateTimeFormat(tag, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }));
const dayFormat = (ts: number) => dayFormats().format(ts);

/** "1 May 2026 – 7 May 2026 (Europe/Berlin)", "Today, 7 May 2026 (UTC)", in the reader's language. */
export function periodLabel(period: Period): string {
  const zone = `(${period.timeZone})`;
  const first = dayFormat(Date.parse(period.fromDate));
  if (period.key === "today") return t("sites.period.todayLabel", { day: first, zone });
  const last = dayFormat(Date.parse(period.toDate));
  return first === last ? `${first} ${zone}` : `${first} – ${last} ${zone}`;
}

/**
 * The period just before `period`, of as many local days (yesterday for today), in the same zone: the
 * comparison's buckets line up one to one with the current ones, daylight-saving days included.
 */
export function previousPeriod(period: Period): Period {
  const days = daysBetween(period.fromDate, period.toDate) + 1;
  return make(period.key, addDays(period.fromDate, -days), addDays(period.fromDate, -1), period.timeZone);
}
