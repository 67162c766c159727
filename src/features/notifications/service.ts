// Notification rules for the pages: opening the list (one batch: the page, then everything marked read) and
// the member's mail choices. Takes the request's db; never a Hono context.
import { sql } from "drizzle-orm";
import type { Db } from "../../db";
import { notificationSettings } from "../../db/schema";
import type { KeysetPage, PageRequest } from "../../lib/pagination";
import { bitsOfKinds, type NotificationKind } from "./kinds";
import { markAllReadStatement, type NotificationItem, notificationPageStatement, toNotificationPage } from "./queries";

/**
 * One page of the member's notifications; opening it marks all of them read. One round trip: the page is
 * read first in the batch, so it still shows which ones were new.
 */
export async function openNotifications(db: Db, userId: number, req: PageRequest, now: number): Promise<KeysetPage<NotificationItem>> {
  const [page] = await db.$client.batch([notificationPageStatement(db, userId, req), markAllReadStatement(db, userId, now)]);
  return toNotificationPage(req, page);
}

/** The kinds the member gets by mail (none until they choose). */
export async function mailKindsOf(db: Db, userId: number): Promise<number> {
  const row = await db.get<{ bits: number }>(sql`SELECT mail_kinds AS bits FROM notification_settings WHERE user_id = ${userId}`);
  return row?.bits ?? 0;
}

/**
 * Saves the member's mail choices. Turning mail on starts the digest from now (so older notifications are
 * not mailed all at once); changing which kinds keeps the digest's place.
 */
export async function saveMailKinds(db: Db, userId: number, kinds: NotificationKind[], now: number): Promise<void> {
  const bits = bitsOfKinds(kinds);
  await db
    .insert(notificationSettings)
    .values({ userId, mailKinds: bits, digestThrough: now })
    .onConflictDoUpdate({
      target: notificationSettings.userId,
      set: {
        mailKinds: bits,
        digestThrough: sql`CASE WHEN ${notificationSettings.mailKinds} = 0 THEN ${now} ELSE ${notificationSettings.digestThrough} END`,
      },
    });
}
