// The report filters of a request's query string, for every route that shows a report (the owner's and the
// shared ones), so they all read the same parameters the same way. filters.ts stays free of HTTP.
import type { Context } from "hono";
import type { WebEnv } from "../../env";
import { type FilterParse, parseFilters } from "./filters";

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
