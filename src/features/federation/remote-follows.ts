// Members following people on other servers (issue 13): the `remote_follows` rows (pending until the remote
// server's Accept), the remote posts those follows bring in (`remote_posts`), and what the pages read. D1 only,
// no Fedify: the web pages load this with the Worker; the lookups and deliveries are in follow-remote.ts.
import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { remoteActors, remoteFollows, remotePosts } from "../../db/schema";
import { parseHandle } from "../../lib/handles";
import { type RemoteActorInput, upsertActorQuery } from "./remote";

/** The longest "Follow someone elsewhere" input accepted (a handle, or a profile URL). */
export const MAX_FOLLOW_TARGET = 500;

/** What the member typed: a handle (`@bob@mastodon.example`, `bob@mastodon.example`) or a profile URL. */
export type FollowTarget = { kind: "acct"; user: string; host: string } | { kind: "url"; url: string; host: string };

/**
 * The handle or profile URL in `input`, or null for anything else.
 *
 * @example parseFollowTarget("@Bob@Mastodon.Example") // { kind: "acct", user: "Bob", host: "mastodon.example" }
 */
export function parseFollowTarget(input: string): FollowTarget | null {
  const text = input.trim();
  const handle = parseHandle(text);
  if (handle) return { kind: "acct", ...handle };
  if (!/^https?:\/\/[^/\s]+/i.test(text) || /\s/.test(text)) return null;
  try {
    const url = new URL(text);
    return url.username || url.password || !url.hostname.includes(".") ? null : { kind: "url", url: url.href, host: url.host };
  } catch {
    return null;
  }
}

/**
 * Stores the actor and the member's pending follow in one batch; false when the member already follows (or
 * asked to follow) that actor, in which case nothing changes.
 */
export async function addRemoteFollow(db: Db, userId: number, actor: RemoteActorInput, followActivityId: string, now = Date.now()): Promise<boolean> {
  const [, added] = await db.batch([
    upsertActorQuery(db, actor, now),
    db
      .insert(remoteFollows)
      .select(sql`SELECT ${userId}, id, ${followActivityId}, NULL, ${now} FROM remote_actors WHERE uri = ${actor.uri}`)
      .onConflictDoNothing()
      .returning({ id: remoteFollows.followActivityId }),
  ]);
  return added.length > 0;
}

/** Names one of our follows: by its Follow's id, or by the member (a server that echoed the Follow without its id). */
export type FollowRef = { followId: string } | { memberId: number };

const followRefSql = (ref: FollowRef) => ("followId" in ref ? sql`follow_activity_id = ${ref.followId}` : sql`user_id = ${ref.memberId}`);

/** The Accept of our Follow, sent by `actorUri` (the one we followed): the follow counts from now. */
export async function acceptRemoteFollow(db: Db, actorUri: string, ref: FollowRef, now = Date.now()): Promise<void> {
  await db.run(sql`UPDATE remote_follows SET accepted_at = coalesce(accepted_at, ${now})
    WHERE ${followRefSql(ref)} AND remote_actor_id = (SELECT id FROM remote_actors WHERE uri = ${actorUri})`);
}

/** A Reject of our Follow by the actor we followed: the follow is gone. */
export async function rejectRemoteFollow(db: Db, actorUri: string, ref: FollowRef): Promise<void> {
  await db.run(sql`DELETE FROM remote_follows WHERE ${followRefSql(ref)} AND remote_actor_id = (SELECT id FROM remote_actors WHERE uri = ${actorUri})`);
}

export type RemoteFollowed = { uri: string; handle: string; inbox: string; sharedInbox: string | null; followActivityId: string };

/** Ends the member's follow of `actorUri`: what the Undo needs, or undefined when there was none (one batch). */
export async function removeRemoteFollow(db: Db, userId: number, actorUri: string): Promise<RemoteFollowed | undefined> {
  const actor = sql`(SELECT id FROM remote_actors WHERE uri = ${actorUri})`;
  const [rows] = await db.batch([
    db
      .select({
        uri: remoteActors.uri,
        handle: remoteActors.handle,
        inbox: remoteActors.inbox,
        sharedInbox: remoteActors.sharedInbox,
        followActivityId: remoteFollows.followActivityId,
      })
      .from(remoteFollows)
      .innerJoin(remoteActors, eq(remoteActors.id, remoteFollows.remoteActorId))
      .where(and(eq(remoteFollows.userId, userId), eq(remoteActors.uri, actorUri))),
    db.delete(remoteFollows).where(and(eq(remoteFollows.userId, userId), sql`${remoteFollows.remoteActorId} = ${actor}`)),
  ]);
  return rows[0];
}

export type RemoteFollowRow = { uri: string; handle: string; name: string; url: string | null; iconUrl: string | null; accepted: boolean; createdAt: number };

/** The people elsewhere a member follows (or asked to), newest first: the /fediverse/follow page. */
export async function listRemoteFollows(db: Db, userId: number, limit = 200): Promise<RemoteFollowRow[]> {
  const rows = await db.all<Omit<RemoteFollowRow, "accepted"> & { accepted: number }>(sql`SELECT a.uri, a.handle, a.name, a.url, a.icon_url AS iconUrl,
    f.accepted_at IS NOT NULL AS accepted, f.created_at AS createdAt
    FROM remote_follows f JOIN remote_actors a ON a.id = f.remote_actor_id WHERE f.user_id = ${userId} ORDER BY f.created_at DESC LIMIT ${limit}`);
  return rows.map((r) => ({ ...r, accepted: r.accepted === 1 }));
}

// --- Remote posts (notes of followed actors) -----------------------------------------------------------------

/** The stored actor `actorUri` when some member's follow of it was accepted (only then are its notes kept). */
export async function followedActorId(db: Db, actorUri: string): Promise<number | null> {
  const [row] = await db
    .select({ id: remoteActors.id })
    .from(remoteActors)
    .where(
      and(
        eq(remoteActors.uri, actorUri),
        sql`EXISTS (SELECT 1 FROM remote_follows f WHERE f.remote_actor_id = ${remoteActors.id} AND ${isNotNull(sql`f.accepted_at`)})`,
      ),
    )
    .limit(1);
  return row?.id ?? null;
}

export type RemoteNote = { uri: string; contentHtml: string; url: string | null; publishedAt: number; updatedAt: number };

/** A Create: stored once by its id (a replay or a second copy changes nothing). */
export async function addRemotePost(db: Db, actorId: number, note: RemoteNote): Promise<void> {
  await db
    .insert(remotePosts)
    .values({ ...note, remoteActorId: actorId })
    .onConflictDoNothing();
}

/** An Update by the note's own author: new content (an older Update than the stored one changes nothing). */
export async function updateRemotePost(db: Db, actorId: number, note: RemoteNote): Promise<void> {
  await db
    .update(remotePosts)
    .set({ contentHtml: note.contentHtml, url: note.url, updatedAt: note.updatedAt })
    .where(and(eq(remotePosts.uri, note.uri), eq(remotePosts.remoteActorId, actorId), sql`${remotePosts.updatedAt} <= ${note.updatedAt}`));
}

/** A Delete by the note's own author. */
export async function deleteRemotePost(db: Db, actorUri: string, noteUri: string): Promise<void> {
  await db.run(sql`DELETE FROM remote_posts WHERE uri = ${noteUri} AND remote_actor_id = (SELECT id FROM remote_actors WHERE uri = ${actorUri})`);
}

// --- The ActivityPub `following` collection's remote pages -----------------------------------------------------

export type RemoteFollowingRow = { uri: string; createdAt: number; actorId: number };

/** A page of the actors elsewhere the member follows (accepted only), newest first, keyset on (follow time, actor id). */
export function remoteFollowingPage(db: Db, userId: number, before: { ts: number; id: number } | null, limit: number): Promise<RemoteFollowingRow[]> {
  const after = before ? sql` AND (f.created_at < ${before.ts} OR (f.created_at = ${before.ts} AND f.remote_actor_id < ${before.id}))` : sql``;
  return db.all<RemoteFollowingRow>(sql`SELECT a.uri, f.created_at AS createdAt, f.remote_actor_id AS actorId
    FROM remote_follows f JOIN remote_actors a ON a.id = f.remote_actor_id
    WHERE f.user_id = ${userId} AND f.accepted_at IS NOT NULL${after} ORDER BY f.created_at DESC, f.remote_actor_id DESC LIMIT ${limit}`);
}

/** How many actors elsewhere the member follows (accepted only). */
export async function remoteFollowingCount(db: Db, userId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(remoteFollows)
    .where(and(eq(remoteFollows.userId, userId), isNotNull(remoteFollows.acceptedAt)));
  return row?.n ?? 0;
}
