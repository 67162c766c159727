// Weekly and monthly summary mails (per site, off by default), written by the cron in each site's time zone.
// A week is Monday to Sunday, a month a calendar month, both in local days; the mail for a period goes out on
// the first cron run after it ends. For each site due, one read batch (already mailed? the totals of the
// period and the one before it, top pages and referrers) and one write batch: the outbox row is inserted only
// if no `site_report_mails` row exists for the period, and that row is inserted in the same batch (one
// transaction), so a period is mailed once however often or concurrently the cron runs. Each mail is written in
// its owner's language setting (users.locale; automatic is English, as there is no request to ask).
import { getConfig } from "../../config";
import { rowsOf } from "../../db/rows";
import { formatNumber, intlTag, resolveLocale, t, withLocale } from "../../i18n";
import { log } from "../../lib/log";
import { addDays, localDate, startOfLocalDay } from "../../lib/zoned-days";
import { enqueueMail, type OutgoingMail } from "../../mail/outbox";
import { renderMail } from "../../mail/render";
import { dayStart } from "./period";

export type ReportKind = "weekly" | "monthly";
/** Sites handled per cron run: the rest wait for the next run (every 5 minutes). */
export const REPORTS_PER_RUN = 50;
const TOP = 5;

/** The last complete week (Monday–Sunday) or month before `today`, and the one before it, as local dates. */
export function lastPeriod(kind: ReportKind, today: string): { prevFrom: string; from: string; to: string } {
  if (kind === "weekly") {
    const weekday = (new Date(Date.parse(today)).getUTCDay() + 6) % 7; // Monday = 0
    const from = addDays(today, -weekday - 7);
    return { prevFrom: addDays(from, -7), from, to: addDays(from, 7) };
  }
  const [y = 1970, m = 1] = today.split("-").map(Number);
  const month = (yy: number, mm: number) => new Date(Date.UTC(yy, mm - 1, 1)).toISOString().slice(0, 10);
  return { prevFrom: month(y, m - 2), from: month(y, m - 1), to: month(y, m) };
}

type Due = { siteId: number; name: string; timeZone: string; email: string; username: string; locale: string | null; kind: ReportKind };

const DUE_SQL = `SELECT s.id AS siteId, s.name, s.time_zone AS timeZone, u.email, u.username, u.locale, k.value AS kind
  FROM sites s JOIN users u ON u.id = s.user_id AND u.confirmed = 1
  JOIN json_each('["weekly","monthly"]') k ON (k.value = 'weekly' AND s.report_weekly = 1) OR (k.value = 'monthly' AND s.report_monthly = 1)
  ORDER BY s.id`;

const SENT_SQL = "SELECT 1 AS sent FROM site_report_mails WHERE site_id = ?1 AND kind = ?2 AND period = ?3";
/** Pageviews and visitors of [e0, e1) and [e1, e2) from the quarter-hour rollup. */
const TOTALS_SQL = `SELECT sum(h.hour >= ?3) AS current, sum(h.pageviews * (h.hour >= ?3)) AS pvNow, sum(h.visitors * (h.hour >= ?3)) AS viNow,
    sum(h.pageviews * (h.hour < ?3)) AS pvBefore, sum(h.visitors * (h.hour < ?3)) AS viBefore
  FROM visit_hourly h WHERE h.site_id = ?1 AND h.hour >= ?2 AND h.hour < ?4`;
const TOPS_SQL = `SELECT dim, value, n FROM (
    SELECT dim, value, sum(n) AS n, row_number() OVER (PARTITION BY dim ORDER BY sum(n) DESC, value) AS rank
    FROM visit_dims WHERE site_id = ?1 AND dim IN ('page', 'referrer') AND day >= ?2 AND day < ?3 GROUP BY dim, value
  ) WHERE rank <= ${TOP} ORDER BY dim, rank`;

const OUTBOX_SQL = `INSERT INTO mail_outbox ("to", kind, subject, text, html, status, attempts, created_at)
  SELECT ?1, 'site-report', ?2, ?3, ?4, 'pending', 0, ?5
  WHERE NOT EXISTS (SELECT 1 FROM site_report_mails WHERE site_id = ?6 AND kind = ?7 AND period = ?8) RETURNING id`;
/** After OUTBOX_SQL in the same batch: when it inserted, last_insert_rowid() is its row; when not, the key exists and this is ignored. */
const MARK_SQL = "INSERT OR IGNORE INTO site_report_mails (site_id, kind, period, outbox_id, created_at) VALUES (?1, ?2, ?3, last_insert_rowid(), ?4)";

export type ReportFigures = {
  pageviews: number;
  visitors: number;
  before: { pageviews: number; visitors: number };
  pages: { value: string; n: number }[];
  referrers: { value: string; n: number }[];
};

/** "+25%", "−40%", "no change", or "new" when there was nothing before (in the current locale). */
export function change(now: number, before: number): string {
  if (before === 0) return now === 0 ? t("sites.report.noChange") : t("sites.report.new");
  const pct = Math.round(((now - before) / before) * 100);
  return pct === 0 ? t("sites.report.noChange") : pct > 0 ? `+${pct}%` : `−${-pct}%`;
}

export function reportMail(
  c: { appName: string; baseUrl: string },
  due: Pick<Due, "siteId" | "name" | "timeZone" | "email" | "username" | "locale" | "kind">,
  p: { from: string; to: string },
  f: ReportFigures,
): OutgoingMail {
  return withLocale(resolveLocale(due.locale, null), () => writeReport(c, due, p, f));
}

function writeReport(
  c: { appName: string; baseUrl: string },
  due: Pick<Due, "siteId" | "name" | "timeZone" | "email" | "username" | "kind">,
  p: { from: string; to: string },
  f: ReportFigures,
): OutgoingMail {
  const last = addDays(p.to, -1);
  const dayFmt = new Intl.DateTimeFormat(intlTag(), { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  const site = due.name;
  const span = `${dayFmt.format(Date.parse(p.from))} – ${dayFmt.format(Date.parse(last))} (${due.timeZone})`;
  const list = (title: string, rows: { value: string; n: number }[]) =>
    rows.length === 0
      ? t("sites.report.listEmpty", { title })
      : `${title}: ${rows.map((r, i) => `${i + 1}. ${r.value || t("sites.report.noValue")} (${formatNumber(r.n)})`).join("; ")}.`;
  const previous = due.kind === "weekly" ? t("sites.report.weekBefore") : t("sites.report.monthBefore");
  return {
    to: due.email,
    kind: "site-report",
    ...renderMail(c.appName, {
      subject: t(due.kind === "weekly" ? "sites.report.subject.weekly" : "sites.report.subject.monthly", { site }),
      greeting: t("mail.greeting", { username: due.username }),
      paragraphs: [
        `${site}, ${span}:`,
        t("sites.report.visitors", { count: f.visitors, change: change(f.visitors, f.before.visitors), previous }),
        t("sites.report.pageviews", { count: f.pageviews, change: change(f.pageviews, f.before.pageviews), previous }),
        list(t("sites.report.topPages"), f.pages),
        list(t("sites.report.topReferrers"), f.referrers),
      ],
      action: { label: t("sites.report.button"), url: `${c.baseUrl}/sites/${due.siteId}?from=${p.from}&to=${last}` },
      closing: [t("sites.report.closing", { site })],
    }),
  };
}

/** Writes every summary mail that is due at `now`; returns how many were written. */
export async function sendSiteReports(env: Env, now = Date.now()): Promise<number> {
  const client = env.DB;
  const config = getConfig(env);
  const due = (await client.prepare(DUE_SQL).all<Due>()).results;
  const written: number[] = [];
  for (const d of due) {
    if (written.length >= REPORTS_PER_RUN) break;
    const p = lastPeriod(d.kind, localDate(now, d.timeZone));
    const prevFrom = startOfLocalDay(p.prevFrom, d.timeZone);
    const from = startOfLocalDay(p.from, d.timeZone);
    const to = startOfLocalDay(p.to, d.timeZone);
    const [sent, totals, tops] = await client.batch([
      client.prepare(SENT_SQL).bind(d.siteId, d.kind, p.from),
      client.prepare(TOTALS_SQL).bind(d.siteId, prevFrom, from, to),
      // visit_dims is per UTC day: the UTC days the local period touches (see "Time zones" in docs/architecture.md).
      client.prepare(TOPS_SQL).bind(d.siteId, dayStart(from), dayStart(to - 1) + 86_400_000),
    ]);
    if (rowsOf(sent).length > 0) continue;
    const sums = rowsOf<Partial<Record<"pvNow" | "viNow" | "pvBefore" | "viBefore", number | null>>>(totals)[0] ?? {};
    const rows = rowsOf<{ dim: string; value: string; n: number }>(tops);
    const mail = reportMail(config, d, p, {
      pageviews: sums.pvNow ?? 0,
      visitors: sums.viNow ?? 0,
      before: { pageviews: sums.pvBefore ?? 0, visitors: sums.viBefore ?? 0 },
      pages: rows.filter((r) => r.dim === "page"),
      referrers: rows.filter((r) => r.dim === "referrer"),
    });
    const [outbox] = await client.batch([
      client.prepare(OUTBOX_SQL).bind(mail.to, mail.subject, mail.text, mail.html, now, d.siteId, d.kind, p.from),
      client.prepare(MARK_SQL).bind(d.siteId, d.kind, p.from, now),
    ]);
    const id = rowsOf<{ id: number }>(outbox)[0]?.id;
    if (id) written.push(id);
  }
  if (written.length > 0) {
    await enqueueMail(env.MAIL_QUEUE, written);
    log("info", "site report mails written", { count: written.length });
  }
  return written.length;
}
