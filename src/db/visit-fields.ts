// The one description of a visit's fields: for each, its SQL column and Drizzle column, its check (zod),
// and where it shows (the visits table's label, the CSV's header). Everything else is derived from here:
// the queue message's schema and type, the `visits` and `visit_staging` columns (db/schema.ts), the SQL
// column lists of the ingest and the reports, the table's and the CSV's columns. The report's dimensions
// are one list in one order (the order of the top panels), each with its counting rule.
// Imported by db/schema.ts, so only zod and Drizzle here (drizzle-kit loads this file).
import { integer, real, text } from "drizzle-orm/sqlite-core";
import { z } from "zod";

export const MAX_PATH_LENGTH = 512;
/** Event names: what `roost.track("signup")` may send. */
export const EVENT_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.:/-]{0,63}$/;

/** Custom properties: at most 30 keys of 1 to 64 characters, each value 1 to 256 characters (beacon.ts). */
export const MAX_PROPS = 30;
export const PROP_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
export const MAX_PROP_VALUE = 256;
/** Enough for 30 keys and values at their longest, JSON-escaped. */
const MAX_PROPS_JSON = 16_384;

const shortText = z.string().max(255).nullable();
/** Campaign fields: absent from messages queued before they existed, hence the default. */
const campaignText = z.string().max(255).nullable().default(null);

/** The page URL's query parameters that are kept (everything else in the query string is dropped). */
export const CAMPAIGN_PARAMS = {
  utmSource: "utm_source",
  utmMedium: "utm_medium",
  utmCampaign: "utm_campaign",
  utmTerm: "utm_term",
  utmContent: "utm_content",
} as const;

/** A visit's fields in column order; `label` puts it in the visits table, `csv` in the export. */
export const VISIT_FIELDS = {
  /** Random id given by the beacon; what makes a redelivered queue message harmless. */
  uid: { column: "uid", zod: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) },
  siteId: { column: "site_id", zod: z.number().int().positive() },
  ts: { column: "ts", zod: z.number().int().positive(), label: "Time (UTC)", csv: "time_utc" },
  path: { column: "path", zod: z.string().min(1).max(MAX_PATH_LENGTH), label: "Page", csv: "page" },
  referrerHost: { column: "referrer_host", zod: shortText, label: "Referrer", csv: "referrer" },
  event: { column: "event", zod: z.string().regex(EVENT_NAME), label: "Event", csv: "event" },
  browser: { column: "browser", zod: z.string().min(1).max(64), label: "Browser", csv: "browser" },
  os: { column: "os", zod: z.string().min(1).max(64), label: "OS", csv: "os" },
  device: { column: "device", zod: z.string().min(1).max(16), label: "Device", csv: "device" },
  country: { column: "country", zod: z.string().max(2).nullable(), label: "Country", csv: "country" },
  region: { column: "region", zod: shortText, label: "Region", csv: "region" },
  city: { column: "city", zod: shortText, label: "City", csv: "city" },
  latitude: { column: "latitude", zod: z.number().min(-90).max(90).nullable(), csv: "latitude" },
  longitude: { column: "longitude", zod: z.number().min(-180).max(180).nullable(), csv: "longitude" },
  /** First 16 bytes (hex) of SHA-256(daily salt, site, IP, user agent): a visitor within one UTC day. */
  visitor: { column: "visitor", zod: z.string().regex(/^[0-9a-f]{32}$/), csv: "visitor" },
  utmSource: { column: "utm_source", zod: campaignText, csv: "utm_source" },
  utmMedium: { column: "utm_medium", zod: campaignText, csv: "utm_medium" },
  utmCampaign: { column: "utm_campaign", zod: campaignText, csv: "utm_campaign" },
  utmTerm: { column: "utm_term", zod: campaignText, csv: "utm_term" },
  utmContent: { column: "utm_content", zod: campaignText, csv: "utm_content" },
  /** A custom event's properties as a JSON object of strings (beacon.ts checks them); null for none. */
  props: { column: "props", zod: z.string().max(MAX_PROPS_JSON).nullable().default(null), csv: "props" },
} as const;

export type VisitFieldKey = keyof typeof VISIT_FIELDS;
type Field = { column: string; zod: z.ZodType; label?: string; csv?: string };
const isVisitFieldKey = (key: string): key is VisitFieldKey => Object.hasOwn(VISIT_FIELDS, key);
const entries = Object.keys(VISIT_FIELDS)
  .filter(isVisitFieldKey)
  .map((key): [VisitFieldKey, Field] => [key, VISIT_FIELDS[key]]);

/** The visits queue's message: one visit, already stripped of anything identifying. */
export const visitMessageSchema = z.object(
  // Object.fromEntries returns a plain record; the shape it builds is exactly this mapped type.
  Object.fromEntries(entries.map(([key, f]) => [key, f.zod])) as { [K in VisitFieldKey]: (typeof VISIT_FIELDS)[K]["zod"] },
);
export type VisitMessage = z.output<typeof visitMessageSchema>;
/** What a stored visit says (the queue message adds its uid and site; a stored row its id). */
export type VisitFields = Omit<VisitMessage, "uid" | "siteId">;

/** Every column the queue message fills, in order, as SQL names with their message keys. */
export const VISIT_COLUMNS = entries.map(([key, f]) => ({ key, column: f.column }));
/** The fields a visit has besides its uid and site: the same in `visits` and `visit_staging`. */
type DataKey = Exclude<VisitFieldKey, "uid" | "siteId">;
const dataEntries = entries.filter((e): e is [DataKey, Field] => e[0] !== "uid" && e[0] !== "siteId");
const DATA_COLUMNS = dataEntries.map(([key, f]) => ({ key, column: f.column }));

/** `id, ts, path, referrer_host AS referrerHost, …`: a stored visit read back under its field names. */
export const VISIT_SELECT = ["id", ...DATA_COLUMNS.map((c) => (c.key === c.column ? c.column : `${c.column} AS ${c.key}`))].join(", ");

/** The visits table's columns (label order) and the CSV's (header order). */
export const TABLE_FIELDS = dataEntries.filter(([, f]) => f.label).map(([key, f]) => ({ key, label: f.label! }));
export const CSV_FIELDS = dataEntries.filter(([, f]) => f.csv).map(([key, f]) => ({ key, header: f.csv! }));

/**
 * Drizzle columns of a visit's data (all but uid and site, whose keys differ between `visits` and the
 * staging table): NOT NULL exactly where the field's check refuses null. A fresh set per table.
 */
export function visitDataColumns() {
  return {
    ts: integer("ts").notNull(),
    path: text("path").notNull(),
    referrerHost: text("referrer_host"),
    event: text("event").notNull(),
    browser: text("browser").notNull(),
    os: text("os").notNull(),
    device: text("device").notNull(),
    country: text("country"),
    region: text("region"),
    city: text("city"),
    latitude: real("latitude"),
    longitude: real("longitude"),
    visitor: text("visitor").notNull(),
    utmSource: text("utm_source"),
    utmMedium: text("utm_medium"),
    utmCampaign: text("utm_campaign"),
    utmTerm: text("utm_term"),
    utmContent: text("utm_content"),
    props: text("props"),
  } satisfies Record<DataKey, unknown>;
}

// --- Dimensions -------------------------------------------------------------------------------------

/** The report's dimensions, in the order of its top panels. */
export const DIMENSIONS = [
  "page",
  "referrer",
  "country",
  "browser",
  "os",
  "device",
  "event",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/**
 * Each dimension: the field it counts, what it counts (pages count pageviews and events every hit; the rest
 * count visitors, by their first hit of the day), what a missing value does (referrer: not counted;
 * country: counted as ""), and its panel's title and column headers.
 */
export const DIMENSION_RULES: Record<
  Dimension,
  { field: VisitFieldKey; counts: "pageviews" | "hits" | "visitors"; none?: "skip" | "blank"; titles: [title: string, value: string, count: string] }
> = {
  page: { field: "path", counts: "pageviews", titles: ["Top pages", "Page", "Pageviews"] },
  referrer: { field: "referrerHost", counts: "visitors", none: "skip", titles: ["Top referrers", "Referrer", "Visitors"] },
  country: { field: "country", counts: "visitors", none: "blank", titles: ["Countries", "Country", "Visitors"] },
  browser: { field: "browser", counts: "visitors", titles: ["Browsers", "Browser", "Visitors"] },
  os: { field: "os", counts: "visitors", titles: ["Operating systems", "OS", "Visitors"] },
  device: { field: "device", counts: "visitors", titles: ["Devices", "Device", "Visitors"] },
  event: { field: "event", counts: "hits", titles: ["Events", "Event", "Count"] },
  // Campaigns count visitors by their first hit of the day, like referrers: where the visit came from.
  utm_source: { field: "utmSource", counts: "visitors", none: "skip", titles: ["Campaign sources", "utm_source", "Visitors"] },
  utm_medium: { field: "utmMedium", counts: "visitors", none: "skip", titles: ["Campaign media", "utm_medium", "Visitors"] },
  utm_campaign: { field: "utmCampaign", counts: "visitors", none: "skip", titles: ["Campaigns", "utm_campaign", "Visitors"] },
  utm_term: { field: "utmTerm", counts: "visitors", none: "skip", titles: ["Campaign terms", "utm_term", "Visitors"] },
  utm_content: { field: "utmContent", counts: "visitors", none: "skip", titles: ["Campaign contents", "utm_content", "Visitors"] },
};
