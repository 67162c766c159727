// Federation delivery's heavy half (loaded by queue.ts with the first batch): turns a post event into its
// activity and hands it to Fedify, which signs it with the author's key and enqueues one message per
// (activity, remote inbox) on the same queue (a follower's shared inbox once, whatever the number of
// followers there); each of those messages is one signed POST here.
//
// Retries: Cloudflare Queues redeliver (WorkersMessageQueue's native retrial: Fedify throws, we decide). A
// timeout, a network error, 429 or 5xx is retried with exponential backoff (30 s doubling, at most 6 h a step),
// about a day in all (RETRY_ATTEMPTS); then the inbox is marked dead (dead_inboxes) and later deliveries to it
// are skipped until the server is heard from again. Any other 4xx will not get better: dropped at once.
import { Create, Delete, type Message as FedifyMessage, PUBLIC_COLLECTION, type SendActivityOptions, Tombstone, Update } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";
import { type Config, getConfig } from "../../config";
import { type Db, getDb, newDbStats } from "../../db";
import { log } from "../../lib/log";
import { getFeedPost } from "../posts";
import { federationFor, noteOf } from "./federation";
import { type ActorDeletion, isActorDeletion, isPostDelivery, type PostDelivery } from "./messages";
import { FETCH_TIMEOUT_MS, outboundRefusal } from "./outbound";
import { leftFediverseAt } from "./queries";
import { deliveryTargets, inboxRefusal, markInboxDead, removeAllRemoteFollowers } from "./remote";

/** Deliveries to one inbox are tried this many times (about a day with the backoff below), then it is dead. */
export const RETRY_ATTEMPTS = 13;

/** Seconds before attempt `attempts + 1`: 30 s doubling, at most 6 h (30, 60, … 15360, 21600, …). */
export const retryDelaySeconds = (attempts: number) => Math.min(30 * 2 ** (attempts - 1), 6 * 3600);

/** The HTTP status in Fedify's delivery error ("Failed to send activity … (503 Service Unavailable)"), if any. */
export function failedStatus(error: unknown): number | null {
  const m = error instanceof Error ? error.message.match(/^Failed to send activity .* \((\d{3})[ )]/m) : null;
  return m?.[1] ? Number(m[1]) : null;
}

/** Whether a failed delivery may succeed later: no status (timeout, network), 408, 429 or 5xx. */
export const isTransient = (status: number | null) => status === null || status === 408 || status === 429 || status >= 500;

/** One of the messages Fedify itself put on the queue (its outbox, fan-out or inbox tasks). */
const isFedifyMessage = (body: unknown): body is FedifyMessage =>
  typeof body === "object" && body !== null && "type" in body && (body.type === "outbox" || body.type === "fanout" || body.type === "inbox");

type OutboxMessage = Extract<FedifyMessage, { type: "outbox" }>;
const isOutboxMessage = (body: FedifyMessage): body is OutboxMessage => body.type === "outbox" && typeof body.inbox === "string";

/** What one consumer batch works with: the bindings, one counted database client, the settings. */
type Run = { env: Env; db: Db; config: Config };

/** Rejects once `ms` have passed (a delivery POST that hangs is a timeout, retried like a 503). */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => timer !== null && clearTimeout(timer));
}

/** Fedify's context for sending as this member, and their remote followers as recipients (null: none). */
async function senderOf({ env, db, config }: Run, userId: number) {
  const targets = await deliveryTargets(db, userId);
  if (targets.length === 0) return null;
  const ctx = federationFor(env, config).createContext(new URL(config.baseUrl), { db, config, env });
  const identifier = String(userId);
  const recipients = targets.map((t) => ({
    id: new URL(t.uri),
    inboxId: new URL(t.inbox),
    endpoints: { sharedInbox: t.sharedInbox ? new URL(t.sharedInbox) : null },
  }));
  return { db, ctx, identifier, actor: ctx.getActorUri(identifier), recipients };
}

/** Each follower's server once (its shared inbox), as its own queue message: Fedify enqueues, we POST. */
const ONE_PER_INBOX: SendActivityOptions = { preferSharedInbox: true, fanout: "skip" };

async function fanOut(run: Run, message: PostDelivery): Promise<void> {
  const sender = await senderOf(run, message.authorId);
  if (!sender) return;
  const { db, ctx, identifier, actor, recipients } = sender;
  const followers = ctx.getFollowersUri(identifier);
  const postUrl = new URL(`/post/${message.postId}`, ctx.data.config.baseUrl);
  let activity: Create | Update | Delete;
  if (message.event === "deleted") {
    activity = new Delete({ id: new URL(`#delete`, postUrl), actor, object: new Tombstone({ id: postUrl }), to: PUBLIC_COLLECTION, cc: followers });
  } else {
    const post = await getFeedPost(db, message.postId);
    if (!post) return; // deleted since: its Delete follows
    const note = noteOf(ctx, post);
    const common = { actor, object: note, to: PUBLIC_COLLECTION, cc: followers };
    activity =
      message.event === "created"
        ? new Create({ id: new URL("#create", postUrl), published: note.published, ...common })
        : new Update({ id: new URL(`#update-${post.updatedAt}`, postUrl), updated: Temporal.Instant.fromEpochMilliseconds(post.updatedAt), ...common });
  }
  await ctx.sendActivity({ identifier }, recipients, activity, ONE_PER_INBOX);
}

/**
 * The member left the fediverse: a Delete of their actor (signed with their key, which stays in D1) to each
 * remote follower's server, as Mastodon does for a deleted account; then their remote followers are forgotten
 * (those servers drop the actor and its follows; after a rejoin people follow again). Nothing is sent when
 * the member rejoined before the message was handled.
 */
async function deleteActor(run: Run, message: ActorDeletion): Promise<void> {
  if ((await leftFediverseAt(run.db, message.userId)) === null) return;
  const sender = await senderOf(run, message.userId);
  if (!sender) return;
  const { db, ctx, identifier, actor, recipients } = sender;
  const activity = new Delete({ id: new URL(`#delete-${message.at}`, actor), actor, object: actor, to: PUBLIC_COLLECTION });
  await ctx.sendActivity({ identifier }, recipients, activity, ONE_PER_INBOX);
  await removeAllRemoteFollowers(db, message.userId);
}

async function deliverOne({ env, db, config }: Run, msg: Message<unknown>, body: OutboxMessage): Promise<void> {
  // Checked when the POST is due, not when it was queued: a block or a dead mark since then still stops it.
  const refusal = outboundRefusal(body.inbox, { allowLoopbackHttp: config.federationAllowPrivatePeers }) ?? (await inboxRefusal(db, body.inbox));
  if (refusal) {
    log("info", "federation delivery skipped", { inbox: body.inbox, reason: refusal });
    return msg.ack();
  }
  try {
    await within(federationFor(env, config).processQueuedTask({ db, config, env }, body), FETCH_TIMEOUT_MS);
    msg.ack();
  } catch (error) {
    const status = failedStatus(error);
    const reason = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    if (!isTransient(status)) {
      log("warn", "federation delivery refused", { inbox: body.inbox, status });
      return msg.ack();
    }
    if (msg.attempts >= RETRY_ATTEMPTS) {
      await markInboxDead(db, body.inbox, reason);
      log("warn", "federation inbox marked dead", { inbox: body.inbox, attempts: msg.attempts });
      return msg.ack();
    }
    msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts) });
  }
}

/**
 * The FEDERATION_QUEUE consumer: each message acked or retried on its own. One counted `db` per batch; the
 * batch's D1 round trips are logged with its size ("federation batch": what `npm run bench` divides by the
 * deliveries to report D1 queries per delivery).
 */
export async function deliverBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const started = performance.now();
  const stats = newDbStats();
  const run: Run = { env, db: getDb(env.DB, stats), config: getConfig(env) };
  let deliveries = 0;
  for (const msg of batch.messages) {
    const body = msg.body;
    if (isFedifyMessage(body) && isOutboxMessage(body)) {
      deliveries += 1;
      await deliverOne(run, msg, body);
      continue;
    }
    try {
      if (isPostDelivery(body)) await fanOut(run, body);
      else if (isActorDeletion(body)) await deleteActor(run, body);
      else if (isFedifyMessage(body)) await federationFor(env, run.config).processQueuedTask({ db: run.db, config: run.config, env }, body);
      else log("warn", "federation queue: unknown message dropped", {});
      msg.ack();
    } catch (error) {
      log("error", "federation fan-out failed", { error: String(error), attempts: msg.attempts });
      msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts) });
    }
  }
  log("info", "federation batch", {
    messages: batch.messages.length,
    deliveries,
    d1Queries: stats.queries,
    d1Ms: Math.round(stats.ms),
    ms: Math.round(performance.now() - started),
  });
}
