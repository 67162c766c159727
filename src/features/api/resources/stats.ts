// /sites/{id}/stats/*: a site's report numbers for its owner, in Plausible's Stats API v1 vocabulary.
// Token only; another member's site and a missing one are the same 404. The sites feature parses the
// parameters' meaning and answers from its own report queries (features/sites/stats.ts); this file only
// declares the endpoints and turns "no such site" and bad parameters into the API's errors.

import type { z } from "zod";
import type { Db } from "../../../db";
import { statsAggregate, statsBreakdown, statsTimeseries } from "../../sites";
import type { ApiContext } from "../context";
import { endpoint, type QuerySchema } from "../endpoint";
import { ApiError } from "../errors";
import { StatsAggregate, StatsAggregateQuery, StatsBreakdown, StatsBreakdownQuery, StatsTimeseries, StatsTimeseriesQuery } from "../schemas";

const NO_SITE = "There is no site with that id among yours.";

type Answer = { ok: true; value: Record<string, unknown> } | { ok: false; message: string } | null;

/** 404 for a site that is not the caller's, 400 with the reason for a bad parameter, else the answer. */
function reply(c: ApiContext, id: number, found: Answer) {
  if (!found) throw new ApiError(404, NO_SITE);
  if (!found.ok) throw new ApiError(400, found.message);
  return c.json({ site_id: id, ...found.value });
}

/** One stats endpoint: GET /sites/{id}/stats/<name>, token only, answered by the sites feature's `answer`. */
function statsEndpoint<Q extends QuerySchema>(spec: {
  name: string;
  operationId: string;
  summary: string;
  description: string;
  query: Q;
  response: { description: string; schema: z.ZodType; example: unknown };
  answer: (db: Db, siteId: number, userId: number, query: Q extends QuerySchema ? z.output<Q> : undefined) => Promise<Answer>;
}) {
  return endpoint<undefined, "token", Q>("GET", `/sites/{id}/stats/${spec.name}`, spec.operationId, "Stats", {
    auth: "token",
    summary: spec.summary,
    description: `${spec.description} Days and hours are the site's time zone's; the numbers are the site's report's, filters included.`,
    query: spec.query,
    responses: { 200: { ...spec.response, example: () => spec.response.example } },
    handler: async (c, { id, user, query }) => reply(c, id, await spec.answer(c.get("db"), id, user.id, query)),
  });
}

/** Example answers for the document (validated against the schemas by the OpenAPI tests). */
const period = { from: "2026-11-03", to: "2026-12-02", time_zone: "Europe/Berlin", interval: "day" } as const;
const EXAMPLES = {
  aggregate: { site_id: 3, period, results: { visitors: { value: 1204, change: 12 }, bounce_rate: { value: 41, change: -3 } } },
  timeseries: {
    site_id: 3,
    period: { ...period, from: "2026-12-01", to: "2026-12-02" },
    results: [
      { date: "2026-12-01", visitors: 40, pageviews: 97 },
      { date: "2026-12-02", visitors: 35, pageviews: 80 },
    ],
  },
  breakdown: {
    site_id: 3,
    period,
    property: "event:page",
    metric: "pageviews",
    page: 1,
    limit: 2,
    results: [
      { page: "/", pageviews: 812 },
      { page: "/blog/hello", pageviews: 230 },
    ],
  },
};

export const statsEndpoints = [
  statsEndpoint({
    name: "aggregate",
    operationId: "getStatsAggregate",
    summary: "A site's totals over a period",
    description:
      "The report's cards: visitors, pageviews, bounce rate, views per visit, optionally with their change from the previous period, and events (every hit). With filters=event:goal==<name>: that goal's converting visitors, conversions (events) and conversion rate, as in the report's Goals panel.",
    query: StatsAggregateQuery,
    response: { description: "The totals.", schema: StatsAggregate, example: EXAMPLES.aggregate },
    answer: statsAggregate,
  }),
  statsEndpoint({
    name: "timeseries",
    operationId: "getStatsTimeseries",
    summary: "A site's numbers per day (or hour)",
    description: "The report's chart: one row per day, or per hour when the period is one day.",
    query: StatsTimeseriesQuery,
    response: { description: "The buckets, in order.", schema: StatsTimeseries, example: EXAMPLES.timeseries },
    answer: statsTimeseries,
  }),
  statsEndpoint({
    name: "breakdown",
    operationId: "getStatsBreakdown",
    summary: "A site's top pages, sources, countries, …",
    description:
      "The report's top lists, paged with limit and page; event:goal is the Goals panel (every goal with its visitors, conversions and conversion rate), event:props:<key> a custom property's values.",
    query: StatsBreakdownQuery,
    response: { description: "One page of the list.", schema: StatsBreakdown, example: EXAMPLES.breakdown },
    answer: statsBreakdown,
  }),
];
