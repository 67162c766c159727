// Worker entry: HTTP requests go to the Hono app, queue batches to the mail consumer, cron to the sweeper.
import { createApp } from "./app";
import { handleMailBatch } from "./mail/consumer";
import type { MailMessage } from "./mail/outbox";
import { sweepOutbox } from "./mail/sweeper";

const app = createApp();

export default {
  fetch: app.fetch,
  async queue(batch, env) {
    await handleMailBatch(batch as MessageBatch<MailMessage>, env);
  },
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(sweepOutbox(env).then(() => undefined));
  },
} satisfies ExportedHandler<Env, MailMessage>;
