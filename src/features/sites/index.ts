// Front door of site analytics: the report pages, the beacon (its own app), the queue consumer and the
// scheduled salt clean-up, the site list the data export includes, the stats API's questions (stats.ts), and
// the views of members' own posts (own-posts.ts: Roost measures itself).
export { beaconRoutes, isBeaconPath } from "./beacon";
export { handleVisitsBatch, VISITS_QUEUE_NAME } from "./consumer";
export { sendSiteReports } from "./mail-report";
export { ensurePostsSite, ownPostViews, POST_VIEW_DAYS, type PostPageAnalytics, postPageAnalytics } from "./own-posts";
export { siteRoutes } from "./routes";
export { listSites } from "./service";
export { sharingRoutes } from "./sharing-routes";
export {
  AGGREGATE_METRICS,
  GOAL_METRICS,
  MAX_BREAKDOWN_ROWS,
  STATS_FILTER_NAMES,
  STATS_PERIODS,
  STATS_PROPERTIES,
  type StatsParams,
  statsAggregate,
  statsBreakdown,
  statsTimeseries,
  TIMESERIES_METRICS,
} from "./stats";
export { scheduledVisitorCleanup } from "./visitor";
