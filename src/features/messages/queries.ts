// Private messages, read and written for one pair of members. Every statement names the pair (user_low,
// user_high) or the member: no query takes a conversation or message id from a request, so nobody can
// reach a conversation they are not in.
import { asc, desc, eq, or, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { blockedEitherWaySql } from "../../db/blocks";
import { conversations, messages, users } from "../../db/schema";

/** Messages shown on a conversation's page (the newest; older ones are not paged yet). */
export const THREAD_LIMIT = 100;
/** Conversations on /messages (the most recent). */
export const CONVERSATION_LIMIT = 50;

export type Pair = { low: number; high: number };
export const pairOf = (a: number, b: number): Pair => (a < b ? { low: a, high: b } : { low: b, high: a });

export type MessageItem = { id: number; senderId: number; body: string; createdAt: number };
export type ConversationItem = { username: string; lastAt: number; unread: boolean; lastBody: string | null; lastFromMe: boolean };

/** The member by name, and whether a block stands between them and `me` either way (features/blocks). */
export async function userByName(db: Db, me: number, username: string): Promise<{ id: number; username: string; blocked: boolean } | undefined> {
  const row = await db.get<{ id: number; username: string; blocked: number }>(
    sql`SELECT u.id, u.username, ${blockedEitherWaySql(sql`u.id`, sql`${me}`)} AS blocked FROM users u WHERE lower(u.username) = lower(${username})`,
  );
  return row && { ...row, blocked: !!row.blocked };
}

/** The pair's messages, oldest first (the newest THREAD_LIMIT), and the member's read marker moved to now: one batch. */
export function threadStatements(db: Db, me: number, pair: Pair, now: number) {
  const readColumn = me === pair.low ? { lowReadAt: now } : { highReadAt: now };
  return [
    db
      .select({ id: messages.id, senderId: messages.senderId, body: messages.body, createdAt: messages.createdAt })
      .from(messages)
      .where(sql`${messages.conversationId} = (SELECT id FROM conversations WHERE user_low = ${pair.low} AND user_high = ${pair.high})`)
      .orderBy(sql`${messages.createdAt} DESC, ${messages.id} DESC`)
      .limit(THREAD_LIMIT),
    db.update(conversations).set(readColumn).where(sql`${conversations.userLow} = ${pair.low} AND ${conversations.userHigh} = ${pair.high}`),
  ] as const;
}

/**
 * Sending: the conversation is created or moved to the top (the sender has read it, of course), then the
 * message is inserted into it: one batch, so a message never exists without its conversation's update.
 */
export function sendStatements(db: Db, sender: number, pair: Pair, body: string, now: number) {
  const readColumn = sender === pair.low ? { lowReadAt: now } : { highReadAt: now };
  return [
    db
      .insert(conversations)
      .values({ userLow: pair.low, userHigh: pair.high, lastAt: now, lastSenderId: sender, ...readColumn })
      .onConflictDoUpdate({ target: [conversations.userLow, conversations.userHigh], set: { lastAt: now, lastSenderId: sender, ...readColumn } }),
    // Every column in the table's order (insert-select wants them all); a NULL id numbers itself.
    db
      .insert(messages)
      .select(sql`SELECT NULL, c.id, ${sender}, ${body}, ${now} FROM conversations c WHERE c.user_low = ${pair.low} AND c.user_high = ${pair.high}`)
      .returning({ id: messages.id, senderId: messages.senderId, body: messages.body, createdAt: messages.createdAt }),
  ] as const;
}

/** The member's conversations, newest first, with the other person, the last message and whether it is unread. */
export async function listConversations(db: Db, me: number): Promise<ConversationItem[]> {
  const rows = await db.all<Omit<ConversationItem, "unread" | "lastFromMe"> & { unread: number; lastFromMe: number }>(sql`
    SELECT o.username, c.last_at AS lastAt,
      (c.last_sender_id != ${me} AND c.last_at > CASE WHEN c.user_low = ${me} THEN c.low_read_at ELSE c.high_read_at END) AS unread,
      c.last_sender_id = ${me} AS lastFromMe,
      (SELECT substr(m.body, 1, 81) FROM messages m WHERE m.conversation_id = c.id ORDER BY m.created_at DESC, m.id DESC LIMIT 1) AS lastBody
    FROM conversations c JOIN users o ON o.id = CASE WHEN c.user_low = ${me} THEN c.user_high ELSE c.user_low END
    WHERE c.user_low = ${me} OR c.user_high = ${me}
    ORDER BY c.last_at DESC LIMIT ${CONVERSATION_LIMIT}`);
  return rows.map((r) => ({ ...r, unread: !!r.unread, lastFromMe: !!r.lastFromMe }));
}

/**
 * Every message of every conversation `me` is in, both sides, for their data export: the conversations most
 * recent first, each one's messages oldest first. Only rows of conversations naming `me` (a query builder, so
 * it joins the export's batch).
 */
export function messagesExportQuery(db: Db, me: number) {
  return db
    .select({
      conversationId: conversations.id,
      withUsername: users.username,
      fromMe: sql<boolean>`${messages.senderId} = ${me}`.mapWith(Boolean),
      body: messages.body,
      createdAt: messages.createdAt,
    })
    .from(conversations)
    .innerJoin(users, sql`${users.id} = CASE WHEN ${conversations.userLow} = ${me} THEN ${conversations.userHigh} ELSE ${conversations.userLow} END`)
    .innerJoin(messages, eq(messages.conversationId, conversations.id))
    .where(or(eq(conversations.userLow, me), eq(conversations.userHigh, me)))
    .orderBy(desc(conversations.lastAt), desc(conversations.id), asc(messages.createdAt), asc(messages.id));
}
