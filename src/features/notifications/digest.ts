// The hourly mail digest (cron HOURLY_CRON): each member who chose kinds by mail gets one mail with their
// unread notifications of those kinds since their last digest. Exactly once per hour, even if the cron runs
// twice or two runs overlap: a member's mail row is written only while their digest_through is still what
// this run read, in the same batch that moves it to the hour (D1's batch is one transaction).
import { and, eq, type SQL, sql } from "drizzle-orm";
import { getConfig, HOUR } from "../../config";
import { getDb } from "../../db";
import { insertWhere } from "../../db/insert-where";
import { mailOutbox, notificationSettings } from "../../db/schema";
import type { Statement } from "../../events/commit";
import { resolveLocale, t, tn, withLocale } from "../../i18n";
import { enqueueMail } from "../../mail/outbox";
import { renderMail } from "../../mail/render";
import { EXCERPT_CHARS, excerptOf, KIND_NAMES, KINDS, type NotificationLine, sentenceOf } from "./kinds";

/** Must match the hourly entry of wrangler.toml's [triggers] crons. */
export const HOURLY_CRON = "0 * * * *";
/** Lines in one mail; the page has the rest. */
export const DIGEST_LINES = 20;
/** Members per run; the rest are still due at the next run (their window only grows). */
export const DIGEST_MEMBERS_PER_RUN = 1000;
/** Members per batch: two statements each, well under D1's limits. */
const MEMBERS_PER_BATCH = 40;

type Row = {
  userId: number;
  through: number;
  email: string;
  username: string;
  /** The member's language setting (users.locale); null: automatic, which for a mail without a request is English. */
  locale: string | null;
  kind: string | null;
  actor: string | null;
  actors: number | null;
  excerpt: string | null;
};

/** notifications.kind → its mail bit, in SQL (from the one list of kinds). */
const kindBitSql: SQL = sql`CASE n.kind ${sql.join(
  KIND_NAMES.map((k) => sql`WHEN ${k} THEN ${KINDS[k].bit}`),
  sql` `,
)} ELSE 0 END`;

/**
 * Due members (mail chosen, confirmed, digest_through before this hour) and their lines, newest first, at
 * most DIGEST_LINES each; a due member with nothing to mail comes once with NULL line columns.
 */
function dueRowsSql(hour: number): SQL {
  return sql`
    WITH due AS (
      SELECT s.user_id, s.mail_kinds, s.digest_through FROM notification_settings s JOIN users u ON u.id = s.user_id
      WHERE s.mail_kinds != 0 AND s.digest_through < ${hour} AND u.confirmed = 1 ORDER BY s.user_id LIMIT ${DIGEST_MEMBERS_PER_RUN}
    ), lines AS (
      SELECT n.id, n.user_id, ROW_NUMBER() OVER (PARTITION BY n.user_id ORDER BY n.created_at DESC, n.id DESC) AS rn
      FROM due d JOIN notifications n ON n.user_id = d.user_id AND n.created_at >= d.digest_through AND n.created_at < ${hour}
      WHERE n.read_at IS NULL AND (d.mail_kinds & ${kindBitSql}) != 0
    )
    SELECT d.user_id AS userId, d.digest_through AS through, u.email, u.username, u.locale, n.kind, coalesce(a.username, ra.handle) AS actor,
      (SELECT count(*) FROM notification_actors na WHERE na.notification_id = n.id) AS actors,
      substr(coalesce(cm.body, p.body), 1, ${EXCERPT_CHARS + 1}) AS excerpt
    FROM due d JOIN users u ON u.id = d.user_id
    LEFT JOIN lines l ON l.user_id = d.user_id AND l.rn <= ${DIGEST_LINES}
    LEFT JOIN notifications n ON n.id = l.id LEFT JOIN users a ON a.id = n.actor_id LEFT JOIN remote_actors ra ON ra.id = n.remote_actor_id
    LEFT JOIN posts p ON p.id = n.post_id LEFT JOIN comments cm ON cm.id = n.comment_id
    ORDER BY d.user_id, n.created_at DESC, n.id DESC`;
}

type Member = {
  userId: number;
  through: number;
  email: string;
  username: string;
  locale: string | null;
  lines: (NotificationLine & { kind: string })[];
};

function membersOf(rows: Row[]): Member[] {
  const byId = new Map<number, Member>();
  for (const r of rows) {
    let m = byId.get(r.userId);
    if (!m) {
      m = { userId: r.userId, through: r.through, email: r.email, username: r.username, locale: r.locale, lines: [] };
      byId.set(r.userId, m);
    }
    if (r.kind && r.actor) m.lines.push({ kind: r.kind, actor: r.actor, others: (r.actors ?? 1) - 1, excerpt: excerptOf(r.excerpt) });
  }
  return [...byId.values()];
}

/** One member's digest, in their language (their setting, else English: a cron run has no reader). */
export function digestMail(c: { appName: string; baseUrl: string }, m: Member) {
  return withLocale(resolveLocale(m.locale, null), () => ({
    to: m.email,
    kind: "notification_digest",
    ...renderMail(c.appName, {
      subject: tn("notifications.digest.subject", m.lines.length),
      greeting: t("mail.greeting", { username: m.username }),
      paragraphs: m.lines.map((line) => `${sentenceOf(line.kind, line)}.`),
      action: { label: t("notifications.digest.button"), url: `${c.baseUrl}/notifications` },
      closing: [t("notifications.digest.closing", { url: `${c.baseUrl}/notifications/settings` })],
    }),
  }));
}

/** Sends the digests of the hour that `scheduledTime` falls in; returns how many mails were written. */
export async function sendDigests(env: Env, scheduledTime: number): Promise<number> {
  const db = getDb(env.DB);
  const config = getConfig(env);
  const hour = Math.floor(scheduledTime / HOUR) * HOUR;
  const members = membersOf(await db.all<Row>(dueRowsSql(hour)));
  let written = 0;
  for (let i = 0; i < members.length; i += MEMBERS_PER_BATCH) {
    const statements: Statement[] = [];
    const mailAt: number[] = [];
    for (const m of members.slice(i, i + MEMBERS_PER_BATCH)) {
      const unchanged = and(eq(notificationSettings.userId, m.userId), eq(notificationSettings.digestThrough, m.through));
      if (m.lines.length > 0) {
        const mail = digestMail(config, m);
        mailAt.push(statements.length);
        statements.push(
          insertWhere(db, mailOutbox, { ...mail, status: "pending", attempts: 0, createdAt: scheduledTime }, notificationSettings, unchanged).returning({
            id: mailOutbox.id,
          }),
        );
      }
      statements.push(db.update(notificationSettings).set({ digestThrough: hour }).where(unchanged));
    }
    const [first, ...rest] = statements;
    if (!first) continue;
    const results: unknown[] = await db.batch([first, ...rest]);
    const ids = mailAt.flatMap((at) => {
      const rows = results[at];
      return Array.isArray(rows) ? rows.flatMap((r: { id?: unknown }) => (typeof r.id === "number" ? [r.id] : [])) : [];
    });
    written += ids.length;
    await enqueueMail(env.MAIL_QUEUE, ids);
  }
  return written;
}
