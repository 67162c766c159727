// The report's period: today, the last 7 or 30 days, or a custom range of dates, parsed from the query
// string and validated. Analytics days are UTC days (the rollups are per UTC hour and day), so a period
// is a half-open range [from, to) of UTC midnights.
import { DAY } from "../../config";

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
};

export type PeriodErrors = Partial<Record<"period" | "from" | "to", string>>;
export type PeriodResult = { ok: true; period: Period } | { ok: false; errors: PeriodErrors; values: { from: string; to: string } };

export const DEFAULT_PERIOD: Exclude<PeriodKey, "custom"> = "7d";
/** A longer custom range would make the chart unreadable and the rollup reads grow; a year is plenty. */
export const MAX_RANGE_DAYS = 366;
const EARLIEST = Date.UTC(2000, 0, 1);

export const PRESETS: { key: Exclude<PeriodKey, "custom">; label: string; days: number }[] = [
  { key: "today", label: "Today", days: 1 },
  { key: "7d", label: "7 days", days: 7 },
  { key: "30d", label: "30 days", days: 30 },
];

export const dayStart = (ts: number) => ts - (((ts % DAY) + DAY) % DAY);
const isoDate = (ts: number) => new Date(ts).toISOString().slice(0, 10);

/** "2026-05-01" → its UTC midnight, or null unless it is a real calendar date. */
function parseIsoDate(raw: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  if (!m) return null;
  const ts = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return isoDate(ts) === raw ? ts : null;
}

function make(key: PeriodKey, from: number, to: number): Period {
  return { key, from, to, fromDate: isoDate(from), toDate: isoDate(to - DAY), bucket: to - from <= DAY ? "hour" : "day" };
}

export function presetPeriod(key: Exclude<PeriodKey, "custom">, now: number): Period {
  const days = PRESETS.find((p) => p.key === key)!.days;
  const tomorrow = dayStart(now) + DAY;
  return make(key, tomorrow - days * DAY, tomorrow);
}

/** Reads `period`, or `from` and `to` (a custom range, which wins when either is given). */
export function parsePeriod(q: { period?: string; from?: string; to?: string }, now = Date.now()): PeriodResult {
  const fromRaw = (q.from ?? "").trim();
  const toRaw = (q.to ?? "").trim();
  const values = { from: fromRaw, to: toRaw };
  if (fromRaw || toRaw || q.period === "custom") return parseCustom(fromRaw, toRaw, now, values);
  const key = q.period || DEFAULT_PERIOD;
  const preset = PRESETS.find((p) => p.key === key);
  if (!preset) return { ok: false, errors: { period: "Choose today, 7 days, 30 days or a custom range." }, values };
  return { ok: true, period: presetPeriod(preset.key, now) };
}

function parseCustom(fromRaw: string, toRaw: string, now: number, values: { from: string; to: string }): PeriodResult {
  const errors: PeriodErrors = {};
  const today = dayStart(now);
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
    else if ((to - from) / DAY + 1 > MAX_RANGE_DAYS) errors.to = `Choose at most ${MAX_RANGE_DAYS} days.`;
  }
  if (Object.keys(errors).length > 0 || from === null || to === null) return { ok: false, errors, values };
  return { ok: true, period: make("custom", from, to + DAY) };
}

/** The query string that selects `period` again (for links that keep it). */
export function periodQuery(period: Period): string {
  return period.key === "custom" ? `from=${period.fromDate}&to=${period.toDate}` : `period=${period.key}`;
}

const dayFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

export function periodLabel(period: Period): string {
  if (period.key === "today") return `Today, ${dayFormat.format(period.from)} (UTC)`;
  const first = dayFormat.format(period.from);
  const last = dayFormat.format(period.to - DAY);
  return first === last ? `${first} (UTC)` : `${first} – ${last} (UTC)`;
}
