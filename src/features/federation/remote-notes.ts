// What a member does to a remote note in their Followed feed (issue 13, outbound): like it (once; unlike takes it
// back), reply to it, and edit or delete a reply they sent. D1 only, no Fedify: the web routes load this with the
// Worker; the signed deliveries are in note-actions.ts.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { remotePostLikes, remoteReplies } from "../../db/schema";

/** A remote note as the member may act on it, with its author (the recipient) and the member's like. */
export type ActionableNote = {
  id: number;
  uri: string;
  actorUri: string;
  inbox: string;
  sharedInbox: string | null;
  handle: string;
  likeId: string | null;
};

/**
 * Remote note `id` when it is in the member's Followed feed (its author followed by them, accepted; not on a
 * blocked server), else undefined: someone else's note, one nobody here follows, or none at all are alike (404).
 */
export async function actionableNote(db: Db, userId: number, id: number): Promise<ActionableNote | undefined> {
  const rows = await db.all<ActionableNote>(sql`SELECT rp.id, rp.uri, a.uri AS actorUri, a.inbox, a.shared_inbox AS sharedInbox, a.handle,
    (SELECT l.activity_id FROM remote_post_likes l WHERE l.user_id = ${userId} AND l.remote_post_id = rp.id) AS likeId
    FROM remote_posts rp JOIN remote_actors a ON a.id = rp.remote_actor_id
    WHERE rp.id = ${id}
      AND EXISTS (SELECT 1 FROM remote_follows f WHERE f.user_id = ${userId} AND f.remote_actor_id = rp.remote_actor_id AND f.accepted_at IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM blocked_servers b WHERE a.host = b.host OR a.host LIKE '%.' || b.host)`);
  return rows[0];
}

/** Records the member's like of the note under the Like's id; false when they had liked it already (nothing changes). */
export async function addNoteLike(db: Db, userId: number, remotePostId: number, activityId: string, now = Date.now()): Promise<boolean> {
  const rows = await db
    .insert(remotePostLikes)
    .values({ userId, remotePostId, activityId, createdAt: now })
    .onConflictDoNothing()
    .returning({ id: remotePostLikes.activityId });
  return rows.length > 0;
}

/** Takes the member's like back: the Like's id (its Undo names it), or null when there was none. */
export async function removeNoteLike(db: Db, userId: number, remotePostId: number): Promise<string | null> {
  const rows = await db
    .delete(remotePostLikes)
    .where(and(eq(remotePostLikes.userId, userId), eq(remotePostLikes.remotePostId, remotePostId)))
    .returning({ id: remotePostLikes.activityId });
  return rows[0]?.id ?? null;
}

export type StoredReply = { id: number; body: string; bodyHtml: string; createdAt: number; updatedAt: number | null };

const REPLY_COLUMNS = {
  id: remoteReplies.id,
  body: remoteReplies.body,
  bodyHtml: remoteReplies.bodyHtml,
  createdAt: remoteReplies.createdAt,
  updatedAt: remoteReplies.updatedAt,
};

/** Stores the member's reply to the note; its id makes the Note's id. */
export async function addNoteReply(
  db: Db,
  userId: number,
  remotePostId: number,
  text: { body: string; bodyHtml: string },
  now = Date.now(),
): Promise<StoredReply> {
  const [row] = await db
    .insert(remoteReplies)
    .values({ userId, remotePostId, ...text, createdAt: now })
    .returning(REPLY_COLUMNS);
  if (!row) throw new Error("remote reply not stored");
  return row;
}

/** The member's replies to the note, oldest first (what the reply box shows under it). */
export function listNoteReplies(db: Db, userId: number, remotePostId: number, limit = 20): Promise<StoredReply[]> {
  return db
    .select(REPLY_COLUMNS)
    .from(remoteReplies)
    .where(and(eq(remoteReplies.userId, userId), eq(remoteReplies.remotePostId, remotePostId)))
    .orderBy(remoteReplies.createdAt, remoteReplies.id)
    .limit(limit);
}

/** What a reply's Note names of the note it answers: its id, and its author (recipient and Mention). */
export type RepliedNote = { uri: string; actorUri: string; handle: string };

/** Reply `replyId` by member `userId` (still federated: confirmed, not left) with the note it answers, if any. */
export async function getNoteReply(db: Db, userId: number, replyId: number): Promise<(StoredReply & RepliedNote) | undefined> {
  const rows = await db.all<StoredReply & RepliedNote>(sql`SELECT r.id, r.body, r.body_html AS bodyHtml, r.created_at AS createdAt, r.updated_at AS updatedAt,
    rp.uri, a.uri AS actorUri, a.handle
    FROM remote_replies r JOIN remote_posts rp ON rp.id = r.remote_post_id JOIN remote_actors a ON a.id = rp.remote_actor_id
    JOIN users u ON u.id = r.user_id AND u.confirmed = 1 AND u.left_fediverse_at IS NULL
    WHERE r.id = ${replyId} AND r.user_id = ${userId}`);
  return rows[0];
}

/** The path of reply `replyId` by member `userId`: the Note's id under BASE_URL. */
export const replyPath = (userId: number, replyId: number) => `/users/${userId}/replies/${replyId}`;

/** A reply the member sent, with where its Update or Delete goes: the answered note's author (inbox and shared inbox). */
export type SentReply = { id: number; noteId: number; noteUri: string; actorUri: string; inbox: string; sharedInbox: string | null; handle: string };

/**
 * Reply `replyId` if member `userId` sent it, else undefined (someone else's reply and no reply are alike: 404). It
 * stays deletable after the member unfollows the note's author: what they sent is theirs to take back.
 */
export async function sentReply(db: Db, userId: number, replyId: number): Promise<SentReply | undefined> {
  const rows = await db.all<SentReply>(sql`SELECT r.id, rp.id AS noteId, rp.uri AS noteUri, a.uri AS actorUri, a.inbox, a.shared_inbox AS sharedInbox, a.handle
    FROM remote_replies r JOIN remote_posts rp ON rp.id = r.remote_post_id JOIN remote_actors a ON a.id = rp.remote_actor_id
    WHERE r.id = ${replyId} AND r.user_id = ${userId}`);
  return rows[0];
}

/** The member's reply with its new text (and the time of the edit), or undefined when it is not theirs (any more). */
export async function editNoteReply(
  db: Db,
  userId: number,
  replyId: number,
  text: { body: string; bodyHtml: string },
  now = Date.now(),
): Promise<StoredReply | undefined> {
  const [row] = await db
    .update(remoteReplies)
    .set({ ...text, updatedAt: now })
    .where(and(eq(remoteReplies.id, replyId), eq(remoteReplies.userId, userId)))
    .returning(REPLY_COLUMNS);
  return row;
}

/** Deletes the member's reply; false when it was gone already (a second delete sends nothing). */
export async function removeNoteReply(db: Db, userId: number, replyId: number): Promise<boolean> {
  const rows = await db
    .delete(remoteReplies)
    .where(and(eq(remoteReplies.id, replyId), eq(remoteReplies.userId, userId)))
    .returning({ id: remoteReplies.id });
  return rows.length > 0;
}
