// What a report request asks for in its query string (the period and the filters), for every route that shows a
// report (the owner's, the visits pages, the CSV, the shared and public ones), so they all read the same
// parameters the same way. filters.ts and period.ts stay free of HTTP.
import type { Context } from "hono";
import type { WebEnv } from "../../env";
import { type Filter, type FilterParse, parseFilters } from "./filters";
import { type PeriodResult, parsePeriod } from "./period";

/**
 * Every `f` parameter (`f=country:is:DE&f=page:contains:/blog`), plus the one the "Add filter" form sends as
 * separate fields (fd, fo, fv: a form without JavaScript cannot join them); a bad one is a 400 with its reason.
 */
export function filtersOf(c: Context<WebEnv>): FilterParse {
  const raw = [...(c.req.queries("f") ?? [])];
  const fd = c.req.query("fd");
  if (fd !== undefined) raw.push(`${fd}:${c.req.query("fo") ?? ""}:${(c.req.query("fv") ?? "").trim()}`);
  return parseFilters(raw);
}

/** The period the request asks for, in the site's time zone once it is known. */
export const periodOf =
  (c: Context<WebEnv>) =>
  (timeZone: string): PeriodResult =>
    parsePeriod({ period: c.req.query("period"), from: c.req.query("from"), to: c.req.query("to") }, Date.now(), timeZone);

export type ReportAsk = { periodIn: (timeZone: string) => PeriodResult; filters: Filter[] };

/** The period and the filters together; a bad filter is the error (a 400 with its reason). */
export function reportAskOf(c: Context<WebEnv>): { ok: true; ask: ReportAsk } | { ok: false; error: string } {
  const filters = filtersOf(c);
  return filters.ok ? { ok: true, ask: { periodIn: periodOf(c), filters: filters.filters } } : filters;
}
