// Times for the reader: "3 minutes ago" and exact dates in the reader's time zone and language (the current
// locale, src/i18n), with Intl only.
import { currentLocale, intlTag, type Locale, t, tn } from "../i18n";

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600_000],
  ["month", 30 * 24 * 3600_000],
  ["week", 7 * 24 * 3600_000],
  ["day", 24 * 3600_000],
  ["hour", 3600_000],
  ["minute", 60_000],
];

const relativeFormats = new Map<Locale, Intl.RelativeTimeFormat>();

export function relativeTime(ts: number, now = Date.now()): string {
  const diff = ts - now;
  const abs = Math.abs(diff);
  if (abs < 45_000) return t("time.justNow");
  const locale = currentLocale();
  let relative = relativeFormats.get(locale);
  if (!relative) {
    relative = new Intl.RelativeTimeFormat(intlTag(locale), { numeric: "auto" });
    relativeFormats.set(locale, relative);
  }
  for (const [unit, ms] of UNITS) {
    if (abs >= ms || unit === "minute") return relative.format(Math.round(diff / ms), unit);
  }
  return t("time.justNow");
}

// Building an Intl.DateTimeFormat costs far more than formatting with one (about 0.5 ms against microseconds
// here: a page of 50 dates spent most of its render time constructing them, `npm run bench:render`), so the
// formatters are made once per isolate and time zone. Zones are IANA names checked by safeTimeZone (a few
// hundred at most) times two languages, so the caches stay small.
const exactFormats = new Map<string, Intl.DateTimeFormat>();
const longFormats = new Map<string, Intl.DateTimeFormat>();

function cached(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, make: (tag: string) => Intl.DateTimeFormat): Intl.DateTimeFormat {
  const locale = currentLocale();
  const key = `${locale} ${timeZone}`;
  let f = cache.get(key);
  if (!f) {
    f = make(intlTag(locale));
    cache.set(key, f);
  }
  return f;
}

const validZones = new Set<string>();

const exactFormat = (timeZone: string) =>
  cached(
    exactFormats,
    timeZone,
    (tag) =>
      // dateStyle/timeStyle cannot be combined with timeZoneName, so the fields are spelled out.
      new Intl.DateTimeFormat(tag, {
        year: "numeric",
        month: "short",
        day: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        timeZone,
        timeZoneName: "short",
      }),
  );

/** A valid IANA zone or UTC: `cf.timezone` comes from the edge, but tests and odd clients may send junk. */
export function safeTimeZone(tz: string | undefined | null): string {
  if (!tz) return "UTC";
  if (validZones.has(tz)) return tz;
  try {
    exactFormat(tz);
    validZones.add(tz);
    return tz;
  } catch {
    return "UTC";
  }
}

export function exactTime(ts: number, timeZone: string): string {
  return exactFormat(timeZone).format(ts);
}

export function longDate(ts: number, timeZone: string): string {
  return cached(longFormats, timeZone, (tag) => new Intl.DateTimeFormat(tag, { dateStyle: "long", timeZone })).format(ts);
}

/** What a 429 tells people: the wait from Retry-After, in whole minutes. */
export function retryMessage(seconds: number): string {
  return tn("time.tooManyAttempts", Math.ceil(seconds / 60));
}
