// The report's words that come from data definitions (db/visit-fields.ts, sessions.ts, period.ts): panel
// titles and column headers per dimension, the visits table's columns, the filter chips' words, the period's
// name. Those definitions stay in English (the CSV's headers are data column names and stay so); this is
// where each gets its words in the reader's language (src/i18n, sites.*).
import type { Dimension } from "../../db/visit-fields";
import { currentLocale, intlTag, type Locale, type PlainKey, t } from "../../i18n";

/** The session panels (sessions.ts SESSION_DIMENSIONS), named here so that this module imports nothing of the feature. */
type SessionDimension = "entry" | "exit";

/** [panel title, value column, count column]; null: the dimension's technical name (utm_source) in every language. */
const PANEL_KEYS: Record<Dimension | SessionDimension, [PlainKey, PlainKey | null, PlainKey]> = {
  page: ["sites.top.page", "sites.col.page", "sites.col.pageviews"],
  entry: ["sites.top.entry", "sites.col.entry", "sites.col.visits"],
  exit: ["sites.top.exit", "sites.col.exit", "sites.col.visits"],
  referrer: ["sites.top.referrer", "sites.col.referrer", "sites.col.visitors"],
  country: ["sites.top.country", "sites.col.country", "sites.col.visitors"],
  browser: ["sites.top.browser", "sites.col.browser", "sites.col.visitors"],
  os: ["sites.top.os", "sites.col.os", "sites.col.visitors"],
  device: ["sites.top.device", "sites.col.device", "sites.col.visitors"],
  event: ["sites.top.event", "sites.col.event", "sites.col.count"],
  utm_source: ["sites.top.utmSource", null, "sites.col.visitors"],
  utm_medium: ["sites.top.utmMedium", null, "sites.col.visitors"],
  utm_campaign: ["sites.top.utmCampaign", null, "sites.col.visitors"],
  utm_term: ["sites.top.utmTerm", null, "sites.col.visitors"],
  utm_content: ["sites.top.utmContent", null, "sites.col.visitors"],
};

/** A top panel's title, value header and count header. */
export function panelTitles(dim: Dimension | SessionDimension): [title: string, value: string, count: string] {
  const [title, value, count] = PANEL_KEYS[dim];
  return [t(title), value ? t(value) : dim, t(count)];
}

/** What a dimension is called on a filter chip and in the filter form ("Country", "Region"). */
export function dimensionName(dim: Dimension | "region" | "city"): string {
  if (dim === "region") return t("sites.col.region");
  if (dim === "city") return t("sites.col.city");
  return panelTitles(dim)[1];
}

const OPERATOR_KEYS = { is: "sites.op.is", is_not: "sites.op.isNot", contains: "sites.op.contains" } as const satisfies Record<string, PlainKey>;
export const operatorName = (op: keyof typeof OPERATOR_KEYS) => t(OPERATOR_KEYS[op]);

const COLUMN_KEYS = {
  ts: "sites.col.timeUtc",
  path: "sites.col.page",
  referrerHost: "sites.col.referrer",
  event: "sites.col.event",
  browser: "sites.col.browser",
  os: "sites.col.os",
  device: "sites.col.device",
  country: "sites.col.country",
  region: "sites.col.region",
  city: "sites.col.city",
} as const satisfies Record<string, PlainKey>;

/** The visits table's header for a field (the table shows exactly these). */
export const columnName = (key: keyof typeof COLUMN_KEYS) => t(COLUMN_KEYS[key]);
export const isTableColumn = (key: string): key is keyof typeof COLUMN_KEYS => Object.hasOwn(COLUMN_KEYS, key);

const PRESET_KEYS = { today: "sites.period.today", "7d": "sites.period.7d", "30d": "sites.period.30d" } as const satisfies Record<string, PlainKey>;
export const presetName = (key: keyof typeof PRESET_KEYS) => t(PRESET_KEYS[key]);

/** One formatter per language, made on first use (making an Intl formatter costs far more than using one). */
export function perLocale<T>(make: (tag: string) => T): () => T {
  const made = new Map<Locale, T>();
  return () => {
    const locale = currentLocale();
    let value = made.get(locale);
    if (value === undefined) {
      value = make(intlTag(locale));
      made.set(locale, value);
    }
    return value;
  };
}
