// Summary mails: off by default, turned on per site, written by the cron for the last complete week
// (Monday–Sunday) or month in the site's time zone, with visitors, pageviews, their change from the period
// before, top pages and referrers, as text and HTML through the outbox; and once per period however often
// (or concurrently) the cron runs.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { change, lastPeriod, sendSiteReports } from "../../src/features/sites/mail-report";
import { confirmedUser } from "../helpers/accounts";
import { addSite, hexId, ownerWithSite, store, uniqueHost, visit } from "./helpers";

const MONDAY = Date.UTC(2026, 10, 9, 6); // Monday 9 November 2026, 06:00 UTC

async function siteWithMails(prefix: string, form: Record<string, string> = { weekly: "y" }, zone?: string) {
  const { u, site } = await ownerWithSite(prefix);
  if (zone) expect((await u.client.post(`/sites/${site.id}/time-zone`, { time_zone: zone })).status).toBe(303);
  expect((await u.client.post(`/sites/${site.id}/mail-reports`, form)).status).toBe(303);
  return { u, site };
}

const mailsTo = async (email: string) =>
  (
    await env.DB.prepare("SELECT id, kind, subject, text, html, status FROM mail_outbox WHERE \"to\" = ? AND kind = 'site-report' ORDER BY id")
      .bind(email)
      .all<{ id: number; kind: string; subject: string; text: string; html: string; status: string }>()
  ).results;

describe("the periods", () => {
  it.each([
    ["weekly", "2026-11-09", { prevFrom: "2026-10-26", from: "2026-11-02", to: "2026-11-09" }], // a Monday
    ["weekly", "2026-11-08", { prevFrom: "2026-10-19", from: "2026-10-26", to: "2026-11-02" }], // a Sunday
    ["monthly", "2026-12-01", { prevFrom: "2026-10-01", from: "2026-11-01", to: "2026-12-01" }],
    ["monthly", "2026-01-15", { prevFrom: "2025-11-01", from: "2025-12-01", to: "2026-01-01" }],
  ] as const)("%s on %s is the last complete one", (kind, today, want) => {
    expect(lastPeriod(kind, today)).toEqual(want);
  });

  it.each([
    [10, 5, "+100%"],
    [5, 10, "−50%"],
    [7, 7, "no change"],
    [3, 0, "new"],
    [0, 0, "no change"],
  ])("%d after %d is %s", (now, before, want) => {
    expect(change(now, before)).toBe(want);
  });
});

describe("summary mails", () => {
  it("say what last week looked like next to the week before, in text and HTML, through the outbox", async () => {
    const { u, site } = await siteWithMails("mweekly");
    await store([
      // The week before: one visitor, one pageview.
      visit(site.id, { visitor: hexId(9), ts: Date.UTC(2026, 9, 28, 10), path: "/old" }),
      // Last week: two visitors, three pageviews; visitor 1 came from news.example.
      visit(site.id, { visitor: hexId(1), ts: Date.UTC(2026, 10, 3, 10), path: "/a", referrerHost: "news.example" }),
      visit(site.id, { visitor: hexId(1), ts: Date.UTC(2026, 10, 3, 10, 5), path: "/a" }),
      visit(site.id, { visitor: hexId(2), ts: Date.UTC(2026, 10, 4, 10), path: "/b" }),
      visit(site.id, { visitor: hexId(2), ts: Date.UTC(2026, 10, 4, 10, 1), path: "/b", event: "signup" }),
    ]);
    await sendSiteReports(env, MONDAY);
    const mails = await mailsTo(u.email);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail!.subject).toBe("[Roost] Weekly report for mweekly site");
    expect(mail!.status).toBe("pending");
    for (const body of [mail!.text, mail!.html]) {
      expect(body).toContain("mweekly site, 2 Nov 2026 – 8 Nov 2026 (UTC):");
      expect(body).toContain("Unique visitors: 2 (+100% on the week before).");
      expect(body).toContain("Pageviews: 3 (+200% on the week before).");
      expect(body).toContain("Top pages: 1. /a (2); 2. /b (1).");
      expect(body).toContain("Top referrers: 1. news.example (1).");
      expect(body).toMatch(new RegExp(`/sites/${site.id}\\?from=2026-11-02&(amp;)?to=2026-11-08`));
    }
    expect(mail!.html).toMatch(/^<!doctype html>/i);
  });

  it("go out once per period, however often or concurrently the cron runs", async () => {
    const { u, site } = await siteWithMails("monce", { weekly: "y", monthly: "y" });
    await Promise.all([sendSiteReports(env, MONDAY), sendSiteReports(env, MONDAY)]);
    await sendSiteReports(env, MONDAY + 5 * 60_000);
    await sendSiteReports(env, MONDAY + 3 * 86_400_000); // Thursday: still the same week
    const W = "[Roost] Weekly report for monce site";
    const M = "[Roost] Monthly report for monce site";
    // On 9 November: last week, and October (never mailed yet).
    const first = await mailsTo(u.email);
    expect(first.map((m) => m.subject)).toEqual([W, M]);
    const marks = await env.DB.prepare("SELECT kind, period, outbox_id AS outboxId FROM site_report_mails WHERE site_id = ? ORDER BY outbox_id")
      .bind(site.id)
      .all();
    expect(marks.results).toEqual([
      { kind: "weekly", period: "2026-11-02", outboxId: first[0]!.id },
      { kind: "monthly", period: "2026-10-01", outboxId: first[1]!.id },
    ]);
    // The next Monday is a new week; 1 December (a Tuesday) a new month and the week of 23–29 November.
    await sendSiteReports(env, MONDAY + 7 * 86_400_000);
    await sendSiteReports(env, Date.UTC(2026, 11, 1, 6));
    await sendSiteReports(env, Date.UTC(2026, 11, 1, 7));
    const all = await mailsTo(u.email);
    expect(all.map((m) => m.subject)).toEqual([W, M, W, W, M]);
    expect(all[3]!.text).toContain("23 Nov 2026 – 29 Nov 2026");
    expect(all[4]!.text).toContain("1 Nov 2026 – 30 Nov 2026");
  });

  it("follow the site's time zone: Monday in Auckland is still Sunday in UTC", async () => {
    const auckland = await siteWithMails("mauck", { weekly: "y" }, "Pacific/Auckland");
    const utc = await siteWithMails("mutc", { weekly: "y" });
    const sundayNoonUtc = Date.UTC(2026, 10, 8, 12); // 01:00 on Monday 9 November in Auckland (UTC+13)
    await sendSiteReports(env, sundayNoonUtc);
    expect((await mailsTo(auckland.u.email))[0]!.text).toContain("2 Nov 2026 – 8 Nov 2026 (Pacific/Auckland)");
    // The UTC site's week of 2–8 November is not over yet: it gets the one before.
    expect((await mailsTo(utc.u.email))[0]!.text).toContain("26 Oct 2026 – 1 Nov 2026 (UTC)");
  });

  it("are written in the owner's language: Spanish words, dates and numbers; automatic is English", async () => {
    const { u, site } = await siteWithMails("mspanish");
    await env.DB.prepare("UPDATE users SET locale = 'es' WHERE id = ?").bind(u.id).run();
    await store([visit(site.id, { visitor: hexId(3), ts: Date.UTC(2026, 10, 3, 10), path: "/hola" })]);
    await sendSiteReports(env, MONDAY);
    const [mail] = await mailsTo(u.email);
    expect(mail!.subject).toBe("[Roost] Informe semanal de mspanish site");
    for (const body of [mail!.text, mail!.html]) {
      const lines = [
        `Hola, ${u.username}:`,
        "mspanish site, 2 nov 2026 – 8 nov 2026 (UTC):",
        "Visitantes únicos: 1 (nuevo respecto a la semana anterior).",
        "Páginas vistas: 1 (nuevo respecto a la semana anterior).",
        "Páginas más vistas: 1. /hola (1).",
        "Principales referentes: sin datos.",
        "Abrir el informe",
      ];
      for (const line of lines) expect(body).toContain(line);
      expect(body).not.toMatch(/Unique visitors|Top pages|the week before/);
    }
  });

  it("are off by default and when turned off", async () => {
    const u = await confirmedUser("moff");
    await addSite(u.client, `https://${uniqueHost("moff")}`, "moff site");
    const off = await siteWithMails("mturnedoff", {});
    await sendSiteReports(env, MONDAY);
    expect(await mailsTo(u.email)).toEqual([]);
    expect(await mailsTo(off.u.email)).toEqual([]);
  });
});

describe("the mail setting", () => {
  it("is the owner's, and refuses what the form does not send", async () => {
    const { u, site } = await siteWithMails("mset", { monthly: "y" });
    const row = () => env.DB.prepare("SELECT report_weekly AS w, report_monthly AS m FROM sites WHERE id = ?").bind(site.id).first();
    expect(await row()).toEqual({ w: 0, m: 1 });
    expect((await u.client.post(`/sites/${site.id}/mail-reports`, { weekly: "yes please" })).status).toBe(400);
    const other = await confirmedUser("msetother");
    expect((await other.client.post(`/sites/${site.id}/mail-reports`, { weekly: "y" })).status).toBe(404);
    expect(await row()).toEqual({ w: 0, m: 1 });
    const page = await (await u.client.get(`/sites/${site.id}`)).text();
    expect(page).toMatch(/name="monthly" type="checkbox" value="y" checked/);
  });
});
