// Read side of notifications: a member's list (newest first, keyset paginated) and the unread count.
// Only ever the given member's rows: every query here is filtered by user_id, and no route takes an id.
import { desc, eq, type SQL, sql } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import type { Db } from "../../db";
import { rowsOf } from "../../db/rows";
import { notificationActors, notifications, remoteActors, users } from "../../db/schema";
import { buildKeysetPage, type KeysetPage, keysetPageSql, type PageRequest } from "../../lib/pagination";
import { EXCERPT_CHARS, sentenceOf } from "./kinds";

export const NOTIFICATIONS_PER_PAGE = 25;

export type NotificationItem = {
  id: number;
  kind: string;
  createdAt: number;
  unread: boolean;
  postId: number | null;
  /** The latest actor's username (or, from another server, their `@user@host` handle), and how many people acted in the group (1 when alone). */
  actor: string;
  actors: number;
  excerpt: string | null;
  /** When the latest actor is on another server: their profile there (else their actor id). */
  remoteProfile: string | null;
  /** A remote mention's note, on its own server. */
  url: string | null;
};

type Raw = Omit<NotificationItem, "unread"> & { unread: number };

/** The latest actor's name and, for a remote actor, their profile: members by users, others by remote_actors (issue 13). */
const ACTOR_JOIN = sql`LEFT JOIN users u ON u.id = n.actor_id LEFT JOIN remote_actors ra ON ra.id = n.remote_actor_id`;
const ACTOR_NAME = sql`coalesce(u.username, ra.handle)`;

// The actor count is a correlated count on notification_actors' primary key: one index range per row, in
// the same statement. The excerpt is the comment for moderation, else the post (plain text, escaped by JSX).
const SELECT = sql`SELECT n.id, n.kind, n.created_at AS createdAt, n.read_at IS NULL AS unread, n.post_id AS postId,
  ${ACTOR_NAME} AS actor, (SELECT count(*) FROM notification_actors a WHERE a.notification_id = n.id) AS actors,
  substr(coalesce(cm.body, p.body), 1, ${EXCERPT_CHARS + 1}) AS excerpt,
  CASE WHEN ra.id IS NULL THEN NULL ELSE coalesce(ra.url, ra.uri) END AS remoteProfile, n.url AS url
  FROM notifications n ${ACTOR_JOIN}
  LEFT JOIN posts p ON p.id = n.post_id LEFT JOIN comments cm ON cm.id = n.comment_id`;

const dialect = new SQLiteAsyncDialect();

/** Drizzle SQL as a D1 statement, for D1's own batch (drizzle's batch cannot take raw SQL with parameters). */
function d1Statement(db: Db, query: SQL): D1PreparedStatement {
  const q = dialect.sqlToQuery(query);
  return db.$client.prepare(q.sql).bind(...q.params);
}

/** The statement for one page of `userId`'s notifications (notifications_user_created index). */
export function notificationPageStatement(db: Db, userId: number, req: PageRequest) {
  return d1Statement(
    db,
    keysetPageSql({ select: SELECT, where: sql`n.user_id = ${userId}`, ts: sql`n.created_at`, id: sql`n.id` }, req, NOTIFICATIONS_PER_PAGE),
  );
}

/** Rows of a D1 batch result, typed as the page's SQL selects them. */
export function toNotificationPage(req: PageRequest, result: D1Result | undefined): KeysetPage<NotificationItem> {
  const rows = rowsOf<Raw>(result);
  const items = rows.map((r) => ({ ...r, unread: !!r.unread }));
  return buildKeysetPage(req, items, NOTIFICATIONS_PER_PAGE, (n) => ({ ts: n.createdAt, id: n.id }));
}

/** Marks every unread notification of `userId` read (after the page in the same batch, so the page still shows which were new). */
export function markAllReadStatement(db: Db, userId: number, now: number) {
  return d1Statement(db, sql`UPDATE notifications SET read_at = ${now} WHERE user_id = ${userId} AND read_at IS NULL`);
}

/**
 * Every notification of `userId`, newest first, for their data export: the latest actor and how many acted in
 * the group (a query builder, so it joins the export's batch).
 */
export function notificationsExportQuery(db: Db, userId: number) {
  return db
    .select({
      kind: notifications.kind,
      actor: sql<string>`coalesce(${users.username}, ${remoteActors.handle})`,
      actors: sql<number>`(SELECT count(*) FROM ${notificationActors} a WHERE a.notification_id = ${notifications.id})`.mapWith(Number),
      postId: notifications.postId,
      commentId: notifications.commentId,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .leftJoin(users, eq(users.id, notifications.actorId))
    .leftJoin(remoteActors, eq(remoteActors.id, notifications.remoteActorId))
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt), desc(notifications.id));
}

type ExportedNotification = Awaited<ReturnType<typeof notificationsExportQuery>>[number];

/** One exported notification as the page words it; a moderation's actor is not named, as on the page. */
export function notificationExportJson(n: ExportedNotification, iso: (ms: number | null) => string | null) {
  const moderated = n.kind === "moderated";
  return {
    kind: n.kind,
    text: sentenceOf(n.kind, { actor: n.actor, others: n.actors - 1, excerpt: null }),
    actor: moderated ? null : n.actor,
    post_id: n.postId,
    comment_id: n.commentId,
    created_at: iso(n.createdAt),
    read_at: iso(n.readAt),
  };
}
