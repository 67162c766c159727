// Remote actors and remote followers in D1 (remote_actors, remote_followers, dead_inboxes). Only plain text
// and checked URLs are stored: a remote name is stripped of markup here and escaped when shown (JSX), so no
// remote HTML ever reaches a page.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { remoteBlockedBySql } from "../../db/blocks";
import { deadInboxes, remoteActors, remoteFollowers } from "../../db/schema";
import { isSafeHref } from "../../lib/markdown";
import { blockedHostsExist, notBlocked } from "./servers";

export type RemoteActorInput = {
  uri: string;
  inbox: string;
  sharedInbox: string | null;
  handle: string;
  name: string;
  iconUrl: string | null;
  url: string | null;
};

const MAX_NAME = 100;
const MAX_URL = 2048;

/** Remote text as plain text: tags and control characters gone, whitespace collapsed, at most `max` characters. */
export function plainText(value: string, max = MAX_NAME): string {
  return (
    value
      .replace(/<[^>]*>?/g, "")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control and bidi-override characters are what this removes
      .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, " ")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, max)
  );
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
/** HTML character references back to characters (unknown named ones stay as written; code points checked). */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (whole, ref: string) => {
    if (ref[0] !== "#") return ENTITIES[ref.toLowerCase()] ?? whole;
    const code = ref[1] === "x" || ref[1] === "X" ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

/**
 * Remote HTML (a reply's `content`) as plain text with its line breaks: scripts and styles dropped with their
 * content, `<br>` and paragraph ends as newlines, every other tag stripped, references decoded, control and bidi
 * characters gone. The text is then rendered by lib/markdown's `renderPlainTextWithLinks` (escaped text and
 * links from bare URLs, with our fixed rel), so nothing of the remote markup reaches a page.
 */
export function remoteHtmlText(html: string): string {
  const text = html
    .replace(/<(script|style)\b[\s\S]*?(<\/\1\s*>|$)/gi, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|blockquote|li|h[1-6])\s*>/gi, "\n\n")
    .replace(/<[^>]*>?/g, "");
  return (
    decodeEntities(text)
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control and bidi-override characters are what this removes
      .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, " ")
      .replace(/[ \t]+/g, " ")
      .replace(/ ?\n ?/g, "\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim()
  );
}

/** A URL a page may link to (http/https, not too long), or null. */
export const linkUrl = (url: string | null | undefined): string | null =>
  url && url.length <= MAX_URL && isSafeHref(url) && /^https?:/i.test(url) ? url : null;

/** The remote_actors row for an actor document's fields: plain text and checked URLs only. */
function actorRow(actor: RemoteActorInput, now: number) {
  return {
    uri: actor.uri,
    inbox: actor.inbox,
    sharedInbox: actor.sharedInbox,
    handle: plainText(actor.handle, 200),
    name: plainText(actor.name) || plainText(actor.handle, 200),
    iconUrl: linkUrl(actor.iconUrl),
    url: linkUrl(actor.url),
    host: new URL(actor.uri).host,
    fetchedAt: now,
  };
}

/** Stores (or refreshes) the actor, by `uri`; RETURNING its id: a statement for a batch. */
export function upsertActorQuery(db: Db, actor: RemoteActorInput, now = Date.now()) {
  const { uri: _uri, ...refreshed } = actorRow(actor, now);
  return db
    .insert(remoteActors)
    .values(actorRow(actor, now))
    .onConflictDoUpdate({ target: remoteActors.uri, set: refreshed })
    .returning({ id: remoteActors.id });
}

/** Stores (or refreshes) a remote actor and returns its id (a reply's or a like's author). */
export async function storeRemoteActor(db: Db, actor: RemoteActorInput, now = Date.now()): Promise<number | undefined> {
  const [row] = await upsertActorQuery(db, actor, now);
  return row?.id;
}

/**
 * Stores (or refreshes) the actor and records it as a follower of `userId`, in one batch; a new Follow clears a
 * dead mark on the actor's inboxes (the server is talking again). A remote actor the member blocked is not
 * recorded: null (the Follow is dropped, nothing is answered). Otherwise the actor's id, and whether the
 * follow is new (a repeated Follow only refreshes its id).
 */
export async function addRemoteFollower(
  db: Db,
  userId: number,
  actor: RemoteActorInput,
  followActivityId: string,
  now = Date.now(),
): Promise<{ remoteActorId: number; isNew: boolean } | null> {
  const [, before, added] = await db.batch([
    upsertActorQuery(db, actor, now),
    db
      .select({ one: sql<number>`1` })
      .from(remoteFollowers)
      .where(and(eq(remoteFollowers.userId, userId), sql`${remoteFollowers.remoteActorId} = (SELECT id FROM remote_actors WHERE uri = ${actor.uri})`)),
    db
      .insert(remoteFollowers)
      .select(
        sql`SELECT ${userId}, a.id, ${followActivityId}, ${now} FROM remote_actors a WHERE a.uri = ${actor.uri} AND NOT ${remoteBlockedBySql(sql`${userId}`, sql`a.id`)}`,
      )
      .onConflictDoUpdate({ target: [remoteFollowers.userId, remoteFollowers.remoteActorId], set: { followActivityId: sql`excluded.follow_activity_id` } })
      .returning({ remoteActorId: remoteFollowers.remoteActorId }),
    db.delete(deadInboxes).where(sql`${deadInboxes.inbox} IN (${actor.inbox}, ${actor.sharedInbox ?? actor.inbox})`),
  ]);
  const row = added[0];
  return row ? { remoteActorId: row.remoteActorId, isNew: before.length === 0 } : null;
}

/** Ends a remote follow named by its Follow activity's id (an Undo), only if `actorUri` made it. */
export async function removeRemoteFollower(db: Db, actorUri: string, followActivityId: string): Promise<void> {
  await db.run(sql`DELETE FROM remote_followers WHERE follow_activity_id = ${followActivityId}
    AND remote_actor_id = (SELECT id FROM remote_actors WHERE uri = ${actorUri})`);
}

/** Ends every follow of `userId` by `actorUri` (an Undo whose Follow names the member rather than an id we kept). */
export async function removeRemoteFollowOf(db: Db, actorUri: string, userId: number): Promise<void> {
  await db.run(sql`DELETE FROM remote_followers WHERE user_id = ${userId}
    AND remote_actor_id = (SELECT id FROM remote_actors WHERE uri = ${actorUri})`);
}

/** Forgets all of the member's remote followers (they were told the actor is gone). */
export async function removeAllRemoteFollowers(db: Db, userId: number): Promise<void> {
  await db.delete(remoteFollowers).where(eq(remoteFollowers.userId, userId));
}

export type DeliveryTarget = { uri: string; inbox: string; sharedInbox: string | null };

/** The inbox a delivery to this actor goes to: their shared one, if any. */
const deliveryInbox = sql`coalesce(${remoteActors.sharedInbox}, ${remoteActors.inbox})`;
/** The `host[:port]` of that inbox (the text between "://" and the next "/"). */
const afterScheme = sql`substr(${deliveryInbox}, instr(${deliveryInbox}, '://') + 3)`;
const deliveryInboxHost = sql`substr(${afterScheme}, 1, instr(${afterScheme} || '/', '/') - 1)`;

/**
 * The member's remote followers whose inbox (their shared one, if any) is not marked dead and whose server
 * (the actor's, and the inbox's) is not blocked: one query. The consumer checks each POST again when it is due.
 */
export async function deliveryTargets(db: Db, userId: number): Promise<DeliveryTarget[]> {
  return db
    .select({ uri: remoteActors.uri, inbox: remoteActors.inbox, sharedInbox: remoteActors.sharedInbox })
    .from(remoteFollowers)
    .innerJoin(remoteActors, eq(remoteActors.id, remoteFollowers.remoteActorId))
    .leftJoin(deadInboxes, eq(deadInboxes.inbox, deliveryInbox))
    .where(and(eq(remoteFollowers.userId, userId), sql`${deadInboxes.inbox} IS NULL`, notBlocked(remoteActors.host), notBlocked(deliveryInboxHost)));
}

/** A statement for an event batch: one row when the member has a remote follower (whether to enqueue at all). */
export const hasRemoteFollowerQuery = (db: Db, userId: number) =>
  db.select({ one: sql<number>`1` }).from(remoteFollowers).where(eq(remoteFollowers.userId, userId)).limit(1);

/**
 * Why a due POST to `inbox` must not be sent: its server is blocked, or the inbox is marked dead; null when it
 * may go. One statement (the delivery's only D1 round trip besides a retry's bookkeeping).
 */
export async function inboxRefusal(db: Db, inbox: string): Promise<"blocked server" | "dead inbox" | null> {
  const blocked = blockedHostsExist([new URL(inbox).hostname]) ?? sql`0`;
  const [row] = await db.all<{ blocked: number; dead: number }>(
    sql`SELECT ${blocked} AS blocked, EXISTS (SELECT 1 FROM dead_inboxes WHERE inbox = ${inbox}) AS dead`,
  );
  return row?.blocked ? "blocked server" : row?.dead ? "dead inbox" : null;
}

export async function markInboxDead(db: Db, inbox: string, error: string, now = Date.now()): Promise<void> {
  await db
    .insert(deadInboxes)
    .values({ inbox, since: now, lastError: error.slice(0, 500) })
    .onConflictDoUpdate({ target: deadInboxes.inbox, set: { lastError: error.slice(0, 500) } });
}

/** Remote followers per page of the followers collection (after the local ones). */
export const REMOTE_FOLLOWERS_PAGE = 50;

export type RemoteFollowerRow = DeliveryTarget & { createdAt: number; actorId: number };

/** A page of the member's remote followers, newest first, keyset on (follow time, actor id). */
export function remoteFollowerPage(
  db: Db,
  userId: number,
  before: { ts: number; id: number } | null,
  limit = REMOTE_FOLLOWERS_PAGE,
): Promise<RemoteFollowerRow[]> {
  const after = before ? sql` AND (f.created_at < ${before.ts} OR (f.created_at = ${before.ts} AND f.remote_actor_id < ${before.id}))` : sql``;
  return db.all<RemoteFollowerRow>(sql`SELECT a.uri, a.inbox, a.shared_inbox AS sharedInbox, f.created_at AS createdAt, f.remote_actor_id AS actorId
    FROM remote_followers f JOIN remote_actors a ON a.id = f.remote_actor_id
    WHERE f.user_id = ${userId}${after} ORDER BY f.created_at DESC, f.remote_actor_id DESC LIMIT ${limit}`);
}

export async function remoteFollowerCount(db: Db, userId: number): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(remoteFollowers).where(eq(remoteFollowers.userId, userId));
  return row?.n ?? 0;
}
