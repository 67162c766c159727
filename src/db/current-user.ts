// Who is making the request: the user row joined with their role, as the web session and the API load it.
import { and, eq, lt, sql } from "drizzle-orm";
import { limits } from "../config";
import type { Db } from ".";
import { conversations, notifications, roles, users } from "./schema";

/** The columns a CurrentUser is made of (users joined with roles). */
export const currentUserColumns = {
  id: users.id,
  email: users.email,
  username: users.username,
  name: users.name,
  confirmed: users.confirmed,
  roleName: roles.name,
  permissions: roles.permissions,
  avatarHash: users.avatarHash,
  lastSeen: users.lastSeen,
  sessionEpoch: users.sessionEpoch,
  locale: users.locale,
  // The nav's badge: counted on the partial index of unread notifications (notifications_unread_group), so it
  // costs no round trip of its own and stays cheap however many a member has.
  unreadNotifications: sql<number>`(SELECT count(*) FROM ${notifications} WHERE ${notifications.userId} = ${users.id} AND ${notifications.readAt} IS NULL)`,
  // Conversations whose newest message came from the other person after this member last read them: each
  // side's conversations through its own index (conversations_low / conversations_high).
  unreadConversations: sql<number>`(SELECT count(*) FROM ${conversations} WHERE ${conversations.userLow} = ${users.id} AND ${conversations.lastSenderId} != ${users.id} AND ${conversations.lastAt} > ${conversations.lowReadAt})
    + (SELECT count(*) FROM ${conversations} WHERE ${conversations.userHigh} = ${users.id} AND ${conversations.lastSenderId} != ${users.id} AND ${conversations.lastAt} > ${conversations.highReadAt})`,
};

export type CurrentUser = {
  id: number;
  email: string;
  username: string;
  name: string | null;
  confirmed: boolean;
  roleName: string;
  permissions: number;
  avatarHash: string;
  lastSeen: number;
  sessionEpoch: number;
  /** The member's language setting ("en", "es"), null for "automatic" (the browser's). */
  locale: string | null;
  unreadNotifications: number;
  unreadConversations: number;
};

export async function loadCurrentUser(db: Db, userId: number): Promise<CurrentUser | null> {
  const row = await db.select(currentUserColumns).from(users).innerJoin(roles, eq(roles.id, users.roleId)).where(eq(users.id, userId)).get();
  return row ?? null;
}

/**
 * Moves last_seen forward at most every 5 minutes (a write per request would be wasteful), off the response
 * path: `waitUntil` is the execution context's. `openDb` is only called when a write is due, so the usual
 * request builds no second client.
 */
export function touchLastSeen(openDb: () => Db, user: { id: number; lastSeen: number }, waitUntil: (work: Promise<unknown>) => void): void {
  const now = Date.now();
  if (now - user.lastSeen <= limits.lastSeenWriteMs) return;
  waitUntil(
    openDb()
      .update(users)
      .set({ lastSeen: now })
      .where(and(eq(users.id, user.id), lt(users.lastSeen, now - limits.lastSeenWriteMs)))
      .run(),
  );
}
