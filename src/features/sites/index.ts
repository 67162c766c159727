// Front door of site analytics: the report pages, the beacon (its own app), the queue consumer and the
// scheduled salt clean-up, and the site list the data export includes.
export { beaconRoutes, isBeaconPath } from "./beacon";
export { handleVisitsBatch, VISITS_QUEUE_NAME } from "./consumer";
export { sendSiteReports } from "./mail-report";
export { siteRoutes } from "./routes";
export { listSites } from "./service";
export { sharingRoutes } from "./sharing-routes";
export { scheduledVisitorCleanup } from "./visitor";
