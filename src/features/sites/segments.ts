// Segments: the visitors whose country, browser, OS or device is one value. These four fields are derived from
// what the visitor id is made of (the IP address and the user agent: db/visit-fields.ts), so every hit of one
// visitor's day has the same value, and "the visits of German visitors" are whole visits. That is what lets a
// report filtered by one `is` on such a field be read from rollups kept per segment (visit_hourly_by,
// visit_pairs) with exactly the unfiltered rollups' rules: a visitor's first hit of the day is also their
// first hit in their segment, and a visit's entry, exit and bounce do not change when it is filtered.
// Fields that change from hit to hit (page, event, referrer, campaign) cannot be segments this way; region
// and city could, but have too many values to be worth a rollup each.
import { DIMENSION_RULES, VISIT_FIELDS } from "../../db/visit-fields";
import type { Filter } from "./filters";

export const SEGMENT_DIMENSIONS = ["country", "browser", "os", "device"] as const;
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];

const isSegmentDim = (dim: string): dim is SegmentDimension => SEGMENT_DIMENSIONS.some((d) => d === dim);

/** `JOIN` of a row to each segment dimension (alias `g`), for the rollup statements. */
export const SEGMENT_JOIN = `JOIN json_each('${JSON.stringify(SEGMENT_DIMENSIONS)}') g`;

/**
 * The row's segment value for the dimension `g.value` (rows aliased `row`, with the fields' own column names):
 * a missing country is "", as in visit_dims and in filters.
 */
export function segmentCase(row: string): string {
  const whens = SEGMENT_DIMENSIONS.map((dim) => {
    const col = `${row}.${VISIT_FIELDS[DIMENSION_RULES[dim].field].column}`;
    return `WHEN '${dim}' THEN ${DIMENSION_RULES[dim].none === "blank" ? `coalesce(${col}, '')` : col}`;
  });
  return `CASE g.value ${whens.join(" ")} END`;
}

/** The segment columns of a visits row, for the per-visit rows of sessions.ts (each visit has one value of each). */
export const SEGMENT_COLUMNS = SEGMENT_DIMENSIONS.map((dim) => VISIT_FIELDS[DIMENSION_RULES[dim].field].column);

/** The segment a report's filters are, when the segment rollups can answer them: exactly one `is` on a segment field. */
export function segmentOf(filters: readonly Filter[]): { fdim: SegmentDimension; fvalue: string } | null {
  const [f, ...rest] = filters;
  if (!f || rest.length || f.op !== "is" || !isSegmentDim(f.dim)) return null;
  return { fdim: f.dim, fvalue: f.value };
}
