// Worker entry: HTTP requests go to the Hono app, queue batches to the mail, visits or federation consumer (by queue
// name), cron to the outbox sweeper and the visitor-salt clean-up, hourly to the notification digests, and once a
// day to the purge.
import { createApp } from "./app";
import { FEDERATION_QUEUE_NAME, handleFederationBatch } from "./features/federation";
import { HOURLY_CRON, sendDigests } from "./features/notifications";
import { handleVisitsBatch, scheduledVisitorCleanup, sendSiteReports, VISITS_QUEUE_NAME } from "./features/sites";
import { handleMailBatch } from "./mail/consumer";
import { sweepOutbox } from "./mail/sweeper";
import { DAILY_CRON, purgeExpired } from "./maintenance/purge";

const app = createApp();

export default {
  fetch: app.fetch,
  async queue(batch, env) {
    if (batch.queue === VISITS_QUEUE_NAME) return handleVisitsBatch(batch, env);
    if (batch.queue === FEDERATION_QUEUE_NAME) return handleFederationBatch(batch, env);
    await handleMailBatch(batch, env);
  },
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(sweepOutbox(env).then(() => undefined));
    ctx.waitUntil(scheduledVisitorCleanup(env, controller.scheduledTime));
    if (controller.cron === HOURLY_CRON) ctx.waitUntil(sendDigests(env, controller.scheduledTime).then(() => undefined));
    // Every run: a site's period ends at its own local midnight; site_report_mails keeps it to one mail.
    ctx.waitUntil(sendSiteReports(env, controller.scheduledTime).then(() => undefined));
    if (controller.cron === DAILY_CRON) ctx.waitUntil(purgeExpired(env, controller.scheduledTime).then(() => undefined));
  },
} satisfies ExportedHandler<Env, unknown>;
