// Report filters: a list of {dimension, operator, value} parsed from the URL (`f=country:is:DE`,
// `f=page:contains:/blog`), written back into links, and turned into SQL over raw visits. One place for
// every report that filters (the dashboard today, the stats API later); it knows nothing of Hono or HTTP,
// only strings in and SQL with bound parameters out. Unfiltered reports never get here: they read rollups.

import { DIMENSION_RULES, DIMENSIONS, MAX_PATH_LENGTH, MAX_PROP_VALUE, PROP_KEY, VISIT_FIELDS, type VisitFieldKey } from "../../db/visit-fields";
import { t } from "../../i18n";
import { dimensionName, operatorName } from "./labels";

/** Every top-list dimension, plus place names that only filter (they have no panel yet). */
export const FILTER_DIMENSIONS = [...DIMENSIONS, "region", "city"] as const;
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number];

export const OPERATORS = ["is", "is_not", "contains"] as const;
export type Operator = (typeof OPERATORS)[number];

/** A custom property's dimension: `prop:plan` (the key follows beacon.ts's PROP_KEY, so it holds no colon). */
export type PropDimension = `prop:${string}`;
export const PROP_PREFIX = "prop:";
export const isPropDim = (dim: string): dim is PropDimension => dim.startsWith(PROP_PREFIX);
export const propKeyOf = (dim: PropDimension) => dim.slice(PROP_PREFIX.length);

export type Filter = { dim: FilterDimension | PropDimension; op: Operator; value: string };

/** More would make the URL unwieldy and the SQL long; nobody stacks ten conditions by hand. */
export const MAX_FILTERS = 10;
/** Substring matching only makes sense for paths. */
const CONTAINS_DIMS: readonly FilterDimension[] = ["page"];

/** The visit field a filter dimension reads: a report dimension's own field, or region and city. */
const fieldOf = (dim: FilterDimension): VisitFieldKey => (dim === "region" || dim === "city" ? dim : DIMENSION_RULES[dim].field);

/** A value longer than the field can hold can match nothing: refuse it rather than scan for it. */
export const maxFilterValue = (dim: FilterDimension | PropDimension) => (dim === "page" ? MAX_PATH_LENGTH : isPropDim(dim) ? MAX_PROP_VALUE : 255);

/**
 * SQL of the dimension's value on a visits row (alias `s`). A missing country is the empty string, as in
 * the rollup (its "Unknown" row links to `country:is:`); a missing referrer, region or city stays NULL.
 */
function valueSql(dim: FilterDimension | PropDimension): string {
  // The key is checked against PROP_KEY (letters, digits, _ . -), so quoting it in the JSON path is safe.
  if (isPropDim(dim)) return `(s.props ->> '$."${propKeyOf(dim)}"')`;
  const col = `s.${VISIT_FIELDS[fieldOf(dim)].column}`;
  return dim !== "region" && dim !== "city" && DIMENSION_RULES[dim].none === "blank" ? `coalesce(${col}, '')` : col;
}

export type FilterParse = { ok: true; filters: Filter[] } | { ok: false; error: string };

const isDim = (s: string): s is FilterDimension => FILTER_DIMENSIONS.some((d) => d === s);
const isOp = (s: string): s is Operator => OPERATORS.some((o) => o === s);

/** `a:b:rest` split at its first two colons (the rest may hold more); null with fewer than two. */
function splitThree(s: string): [string, string, string] | null {
  const first = s.indexOf(":");
  const second = first < 0 ? -1 : s.indexOf(":", first + 1);
  return second < 0 ? null : [s.slice(0, first), s.slice(first + 1, second), s.slice(second + 1)];
}

/** `prop:<key>:is:<value>` or `prop:<key>:is_not:<value>`: visits whose custom property has (or lacks) the value. */
function parsePropFilter(raw: string): { ok: true; filter: Filter } | { ok: false; error: string } {
  const parts = splitThree(raw.slice(PROP_PREFIX.length));
  if (!parts) return { ok: false, error: t("sites.filter.propShape", { filter: raw.slice(0, 80) }) };
  const [key, op, value] = parts;
  if (!PROP_KEY.test(key)) return { ok: false, error: t("sites.filter.propKey") };
  if (op !== "is" && op !== "is_not") return { ok: false, error: t("sites.filter.propOp", { op: op.slice(0, 40) }) };
  if (value.length > MAX_PROP_VALUE) return { ok: false, error: t("sites.filter.propValue", { max: MAX_PROP_VALUE }) };
  return { ok: true, filter: { dim: `prop:${key}`, op, value } };
}

/** One `dimension:operator:value` (the value may itself hold colons), or a property's `prop:key:operator:value`. */
export function parseFilter(raw: string): { ok: true; filter: Filter } | { ok: false; error: string } {
  if (raw.startsWith(PROP_PREFIX)) return parsePropFilter(raw);
  const parts = splitThree(raw);
  if (!parts) return { ok: false, error: t("sites.filter.shape", { filter: raw.slice(0, 80) }) };
  const [dim, op, value] = parts;
  if (!isDim(dim)) return { ok: false, error: t("sites.filter.noDimension", { dim: dim.slice(0, 40), dims: FILTER_DIMENSIONS.join(", ") }) };
  if (!isOp(op)) return { ok: false, error: t("sites.filter.noOperator", { op: op.slice(0, 40) }) };
  if (op === "contains" && !CONTAINS_DIMS.includes(dim)) return { ok: false, error: t("sites.filter.containsPages", { dim }) };
  const max = maxFilterValue(dim);
  if (value.length > max) return { ok: false, error: t("sites.filter.valueTooLong", { dim, max }) };
  if (op === "contains" && value === "") return { ok: false, error: t("sites.filter.containsEmpty") };
  return { ok: true, filter: { dim, op, value } };
}

/** Every `f` parameter, in order, duplicates dropped; the first bad one is the error. */
export function parseFilters(raw: readonly string[] | undefined): FilterParse {
  const filters: Filter[] = [];
  for (const r of raw ?? []) {
    const parsed = parseFilter(r);
    if (!parsed.ok) return parsed;
    if (!filters.some((f) => sameFilter(f, parsed.filter))) filters.push(parsed.filter);
  }
  if (filters.length > MAX_FILTERS) return { ok: false, error: t("sites.filter.tooMany", { max: MAX_FILTERS }) };
  return { ok: true, filters };
}

export const sameFilter = (a: Filter, b: Filter) => a.dim === b.dim && a.op === b.op && a.value === b.value;

/** `f=…&f=…` (no leading `&`), empty for no filters: what links append to keep the filters. */
export function filterQuery(filters: readonly Filter[]): string {
  return filters.map((f) => `f=${encodeURIComponent(`${f.dim}:${f.op}:${f.value}`)}`).join("&");
}

/** The filters with one more (no change if it is already there). */
export const withFilter = (filters: readonly Filter[], add: Filter): Filter[] => (filters.some((f) => sameFilter(f, add)) ? [...filters] : [...filters, add]);
export const withoutFilter = (filters: readonly Filter[], drop: Filter): Filter[] => filters.filter((f) => !sameFilter(f, drop));

/**
 * The filters as one SQL condition over `visits` rows aliased `s`, with numbered parameters from
 * `?firstParam` on (so it can follow a statement's own numbered parameters). `true` for no filters.
 * is → `=` (an index on the column can serve it); is_not → `IS NOT`, so rows without the value (a direct
 * visit when excluding a referrer) stay in; contains → instr(), a plain substring test (no LIKE wildcards).
 */
export function filterSql(filters: readonly Filter[], firstParam: number): { sql: string; params: string[] } {
  if (filters.length === 0) return { sql: "true", params: [] };
  const parts = filters.map((f, i) => {
    const p = `?${firstParam + i}`;
    const v = valueSql(f.dim);
    // The bare column for a non-empty value (same rows: coalesce only turns NULL into ""), so that an
    // index on it, (site_id, country, ts), can serve the filter. A property is a JSON path, never bare.
    if (f.op === "is") return `${f.value === "" || isPropDim(f.dim) ? v : `s.${VISIT_FIELDS[fieldOf(f.dim)].column}`} = ${p}`;
    if (f.op === "is_not") return `${v} IS NOT ${p}`;
    return `instr(${v}, ${p}) > 0`;
  });
  return { sql: parts.join(" AND "), params: filters.map((f) => f.value) };
}

/** How a filter reads on its chip, in the reader's language: "Country is DE". */
export function filterLabel(f: Filter): { dim: string; op: string } {
  const dim = isPropDim(f.dim) ? t("sites.filter.property", { key: propKeyOf(f.dim) }) : dimensionName(f.dim);
  return { dim, op: operatorName(f.op) };
}
