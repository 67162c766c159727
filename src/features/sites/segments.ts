// Segments: the visitors whose country, browser, OS or device is one value. These four fields are derived from
// what the visitor id is made of (the IP address and the user agent: db/visit-fields.ts), so every hit of one
// visitor's day has the same value, and "the visits of German visitors" are whole visits. That is what lets a
// report filtered by one `is` on such a field be read from rollups kept per segment (visit_hourly_by,
// visit_pairs) with exactly the unfiltered rollups' rules: a visitor's first hit of the day is also their
// first hit in their segment, and a visit's entry, exit and bounce do not change when it is filtered.
// The same holds for two such fields at once ("German visitors on mobile" are whole visits too), so the
// commonest pairs (country with browser, OS or device: SEGMENT_PAIRS) are segments of their own in the same
// tables, `fdim` "country+device" and `fvalue` the JSON array of the two values (`["DE","mobile"]`).
// Fields that change from hit to hit (page, event, referrer, campaign) cannot be segments this way; region
// and city could, but have too many values to be worth a rollup each.
import { DIMENSION_RULES, VISIT_FIELDS } from "../../db/visit-fields";
import type { Filter } from "./filters";

export const SEGMENT_DIMENSIONS = ["country", "browser", "os", "device"] as const;
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];

/**
 * Pairs of segment fields kept as segments of their own, for reports filtered by `is` on both. Each pair adds
 * a segment row to every rollup row a hit writes (see docs/architecture.md, "Filtered reports at scale"), so
 * only the pairs people filter by most: country with each of the others.
 */
export const SEGMENT_PAIRS = [
  ["country", "browser"],
  ["country", "os"],
  ["country", "device"],
] as const satisfies readonly (readonly [SegmentDimension, SegmentDimension])[];

const pairName = ([a, b]: readonly [SegmentDimension, SegmentDimension]) => `${a}+${b}`;
/** Every segment's `fdim`: the four fields, then the pairs. */
export const SEGMENT_KEYS: readonly string[] = [...SEGMENT_DIMENSIONS, ...SEGMENT_PAIRS.map(pairName)];
/** Only the pairs' keys (migration 0031 backfilled just these). */
export const SEGMENT_PAIR_KEYS: readonly string[] = SEGMENT_PAIRS.map(pairName);

const isSegmentDim = (dim: string): dim is SegmentDimension => SEGMENT_DIMENSIONS.some((d) => d === dim);

/** `JOIN` of a row to each segment of `keys` (alias `g`), for the rollup statements. */
export const segmentJoin = (keys: readonly string[] = SEGMENT_KEYS) => `JOIN json_each('${JSON.stringify(keys)}') g`;
export const SEGMENT_JOIN = segmentJoin();

/**
 * The row's segment value for the dimension `g.value` (rows aliased `row`, with the fields' own column names):
 * a missing country is "", as in visit_dims and in filters.
 */
export function segmentCase(row: string): string {
  const value = (dim: SegmentDimension) => {
    const col = `${row}.${VISIT_FIELDS[DIMENSION_RULES[dim].field].column}`;
    return DIMENSION_RULES[dim].none === "blank" ? `coalesce(${col}, '')` : col;
  };
  const whens = [
    ...SEGMENT_DIMENSIONS.map((dim) => `WHEN '${dim}' THEN ${value(dim)}`),
    ...SEGMENT_PAIRS.map((pair) => `WHEN '${pairName(pair)}' THEN json_array(${value(pair[0])}, ${value(pair[1])})`),
  ];
  return `CASE g.value ${whens.join(" ")} END`;
}

/** The segment columns of a visits row, for the per-visit rows of sessions.ts (each visit has one value of each). */
export const SEGMENT_COLUMNS = SEGMENT_DIMENSIONS.map((dim) => VISIT_FIELDS[DIMENSION_RULES[dim].field].column);

/**
 * The segment a report's filters are, when the segment rollups can answer them: exactly one `is` on a segment
 * field, or exactly two on the two fields of a pair in SEGMENT_PAIRS (in either order). A pair's value is
 * the JSON array SQLite's `json_array` writes for it (no spaces; the fields' values are plain names).
 */
export function segmentOf(filters: readonly Filter[]): { fdim: string; fvalue: string } | null {
  if (!filters.every((f) => f.op === "is" && isSegmentDim(f.dim))) return null;
  const [f, g, ...rest] = filters;
  if (!f || rest.length) return null;
  if (!g) return { fdim: f.dim, fvalue: f.value };
  const pair = SEGMENT_PAIRS.find(([a, b]) => (f.dim === a && g.dim === b) || (f.dim === b && g.dim === a));
  if (!pair) return null;
  const [first, second] = pair[0] === f.dim ? [f, g] : [g, f];
  return { fdim: pairName(pair), fvalue: JSON.stringify([first.value, second.value]) };
}
