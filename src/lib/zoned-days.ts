// Calendar days in an IANA time zone, with Intl only (workerd has no other time-zone data): the zones a
// site may choose, a zone name checked and made canonical, the local date of an instant, and the first
// instant of a local day. Offsets are not assumed to be whole hours (Asia/Kolkata +5:30, Asia/Kathmandu
// +5:45) nor constant (daylight saving), so a day's start is searched for, not computed from one offset.
import { HOUR } from "../config";

const supported = new Set<string>(Intl.supportedValuesOf("timeZone"));
/** Intl's list leaves out UTC itself, the default; it goes first. */
export const TIME_ZONES: readonly string[] = ["UTC", ...[...supported].filter((z) => z !== "UTC").sort()];

/**
 * The zone's name as stored, or null when it is no zone. Names from TIME_ZONES are kept as they are; an
 * alias Intl knows (Asia/Kolkata where the list says Asia/Calcutta, any letter case) becomes its canonical name.
 */
export function canonicalTimeZone(raw: string): string | null {
  const name = raw.trim();
  if (name === "UTC" || supported.has(name)) return name;
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return null;
  try {
    const resolved = new Intl.DateTimeFormat("en", { timeZone: name }).resolvedOptions().timeZone;
    if (resolved === "UTC" || resolved === "Etc/UTC") return "UTC";
    return supported.has(resolved) ? resolved : null;
  } catch {
    return null;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function dateFormat(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, f);
  }
  return f;
}

/** "2026-03-08": the calendar date at `ts` in `timeZone`. */
export function localDate(ts: number, timeZone: string): string {
  const parts = dateFormat(timeZone).formatToParts(ts);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** The ISO date `n` days after `iso` (calendar arithmetic, no zone involved). */
export function addDays(iso: string, n: number): string {
  const [y = 1970, m = 1, d = 1] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/**
 * The first millisecond of local day `iso` in `timeZone`: usually local midnight; where a daylight-saving
 * change skips midnight, the first instant that exists. Every offset lies within UTC-12..UTC+14, so the start
 * lies within that window around UTC midnight; a binary search by the second (transitions fall on whole
 * seconds) finds the first instant whose local date is not before `iso`.
 */
export function startOfLocalDay(iso: string, timeZone: string): number {
  const [y = 1970, m = 1, d = 1] = iso.split("-").map(Number);
  const utcMidnight = Date.UTC(y, m - 1, d);
  if (timeZone === "UTC") return utcMidnight;
  let lo = (utcMidnight - 15 * HOUR) / 1000; // local date certainly before iso
  let hi = (utcMidnight + 13 * HOUR) / 1000; // local date certainly iso (or later)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDate(mid * 1000, timeZone) < iso) lo = mid;
    else hi = mid;
  }
  return hi * 1000;
}

/** Local midnights from day `fromIso` to the day after `lastIso`: n + 1 boundaries of n local days. */
export function localDayStarts(fromIso: string, lastIso: string, timeZone: string): number[] {
  const out: number[] = [];
  const end = addDays(lastIso, 1);
  let offset: number | null = null;
  for (let iso = fromIso; iso <= end; iso = addDays(iso, 1)) {
    const utcMidnight = Date.parse(iso);
    // Most days start at the previous day's offset: two look-ups confirm it; a change of offset searches.
    const guess: number | null = offset === null ? null : utcMidnight - offset;
    const start: number =
      guess !== null && localDate(guess, timeZone) === iso && localDate(guess - 1000, timeZone) < iso ? guess : startOfLocalDay(iso, timeZone);
    offset = utcMidnight - start;
    out.push(start);
  }
  return out;
}
