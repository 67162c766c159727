// Pure parts of analytics: user-agent parsing and bot detection, base URLs, periods, CSV escaping, the
// chart, the beacon's URL rule, and the daily salt / visitor id (rotation and agreement between isolates).
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { DAY } from "../../src/config";
import { getDb } from "../../src/db";
import { isUnderBase, shouldIgnore } from "../../src/features/sites/beacon";
import { niceCeiling, VisitsChart } from "../../src/features/sites/chart";
import { csvRow, csvText } from "../../src/features/sites/csv";
import { dayStart, parsePeriod, periodQuery } from "../../src/features/sites/period";
import { canonicalBaseUrl } from "../../src/features/sites/schemas";
import { fillSeries } from "../../src/features/sites/service";
import { isBot, parseUserAgent } from "../../src/features/sites/ua";
import { dailySalt, forgetCachedSalts, pruneVisitorData, scheduledVisitorCleanup, visitorId } from "../../src/features/sites/visitor";
import { insertUsers } from "../helpers/accounts";
import BOT_USER_AGENTS from "./fixtures/bot-user-agents.json";
import { CHROME_UA, IPHONE_UA } from "./helpers";

describe("user agents", () => {
  const cases: [string, string, string, string][] = [
    [CHROME_UA, "Chrome", "Windows", "desktop"],
    [IPHONE_UA, "Safari", "iOS", "mobile"],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "Safari", "macOS", "desktop"],
    ["Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox", "Linux", "desktop"],
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0",
      "Edge",
      "Windows",
      "desktop",
    ],
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/139.0.0.0 Safari/537.36 OPR/124.0.0.0",
      "Opera",
      "Windows",
      "desktop",
    ],
    ["Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36", "Chrome", "Android", "mobile"],
    [
      "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/27.0 Chrome/125.0.0.0 Mobile Safari/537.36",
      "Samsung Internet",
      "Android",
      "mobile",
    ],
    ["Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36", "Chrome", "Android", "tablet"],
    [
      "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/140.0 Mobile/15E148 Safari/604.1",
      "Chrome",
      "iOS",
      "tablet",
    ],
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/140.0 Mobile/15E148 Safari/605.1.15",
      "Firefox",
      "iOS",
      "mobile",
    ],
    ["Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36", "Chrome", "ChromeOS", "desktop"],
    ["Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko", "Internet Explorer", "Windows", "desktop"],
    ["Mozilla/5.0 (compatible; SomethingNew/1.0; Plan9)", "Other", "Other", "desktop"],
  ];
  it.each(cases)("parses %s", (ua, browser, os, device) => {
    expect(parseUserAgent(ua)).toEqual({ browser, os, device });
    expect(isBot(ua)).toBe(false);
  });

  // onlyIsbotKnows: crawlers that only isbot's maintained list knows (the hand-written list let them through).
  it.each([...BOT_USER_AGENTS.known, ...BOT_USER_AGENTS.onlyIsbotKnows])("treats %j as a bot", (ua) => {
    expect(isBot(ua)).toBe(true);
  });

  it("does not take a phone called CUBOT for a bot", () => {
    expect(isBot("Mozilla/5.0 (Linux; Android 9; CUBOT X19) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36")).toBe(false);
  });

  it("drops DNT: 1, Sec-GPC: 1 and bots, nothing else", () => {
    expect(shouldIgnore(new Headers({ "User-Agent": CHROME_UA }))).toBe(false);
    expect(shouldIgnore(new Headers({ "User-Agent": CHROME_UA, DNT: "0" }))).toBe(false);
    expect(shouldIgnore(new Headers({ "User-Agent": CHROME_UA, DNT: "1" }))).toBe(true);
    expect(shouldIgnore(new Headers({ "User-Agent": CHROME_UA, "Sec-GPC": "1" }))).toBe(true);
    expect(shouldIgnore(new Headers({ "User-Agent": "curl/8.5.0" }))).toBe(true);
    expect(shouldIgnore(new Headers())).toBe(true);
  });
});

describe("base URLs", () => {
  it.each([
    ["https://Example.COM", "https://example.com"],
    ["https://example.com/", "https://example.com"],
    ["HTTPS://example.com/blog/", "https://example.com/blog"],
    ["http://example.com:80/a/b", "http://example.com/a/b"],
    ["https://example.com:8443", "https://example.com:8443"],
    ["http://127.0.0.1:5173", "http://127.0.0.1:5173"],
  ])("%s becomes %s", (raw, canonical) => {
    expect(canonicalBaseUrl(raw)).toEqual({ ok: true, url: canonical });
  });

  it.each([
    "example.com",
    "ftp://example.com",
    "javascript:alert(1)",
    "data:text/html,hi",
    "https://user:pw@example.com",
    "https://example.com/?a=1",
    "https://example.com/#top",
    "https://example.com/?",
    "not a url",
  ])("refuses %s", (raw) => {
    expect(canonicalBaseUrl(raw).ok).toBe(false);
  });

  it("puts a page under its base URL only on a path-segment boundary", () => {
    expect(isUnderBase(new URL("https://example.com/anything?q=1"), "https://example.com")).toBe(true);
    expect(isUnderBase(new URL("https://example.com/blog"), "https://example.com/blog")).toBe(true);
    expect(isUnderBase(new URL("https://example.com/blog/post-1"), "https://example.com/blog")).toBe(true);
    expect(isUnderBase(new URL("https://example.com/blogger"), "https://example.com/blog")).toBe(false);
    expect(isUnderBase(new URL("https://example.com/"), "https://example.com/blog")).toBe(false);
    expect(isUnderBase(new URL("http://example.com/"), "https://example.com")).toBe(false);
    expect(isUnderBase(new URL("https://evil.example.com/"), "https://example.com")).toBe(false);
    expect(isUnderBase(new URL("https://example.com.evil.test/"), "https://example.com")).toBe(false);
    expect(isUnderBase(new URL("https://example.com:444/"), "https://example.com")).toBe(false);
  });
});

describe("periods", () => {
  const now = Date.UTC(2026, 4, 20, 15, 30);
  const today = Date.UTC(2026, 4, 20);

  it("defaults to the last 7 days including today, in UTC days", () => {
    const r = parsePeriod({}, now);
    expect(r).toMatchObject({
      ok: true,
      period: { key: "7d", from: today - 6 * DAY, to: today + DAY, bucket: "day", fromDate: "2026-05-14", toDate: "2026-05-20" },
    });
  });

  it("has today (by hour) and 30 days", () => {
    expect(parsePeriod({ period: "today" }, now)).toMatchObject({ ok: true, period: { from: today, to: today + DAY, bucket: "hour" } });
    expect(parsePeriod({ period: "30d" }, now)).toMatchObject({ ok: true, period: { from: today - 29 * DAY, to: today + DAY } });
  });

  it("takes a custom range of whole days, both ends included", () => {
    const r = parsePeriod({ from: "2026-05-01", to: "2026-05-03" }, now);
    expect(r).toMatchObject({ ok: true, period: { key: "custom", from: Date.UTC(2026, 4, 1), to: Date.UTC(2026, 4, 4), bucket: "day" } });
    if (r.ok) expect(periodQuery(r.period)).toBe("from=2026-05-01&to=2026-05-03");
    expect(parsePeriod({ from: "2026-05-02", to: "2026-05-02" }, now)).toMatchObject({ ok: true, period: { bucket: "hour" } });
    expect(parsePeriod({ from: "2025-05-20", to: "2026-05-20" }, now).ok).toBe(true);
  });

  it.each([
    [{ period: "week" }, "period"],
    [{ period: "custom" }, "from"],
    [{ from: "2026-05-01" }, "to"],
    [{ to: "2026-05-01" }, "from"],
    [{ from: "yesterday", to: "2026-05-01" }, "from"],
    [{ from: "2026-02-30", to: "2026-03-01" }, "from"],
    [{ from: "2026-05-01", to: "2026-13-01" }, "to"],
    [{ from: "2026-05-03", to: "2026-05-01" }, "to"],
    [{ from: "2026-05-01", to: "2026-05-21" }, "to"],
    [{ from: "2026-05-21", to: "2026-05-21" }, "from"],
    [{ from: "1999-12-31", to: "2000-01-02" }, "from"],
    [{ from: "2025-05-19", to: "2026-05-20" }, "to"],
    [{ from: "2026-05-01".repeat(20), to: "2026-05-02" }, "from"],
  ])("refuses %j (error on %s)", (q, field) => {
    const r = parsePeriod(q, now);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[field as "from"]).toBeTruthy();
  });

  it("fills every bucket of the period, zero where nothing was recorded", () => {
    const r = parsePeriod({ period: "today" }, now);
    if (!r.ok) throw new Error("bad period");
    const series = fillSeries(r.period, [{ t: today + 3 * 3600_000, pageviews: 5, visitors: 2 }]);
    expect(series).toHaveLength(24);
    expect(series[3]).toEqual({ t: today + 3 * 3600_000, pageviews: 5, visitors: 2 });
    expect(series.filter((p) => p.pageviews > 0)).toHaveLength(1);
    expect(dayStart(now)).toBe(today);
  });
});

describe("CSV", () => {
  it("quotes fields with commas, quotes and line breaks", () => {
    expect(csvText('Washington, "DC"')).toBe('"Washington, ""DC"""');
    expect(csvText("two\nlines")).toBe('"two\nlines"');
    expect(csvText("plain")).toBe("plain");
    expect(csvText(null)).toBe("");
  });

  it.each(["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", '=HYPERLINK("http://evil","x")'])("neutralises the formula %j", (v) => {
    const cell = csvText(v);
    expect(cell.replace(/^"/, "").startsWith("'")).toBe(true);
  });

  it("writes numbers as numbers (a negative coordinate is not a formula) and ends rows with CRLF", () => {
    expect(csvRow(["a", -118.25, null, 0, "b"])).toBe("a,-118.25,,0,b\r\n");
    expect(csvRow([Number.NaN])).toBe("\r\n");
  });
});

describe("chart", () => {
  it("rounds the y axis up to 1, 2 or 5 × 10^n", () => {
    expect([0, 1, 3, 7, 10, 11, 42, 199, 501, 123456].map(niceCeiling)).toEqual([1, 1, 5, 10, 10, 20, 50, 200, 1000, 200000]);
  });

  it.each([
    ["an empty period", [0, 0], ["0", "1"]],
    ["at most 2", [2, 1], ["0", "1", "2"]],
    ["at most 3 (axis up to 5)", [3, 0], ["0", "1", "2", "3", "4", "5"]],
    ["at most 9 (axis up to 10)", [9, 4], ["0", "2", "4", "6", "8", "10"]],
    ["at most 42 (axis up to 50)", [42, 5], ["0", "10", "20", "30", "40", "50"]],
    ["at most 1,500 (axis up to 2,000)", [1500, 5], ["0", "500", "1,000", "1,500", "2,000"]],
  ])("labels the y axis of %s with distinct round numbers", async (_label, pageviews, ticks) => {
    const t0 = Date.UTC(2026, 4, 1);
    const series = pageviews.map((v, i) => ({ t: t0 + i * DAY, pageviews: v, visitors: 0 }));
    const html = String(await VisitsChart({ series, bucket: "day", label: "May", timeZone: "UTC" }));
    const labels = [...html.matchAll(/<g class="chart-grid">.*?<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(ticks);
  });

  it("is an SVG with a title, a description and the numbers in a hidden table", async () => {
    const t0 = Date.UTC(2026, 4, 1);
    const series = [0, 1, 2].map((i) => ({ t: t0 + i * DAY, pageviews: [3, 0, 9][i]!, visitors: [1, 0, 4][i]! }));
    const html = String(await VisitsChart({ series, bucket: "day", label: "1–3 May", timeZone: "UTC" }));
    expect(html).toContain('role="img"');
    expect(html).toMatch(/<title id="chart-title">Pageviews and visitors per day, 1–3 May<\/title>/);
    expect(html).toContain("12 pageviews and 5 visitors, 1–3 May. Busiest day: 3 May with 9 pageviews.");
    // Hidden on a wrapper: a table ignores width: 1px, and would widen a phone's page.
    expect(html).toContain('<div class="visually-hidden"><table>');
    expect(html.match(/<rect class="chart-bar"/g)).toHaveLength(2);
    expect(html).toContain('<th scope="row">2 May</th><td>0</td><td>0</td>');
    // A title per bar.
    expect(html).toContain("<title>3 May: 9 pageviews, 4 visitors</title>");
    expect(html).toContain("<title>1 May: 3 pageviews, 1 visitors</title>");
  });

  it("puts the year on day labels when the period spans two years, so no label repeats", async () => {
    const t0 = Date.UTC(2025, 4, 1);
    const series = Array.from({ length: 366 }, (_, i) => ({ t: t0 + i * DAY, pageviews: 1, visitors: 1 }));
    const html = String(await VisitsChart({ series, bucket: "day", label: "a year", timeZone: "UTC" }));
    const axis = [...html.matchAll(/<text class="chart-axis"[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(axis[0]).toBe("1 May 2025");
    expect(new Set(axis).size).toBe(axis.length);
    const rows = [...html.matchAll(/<th scope="row">([^<]+)<\/th>/g)].map((m) => m[1]);
    expect(new Set(rows).size).toBe(366);
  });
});

describe("visitor ids", () => {
  const db = () => getDb(env.DB);
  const day = Date.UTC(2026, 4, 20);

  it("are the same within a day and change with the next day's salt", async () => {
    const salt1 = await dailySalt(db(), day);
    const again = await dailySalt(db(), day);
    const salt2 = await dailySalt(db(), day + DAY);
    expect(salt1).toMatch(/^[0-9a-f]{64}$/);
    expect(again).toBe(salt1);
    expect(salt2).not.toBe(salt1);
    const id = (salt: string) => visitorId(salt, 7, "203.0.113.7", CHROME_UA);
    expect(id(salt1)).toMatch(/^[0-9a-f]{32}$/);
    expect(id(salt1)).toBe(id(again));
    expect(id(salt2)).not.toBe(id(salt1));
    // Every input matters.
    expect(visitorId(salt1, 8, "203.0.113.7", CHROME_UA)).not.toBe(id(salt1));
    expect(visitorId(salt1, 7, "203.0.113.8", CHROME_UA)).not.toBe(id(salt1));
    expect(visitorId(salt1, 7, "203.0.113.7", IPHONE_UA)).not.toBe(id(salt1));
  });

  it("come from one salt per day that every isolate agrees on", async () => {
    const d = day + 10 * DAY;
    const first = await dailySalt(db(), d);
    forgetCachedSalts(); // another isolate: reads what the first one created
    expect(await dailySalt(db(), d)).toBe(first);
    // Racing isolates: INSERT OR IGNORE lets exactly one salt win, and all read it back.
    const d2 = d + DAY;
    forgetCachedSalts();
    const raced = await Promise.all([1, 2, 3, 4].map(async () => dailySalt(db(), d2)));
    expect(new Set(raced).size).toBe(1);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM visit_salts WHERE day = ?").bind(d2).first<{ n: number }>();
    expect(rows!.n).toBe(1);
  });

  it("are cleaned up by the first cron run of each hour only", async () => {
    const spy = vi.spyOn(console, "log").mockImplementation(() => {});
    const old = Date.UTC(2026, 0, 1);
    await dailySalt(db(), old);
    await scheduledVisitorCleanup(env, Date.UTC(2026, 6, 1, 12, 35));
    expect(await env.DB.prepare("SELECT 1 FROM visit_salts WHERE day = ?").bind(old).first()).not.toBeNull();
    await scheduledVisitorCleanup(env, Date.UTC(2026, 6, 1, 13, 0, 12));
    expect(await env.DB.prepare("SELECT 1 FROM visit_salts WHERE day = ?").bind(old).first()).toBeNull();
    spy.mockRestore();
  });

  it("lose their salts after two days, and the per-day visitor sets (goals' too) a day later", async () => {
    const now = Date.UTC(2026, 6, 10, 12);
    const today = Date.UTC(2026, 6, 10);
    for (const d of [today - 3 * DAY, today - 2 * DAY, today - DAY, today]) await dailySalt(db(), d);
    const [user] = await insertUsers(1, "prune");
    const site = (await env.DB.prepare("INSERT INTO sites (user_id, name, base_url, created_at) VALUES (?, 's', 'https://prune.example', 0) RETURNING id")
      .bind(user!.id)
      .first<{ id: number }>())!;
    const goal = (await env.DB.prepare("INSERT INTO site_goals (site_id, kind, value, created_at, rollup_from) VALUES (?, 'event', 'x', 0, 0) RETURNING id")
      .bind(site.id)
      .first<{ id: number }>())!;
    for (const d of [today - 3 * DAY, today - 2 * DAY, today - DAY]) {
      await env.DB.prepare("INSERT INTO visitor_days (site_id, day, visitor) VALUES (?, ?, 'v')").bind(site.id, d).run();
      await env.DB.prepare("INSERT INTO goal_visitor_days (goal_id, day, visitor, first_ts, last_ts) VALUES (?, ?, 'v', ?, ?)").bind(goal.id, d, d, d).run();
    }
    await pruneVisitorData(db(), now);
    const goalDays = await env.DB.prepare("SELECT day FROM goal_visitor_days WHERE goal_id = ? ORDER BY day").bind(goal.id).all<{ day: number }>();
    expect(goalDays.results.map((r) => r.day)).toEqual([today - 2 * DAY, today - DAY]);
    const { results } = await env.DB.prepare("SELECT day FROM visit_salts WHERE day BETWEEN ? AND ? ORDER BY day")
      .bind(today - 3 * DAY, today)
      .all<{ day: number }>();
    expect(results.map((r) => r.day)).toEqual([today - DAY, today]);
    const days = await env.DB.prepare("SELECT day FROM visitor_days WHERE site_id = ? ORDER BY day").bind(site.id).all<{ day: number }>();
    expect(days.results.map((r) => r.day)).toEqual([today - 2 * DAY, today - DAY]);
  });
});
