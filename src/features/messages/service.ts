// Private message rules: only between two different, existing members; reading a conversation marks it
// read for the reader. Takes the request's db; never a Hono context.
import type { Db } from "../../db";
import { t } from "../../i18n";
import { isPossibleUsername } from "../users";
import { type MessageItem, pairOf, sendStatements, threadStatements, userByName } from "./queries";

/** `blocked`: one of the two has blocked the other, so nothing can be sent (either way, in the same words). */
export type Other = { id: number; username: string; blocked: boolean };

export type Found = { ok: true; other: Other } | { ok: false; status: 404 | 400; message: string };

/** The person a conversation is with, by username; never oneself. */
export async function findOther(db: Db, me: number, username: string): Promise<Found> {
  const other = isPossibleUsername(username) ? await userByName(db, me, username) : undefined;
  if (!other) return { ok: false, status: 404, message: t("messages.noSuchUser") };
  if (other.id === me) return { ok: false, status: 400, message: t("messages.notYourself") };
  return { ok: true, other };
}

/** The conversation with `other`, oldest first, marked read: one round trip. */
export async function openThread(db: Db, me: number, other: Other, now: number): Promise<MessageItem[]> {
  const [rows] = await db.batch(threadStatements(db, me, pairOf(me, other.id), now));
  return rows.reverse();
}

/** Sends `body` to `other`; returns the stored message. One round trip. */
export async function sendMessage(db: Db, me: number, other: Other, body: string, now: number): Promise<MessageItem | undefined> {
  const [, inserted] = await db.batch(sendStatements(db, me, pairOf(me, other.id), body, now));
  return inserted[0];
}
