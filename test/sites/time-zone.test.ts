// Per-site time zones: local days start where the zone says (half- and quarter-hour offsets, daylight-saving
// days of 23, 23.5 and 25 hours, a skipped midnight), the report's days, hours and chart follow the site's
// zone for past visits too, and the zone form refuses what is not a zone with a 400.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { HOUR } from "../../src/config";
import { parsePeriod } from "../../src/features/sites/period";
import { canonicalTimeZone, localDayStarts, startOfLocalDay, TIME_ZONES } from "../../src/lib/zoned-days";
import { confirmedUser } from "../helpers/accounts";
import { d1Queries } from "../helpers/http";
import { decodeHtml, ownerWithSite, store, visit } from "./helpers";

const NOW = Date.UTC(2026, 11, 1, 12);

describe("local days", () => {
  it.each([
    // zone, day, its first instant (UTC), its length in hours
    ["UTC", "2026-05-20", Date.UTC(2026, 4, 20), 24],
    ["Asia/Kolkata", "2026-05-20", Date.UTC(2026, 4, 19, 18, 30), 24],
    ["Asia/Kathmandu", "2026-05-20", Date.UTC(2026, 4, 19, 18, 15), 24],
    ["America/New_York", "2026-03-08", Date.UTC(2026, 2, 8, 5), 23], // clocks spring forward
    ["America/New_York", "2026-11-01", Date.UTC(2026, 10, 1, 4), 25], // and fall back
    ["Europe/London", "2026-03-29", Date.UTC(2026, 2, 29), 23],
    ["Australia/Lord_Howe", "2026-10-04", Date.UTC(2026, 9, 3, 13, 30), 23.5], // a half-hour DST change
    ["America/Santiago", "2026-09-06", Date.UTC(2026, 8, 6, 4), 23], // midnight does not exist: the day starts at 01:00
  ])("%s: %s starts at the right instant and lasts %s hours", (zone, day, start, hours) => {
    expect(startOfLocalDay(day, zone)).toBe(start);
    const [from, to] = localDayStarts(day, day, zone);
    expect(from).toBe(start);
    expect((to! - from!) / HOUR).toBe(hours);
    const r = parsePeriod({ from: day, to: day }, NOW, zone);
    if (!r.ok) throw new Error("bad period");
    expect(r.period).toMatchObject({ from: start, to, bucket: "hour", timeZone: zone });
    // The chart's hours: real hours from local midnight, the last one cut at the day's end.
    expect(r.period.edges).toHaveLength(Math.ceil(hours) + 1);
    expect(r.period.edges.at(-1)).toBe(to);
  });

  it("counts today and the presets in the zone's calendar", () => {
    // 2026-05-20 20:00 UTC is already 21 May in Kathmandu (UTC+5:45) and still 20 May in New York.
    const now = Date.UTC(2026, 4, 20, 20);
    const kat = parsePeriod({ period: "today" }, now, "Asia/Kathmandu");
    expect(kat).toMatchObject({ ok: true, period: { fromDate: "2026-05-21", from: Date.UTC(2026, 4, 20, 18, 15) } });
    const ny = parsePeriod({ period: "7d" }, now, "America/New_York");
    expect(ny).toMatchObject({ ok: true, period: { fromDate: "2026-05-14", toDate: "2026-05-20", to: Date.UTC(2026, 4, 21, 4) } });
    // "The last day cannot be in the future" is about the zone's today too.
    expect(parsePeriod({ from: "2026-05-21", to: "2026-05-21" }, now, "Asia/Kathmandu").ok).toBe(true);
    expect(parsePeriod({ from: "2026-05-21", to: "2026-05-21" }, now, "America/New_York").ok).toBe(false);
  });

  it.each([
    ["UTC", "UTC"],
    ["Europe/Paris", "Europe/Paris"],
    ["  Europe/Paris ", "Europe/Paris"],
    ["Mars/Olympus_Mons", null],
    ["", null],
    ["Europe/Paris; DROP TABLE sites", null],
    ["../../etc/passwd", null],
    ["x".repeat(300), null],
  ])("takes %j as the zone %j", (raw, want) => {
    expect(canonicalTimeZone(raw)).toBe(want);
  });

  it("knows the renamed zones under one of their names, and lists UTC first", () => {
    for (const alias of ["Asia/Kolkata", "Asia/Calcutta", "asia/kathmandu"]) {
      const zone = canonicalTimeZone(alias);
      expect(zone && TIME_ZONES.includes(zone)).toBe(true);
    }
    expect(TIME_ZONES[0]).toBe("UTC");
    expect(TIME_ZONES.length).toBeGreaterThan(300);
  });
});

/** The report's Pageviews card and the chart's hidden table (bucket label → pageviews). */
function reportNumbers(html: string) {
  const pageviews = Number(/<dt>Pageviews<\/dt><dd>([\d,]+)<\/dd>/.exec(html)?.[1]?.replace(/,/g, ""));
  const table = /<div class="visually-hidden"><table>[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? "";
  const rows = [...table.matchAll(/<th scope="row">([^<]*)<\/th><td>(\d+)<\/td>/g)].map((m) => [decodeHtml(m[1]!), Number(m[2])] as const);
  return { pageviews, rows };
}

async function ownerWithZone(prefix: string, zone?: string) {
  const { u, site } = await ownerWithSite(prefix);
  if (zone) {
    const res = await u.client.post(`/sites/${site.id}/time-zone`, { time_zone: zone });
    expect(res.status).toBe(303);
  }
  return { u, site };
}

const storedZone = async (id: number) => (await env.DB.prepare("SELECT time_zone AS z FROM sites WHERE id = ?").bind(id).first<{ z: string }>())!.z;

describe("the report in the site's zone", () => {
  it.each([
    // zone, the UTC instant local 20 May begins
    ["Asia/Kolkata", Date.UTC(2026, 4, 19, 18, 30)],
    ["Asia/Kathmandu", Date.UTC(2026, 4, 19, 18, 15)],
  ])("%s: a day holds exactly the visits from its local midnight to the next, past ones included", async (zone, start) => {
    const { u, site } = await ownerWithZone(`tz${zone.length}`);
    await store([
      visit(site.id, { ts: start - 1000, path: "/before" }), // 23:59:59 on 19 May, local
      visit(site.id, { ts: start, path: "/first" }), // 00:00:00 on 20 May
      visit(site.id, { ts: start + 24 * HOUR - 1000, path: "/last" }), // 23:59:59 on 20 May
      visit(site.id, { ts: start + 24 * HOUR, path: "/after" }), // 00:00:00 on 21 May
    ]);
    const day = `/sites/${site.id}?from=2026-05-20&to=2026-05-20`;
    // In UTC, 20 May holds "/last" and "/after"; in the zone, "/first" and "/last".
    const utc = reportNumbers(await (await u.client.get(day)).text());
    expect(utc.pageviews).toBe(2);
    // Setting the zone re-buckets the visits already stored.
    expect((await u.client.post(`/sites/${site.id}/time-zone`, { time_zone: zone })).status).toBe(303);
    const res = await u.client.get(day);
    const html = await res.text();
    const local = reportNumbers(html);
    expect(local.pageviews).toBe(2);
    expect(local.rows).toHaveLength(24);
    expect(local.rows[0]).toEqual(["00:00", 1]);
    expect(local.rows[23]).toEqual(["23:00", 1]);
    expect(html).toContain(`20 May 2026 (${await storedZone(site.id)})`);
    // The top pages agree on the edges that matter: both local visits are listed.
    expect(html).toContain("/first");
    expect(html).toContain("/last");
    // Still one batch after the session's query: the zone is known without asking first.
    expect(d1Queries(res)).toBe(2);
  });

  it("America/New_York: the spring-forward day has 23 hours on the chart, the fall-back day 25 (01:00 twice)", async () => {
    const { u, site } = await ownerWithZone("dst", "America/New_York");
    // 01:30 EDT and 01:30 EST on 1 November are an hour apart and both are "01:00".
    await store([visit(site.id, { ts: Date.UTC(2026, 10, 1, 5, 30), path: "/edt" }), visit(site.id, { ts: Date.UTC(2026, 10, 1, 6, 30), path: "/est" })]);
    const spring = reportNumbers(await (await u.client.get(`/sites/${site.id}?from=2026-03-08&to=2026-03-08`)).text());
    expect(spring.rows.map((r) => r[0])).toEqual(["00:00", "01:00", ...Array.from({ length: 21 }, (_, i) => `${String(i + 3).padStart(2, "0")}:00`)]);
    const fall = reportNumbers(await (await u.client.get(`/sites/${site.id}?from=2026-11-01&to=2026-11-01`)).text());
    expect(fall.rows).toHaveLength(25);
    expect(fall.rows.slice(1, 3)).toEqual([
      ["01:00", 1],
      ["01:00", 1],
    ]);
    // A week around the change: one bar per local day.
    const week = reportNumbers(await (await u.client.get(`/sites/${site.id}?from=2026-10-29&to=2026-11-04`)).text());
    expect(week.rows.map((r) => r[1])).toEqual([0, 0, 0, 2, 0, 0, 0]);
    expect(week.rows[3]![0]).toBe("1 Nov");
  });
});

describe("the time zone setting", () => {
  it("is UTC for a new site, and a zone from the list replaces it", async () => {
    const { u, site } = await ownerWithZone("tzset");
    expect(await storedZone(site.id)).toBe("UTC");
    const page = await (await u.client.get(`/sites/${site.id}`)).text();
    expect(page).toContain('<option value="Europe/Paris">Europe/Paris</option>');
    expect(page).toMatch(/<option value="UTC" selected="">UTC<\/option>/);
    const res = await u.client.post(`/sites/${site.id}/time-zone`, { time_zone: "Europe/Paris" });
    expect(res.status).toBe(303);
    expect(await storedZone(site.id)).toBe("Europe/Paris");
    const after = await (await u.client.get(`/sites/${site.id}`)).text();
    expect(after).toContain("Time zone set to Europe/Paris.");
    expect(after).toContain("(Europe/Paris)");
  });

  it.each([
    ["Mars/Olympus_Mons", "Choose a time zone from the list"],
    ["", "Choose a time zone."],
    ["<script>", "Choose a time zone from the list"],
  ])("refuses %j with a 400 that says why, and keeps the zone", async (zone, message) => {
    const { u, site } = await ownerWithZone("tzbad", "Asia/Tokyo");
    const res = await u.client.post(`/sites/${site.id}/time-zone`, { time_zone: zone });
    expect(res.status).toBe(400);
    expect(decodeHtml(await res.text())).toContain(message);
    expect(await storedZone(site.id)).toBe("Asia/Tokyo");
  });

  it("is the owner's alone: someone else's site is a 404 and stays as it was", async () => {
    const { site } = await ownerWithZone("tzowner");
    const other = await confirmedUser("tzother");
    const res = await other.client.post(`/sites/${site.id}/time-zone`, { time_zone: "Asia/Tokyo" });
    expect(res.status).toBe(404);
    expect(await storedZone(site.id)).toBe("UTC");
  });
});

describe("filters and comparison in the site's zone", () => {
  // Local 20 May in Kathmandu (UTC+5:45) begins at 19 May 18:15 UTC.
  const start = Date.UTC(2026, 4, 19, 18, 15);
  const four = (siteId: number) => [
    visit(siteId, { ts: start - 1000, path: "/before" }),
    visit(siteId, { ts: start, path: "/first" }),
    visit(siteId, { ts: start + 24 * HOUR - 1000, path: "/last" }),
    visit(siteId, { ts: start + 24 * HOUR, path: "/after" }),
  ];

  it("a filtered chart has the same local buckets as the unfiltered one", async () => {
    const { u, site } = await ownerWithZone("tzf", "Asia/Kathmandu");
    await store(four(site.id));
    const day = `/sites/${site.id}?from=2026-05-20&to=2026-05-20`;
    const plain = reportNumbers(await (await u.client.get(day)).text());
    const all = reportNumbers(await (await u.client.get(`${day}&f=page:contains:/`)).text());
    expect(all).toEqual(plain);
    expect(all.rows[0]).toEqual(["00:00", 1]);
    expect(all.rows[23]).toEqual(["23:00", 1]);
    const some = reportNumbers(await (await u.client.get(`${day}&f=page:is_not:/first`)).text());
    expect(some.pageviews).toBe(1);
    expect(some.rows).toHaveLength(24);
    expect(some.rows[0]).toEqual(["00:00", 0]);
    expect(some.rows[23]).toEqual(["23:00", 1]);
  });

  it.each([
    ["unfiltered", ""],
    ["filtered", "&f=page:contains:/"],
  ])("%s, the previous period is the local days just before, bucket for bucket", async (_name, filter) => {
    const { u, site } = await ownerWithZone(`tzc${filter.length}`, "Asia/Kathmandu");
    await store(four(site.id));
    // 21 May local holds "/after"; the day before (20 May local) "/first" and "/last".
    const html = await (await u.client.get(`/sites/${site.id}?from=2026-05-21&to=2026-05-21&compare=1${filter}`)).text();
    expect(html).toMatch(/<dt>Pageviews<\/dt><dd>1<\/dd><dd class="change change-down">−50%/);
    const previous = [...html.matchAll(/<th scope="row">([^<]*)<\/th><td>\d+<\/td><td>\d+<\/td><td>(\d+)<\/td>/g)].map((m) => [m[1], Number(m[2])]);
    expect(previous).toHaveLength(24);
    expect(previous[0]).toEqual(["00:00", 1]);
    expect(previous[23]).toEqual(["23:00", 1]);
    expect(previous.reduce((n, r) => n + Number(r[1]), 0)).toBe(2);
  });
});
