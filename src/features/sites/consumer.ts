// The visits queue consumer: checks each message on its own (a malformed one is logged and acked, since
// redelivering it would only fail again), stores all the good ones with their rollups in ONE db.batch
// (see ./ingest.ts), then acks each of them; if D1 fails, each is retried with backoff, and after
// max_retries the queue moves it to the dead-letter queue. Redelivery is harmless: visits are keyed by uid.
import { type VisitMessage, visitMessageSchema } from "../../db/visit-fields";
import { log } from "../../lib/log";
import { ingestVisits } from "./ingest";

export const VISITS_QUEUE_NAME = "roost-visits";

const RETRY_BASE_SECONDS = 10;
const RETRY_MAX_SECONDS = 300;

function parseVisit(body: unknown): VisitMessage | null {
  const parsed = visitMessageSchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

export function retryDelaySeconds(attempts: number): number {
  return Math.min(RETRY_BASE_SECONDS * 2 ** Math.max(0, attempts - 1), RETRY_MAX_SECONDS);
}

export async function handleVisitsBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const good: { msg: Message<unknown>; visit: VisitMessage }[] = [];
  for (const msg of batch.messages) {
    const visit = parseVisit(msg.body);
    if (visit) {
      good.push({ msg, visit });
    } else {
      log("error", "malformed visit message dropped", { messageId: msg.id });
      msg.ack();
    }
  }
  if (good.length === 0) return;
  try {
    const stored = await ingestVisits(
      env.DB,
      good.map((g) => g.visit),
    );
    for (const g of good) g.msg.ack();
    log("info", "visits stored", { received: good.length, stored });
  } catch (err) {
    // Nothing was written (the batch is one transaction): every message tries again later.
    log("error", "storing visits failed; will retry", { count: good.length, error: String(err) });
    for (const g of good) g.msg.retry({ delaySeconds: retryDelaySeconds(g.msg.attempts) });
  }
}
