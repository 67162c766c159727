// The visits consumer against real D1: rollups equal what the raw visits say after random batches in random
// order, and stay equal when batches are delivered again; each message is acked or retried on its own; one
// D1 round trip per batch; visits of deleted sites and malformed messages are dropped.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createRandom } from "../../scripts/lib/fake-content.mjs";
import { DAY } from "../../src/config";
import { instrumentD1, newDbStats } from "../../src/db";
import type { VisitMessage } from "../../src/db/visit-fields";
import { handleVisitsBatch, retryDelaySeconds, VISITS_QUEUE_NAME } from "../../src/features/sites/consumer";
import { rebuildRollupStatements } from "../../src/features/sites/ingest";
import worker from "../../src/index";
import { insertUsers } from "../helpers/accounts";
import { quietConsole } from "../helpers/console";
import { hexId, visit } from "./helpers";

const HOUR = 3_600_000;
/** visit_hourly's bucket (a quarter hour: see db/schema.ts). */
const QUARTER = 900_000;

quietConsole();

let msgSeq = 0;
function messages(visits: unknown[], attempts = 1) {
  return visits.map((body) => {
    msgSeq += 1;
    return { id: `m${msgSeq}`, timestamp: new Date(), attempts, body };
  });
}

async function consume(visits: unknown[], runEnv: Env = env, attempts = 1) {
  const batch = createMessageBatch(VISITS_QUEUE_NAME, messages(visits, attempts) as never);
  const ctx = createExecutionContext();
  await handleVisitsBatch(batch, runEnv);
  return getQueueResult(batch, ctx);
}

async function newSites(n: number): Promise<number[]> {
  const [owner] = await insertUsers(1, "rollup");
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = await env.DB.prepare("INSERT INTO sites (user_id, name, base_url, created_at) VALUES (?, ?, ?, ?) RETURNING id")
      .bind(owner!.id, `site ${i}`, `https://r${i}-${Math.random().toString(36).slice(2)}.example`, Date.now())
      .first<{ id: number }>();
    ids.push(row!.id);
  }
  return ids;
}

type Snapshot = Record<string, unknown[]>;

/** Every rollup of the given sites, in a stable order. */
async function rollups(siteIds: number[]): Promise<Snapshot> {
  const ids = siteIds.join(",");
  const q = async (sql: string) => (await env.DB.prepare(sql).all()).results;
  return {
    hourly: await q(`SELECT site_id, hour, pageviews, visitors FROM visit_hourly WHERE site_id IN (${ids}) ORDER BY 1, 2`),
    // A moved exit page or an undone bounce can leave a row at 0, which the reports skip.
    dims: await q(`SELECT site_id, dim, day, value, n FROM visit_dims WHERE site_id IN (${ids}) AND n <> 0 ORDER BY 1, 2, 3, 4`),
    visitorDays: await q(`SELECT site_id, day, visitor, pageviews, exit_path, exit_ts FROM visitor_days WHERE site_id IN (${ids}) ORDER BY 1, 2, 3`),
    // Per segment (country, browser, os, device, and country with each of the others: features/sites/segments.ts).
    hourlyBy: await q(`SELECT site_id, fdim, fvalue, hour, pageviews, visitors FROM visit_hourly_by WHERE site_id IN (${ids}) ORDER BY 1, 2, 3, 4`),
    pairs: await q(`SELECT site_id, fdim, fvalue, dim, day, value, n FROM visit_pairs WHERE site_id IN (${ids}) AND n <> 0 ORDER BY 1, 2, 3, 4, 5, 6`),
    visits: await q(`SELECT count(*) AS n FROM visits WHERE site_id IN (${ids})`),
  };
}

/** What the rollups must say, computed from the raw visits alone. */
async function expectedFromRaw(siteIds: number[]) {
  const ids = siteIds.join(",");
  const q = async (sql: string) => (await env.DB.prepare(sql).all()).results;
  const day = `ts - ts % ${DAY}`;
  return {
    pageviewsByHour: await q(
      `SELECT site_id, ts - ts % ${QUARTER} AS hour, count(*) AS n FROM visits WHERE site_id IN (${ids}) AND event = 'pageview' GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
    visitorsByDay: await q(`SELECT site_id, ${day} AS day, count(DISTINCT visitor) AS n FROM visits WHERE site_id IN (${ids}) GROUP BY 1, 2 ORDER BY 1, 2`),
    dims: await q(`SELECT site_id, dim, day, value, n FROM (
        SELECT site_id, 'page' AS dim, ${day} AS day, path AS value, count(*) AS n FROM visits WHERE event = 'pageview' GROUP BY 1, 2, 3, 4
        UNION ALL SELECT site_id, 'event', ${day}, event, count(*) FROM visits GROUP BY 1, 2, 3, 4
        UNION ALL SELECT site_id, 'browser', ${day}, browser, count(DISTINCT visitor) FROM visits GROUP BY 1, 2, 3, 4
        UNION ALL SELECT site_id, 'os', ${day}, os, count(DISTINCT visitor) FROM visits GROUP BY 1, 2, 3, 4
        UNION ALL SELECT site_id, 'device', ${day}, device, count(DISTINCT visitor) FROM visits GROUP BY 1, 2, 3, 4
      ) WHERE site_id IN (${ids}) ORDER BY 1, 2, 3, 4`),
    // Per segment: German visitors' pageviews per page, and every country's visitors per browser.
    germanPages: await q(
      `SELECT site_id, ${day} AS day, path AS value, count(*) AS n FROM visits WHERE site_id IN (${ids}) AND country = 'DE' AND event = 'pageview' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    ),
    browsersByCountry: await q(
      `SELECT site_id, coalesce(country, '') AS fvalue, ${day} AS day, browser AS value, count(DISTINCT visitor) AS n FROM visits WHERE site_id IN (${ids}) GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    ),
    // Per pair segment: every (country, device)'s visitors per browser.
    browsersByCountryDevice: await q(
      `SELECT site_id, json_array(coalesce(country, ''), device) AS fvalue, ${day} AS day, browser AS value, count(DISTINCT visitor) AS n
        FROM visits WHERE site_id IN (${ids}) GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    ),
    pageviewsBySegment: await q(`SELECT site_id, g.value AS fdim, CASE g.value WHEN 'country' THEN coalesce(country, '') WHEN 'browser' THEN browser
        WHEN 'os' THEN os WHEN 'device' THEN device WHEN 'country+browser' THEN json_array(coalesce(country, ''), browser)
        WHEN 'country+os' THEN json_array(coalesce(country, ''), os) ELSE json_array(coalesce(country, ''), device) END AS fvalue, sum(event = 'pageview') AS n
      FROM visits JOIN json_each('["browser","country","device","os","country+browser","country+os","country+device"]') g
      WHERE site_id IN (${ids}) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`),
    extraDims: await q(`SELECT site_id, dim, day, value, n FROM (
        SELECT site_id, 'country' AS dim, ${day} AS day, coalesce(country, '') AS value, count(DISTINCT visitor) AS n FROM visits GROUP BY 1, 2, 3, 4
        UNION ALL SELECT site_id, 'referrer', ${day}, referrer_host, count(DISTINCT visitor) FROM visits WHERE referrer_host IS NOT NULL GROUP BY 1, 2, 3, 4
      ) WHERE site_id IN (${ids}) ORDER BY 1, 2, 3, 4`),
  };
}

/** `fixedReferrers`: each visitor has one referrer (or none), so the referrer list can be checked from raw rows. */
async function expectRollupsMatchRaw(siteIds: number[], fixedReferrers = true) {
  const got = await rollups(siteIds);
  const want = await expectedFromRaw(siteIds);
  type H = { site_id: number; hour: number; pageviews: number; visitors: number };
  const hourly = got.hourly as H[];
  expect(hourly.filter((h) => h.pageviews > 0).map((h) => ({ site_id: h.site_id, hour: h.hour, n: h.pageviews }))).toEqual(want.pageviewsByHour);
  const byDay = new Map<string, { site_id: number; day: number; n: number }>();
  for (const h of hourly) {
    const key = `${h.site_id}:${h.hour - (h.hour % DAY)}`;
    const e = byDay.get(key) ?? { site_id: h.site_id, day: h.hour - (h.hour % DAY), n: 0 };
    e.n += h.visitors;
    byDay.set(key, e);
  }
  expect([...byDay.values()].filter((d) => d.n > 0)).toEqual(want.visitorsByDay);
  type D = { site_id: number; dim: string; day: number; value: string; n: number };
  const dims = got.dims as D[];
  const pick = (names: string[]) => dims.filter((d) => names.includes(d.dim));
  expect(pick(["page", "event", "browser", "os", "device"])).toEqual(want.dims);
  const extra = (rows: unknown[]) => (rows as D[]).filter((d) => fixedReferrers || d.dim !== "referrer");
  expect(extra(pick(["country", "referrer"]))).toEqual(extra(want.extraDims));
  type P = { site_id: number; fdim: string; fvalue: string; dim: string; day: number; value: string; n: number };
  const pairs = got.pairs as P[];
  const pairRows = (fdim: string, dim: string, fvalue?: string) =>
    pairs.filter((p) => p.fdim === fdim && p.dim === dim && (fvalue === undefined || p.fvalue === fvalue));
  expect(pairRows("country", "page", "DE").map(({ site_id, day, value, n }) => ({ site_id, day, value, n }))).toEqual(want.germanPages);
  expect(pairRows("country", "browser").map(({ site_id, fvalue, day, value, n }) => ({ site_id, fvalue, day, value, n }))).toEqual(want.browsersByCountry);
  expect(pairRows("country+device", "browser").map(({ site_id, fvalue, day, value, n }) => ({ site_id, fvalue, day, value, n }))).toEqual(
    want.browsersByCountryDevice,
  );
  type HB = { site_id: number; fdim: string; fvalue: string; pageviews: number };
  const bySegment = new Map<string, { site_id: number; fdim: string; fvalue: string; n: number }>();
  for (const h of got.hourlyBy as HB[]) {
    const key = `${h.site_id}|${h.fdim}|${h.fvalue}`;
    const e = bySegment.get(key) ?? { site_id: h.site_id, fdim: h.fdim, fvalue: h.fvalue, n: 0 };
    e.n += h.pageviews;
    bySegment.set(key, e);
  }
  expect([...bySegment.values()]).toEqual(want.pageviewsBySegment);
  const staged = await env.DB.prepare("SELECT count(*) AS n FROM visit_staging").first<{ n: number }>();
  expect(staged!.n).toBe(0);
}

describe("rollups", () => {
  it("equal the raw counts after random batches in random order, and after redelivered batches", async () => {
    const seed = Date.now() % 100_000;
    const r = createRandom(seed);
    const siteIds = await newSites(2);
    const today = Date.now() - (Date.now() % DAY);
    // A visitor id covers one browser on one network (IP and user agent are in the hash), so its browser, OS,
    // device and country never vary; its referrer is fixed here too, which makes "first hit of the day" the
    // same whatever order the hits arrive in.
    const people = Array.from({ length: 40 }, (_, i) => ({
      visitor: hexId(1000 + i),
      browser: r.pick(["Chrome", "Firefox", "Safari", "Edge"]),
      os: r.pick(["Windows", "macOS", "iOS", "Android", "Linux"]),
      device: r.pick(["desktop", "mobile", "tablet"]),
      country: r.pick(["NZ", "DE", "US", null]),
      referrerHost: r.pick([null, null, "news.example", "search.example"]),
    }));
    const all: VisitMessage[] = Array.from({ length: 700 }, () => {
      const p = r.pick(people);
      return visit(r.pick(siteIds), {
        ...p,
        ts: today - r.int(3) * DAY + r.int(DAY),
        path: r.pick(["/", "/about", "/blog/a", "/blog/b", "/pricing", "/=cmd"]),
        event: r.next() < 0.8 ? "pageview" : r.pick(["signup", "click"]),
        region: null,
        city: null,
        latitude: null,
        longitude: null,
      });
    });
    // Random order, random batch sizes (the queue delivers up to 100).
    const shuffled = [...all].sort(() => r.next() - 0.5);
    const batches: VisitMessage[][] = [];
    for (let i = 0; i < shuffled.length; ) {
      const size = 1 + r.int(100);
      batches.push(shuffled.slice(i, i + size));
      i += size;
    }
    // A message delivered twice inside one batch, too.
    batches[0]!.push(batches[0]![0]!);
    for (const b of batches) {
      const result = await consume(b);
      expect(result.explicitAcks.length, `seed ${seed}`).toBe(b.length);
    }
    const rows = await env.DB.prepare(`SELECT count(*) AS n FROM visits WHERE site_id IN (${siteIds.join(",")})`).first<{ n: number }>();
    expect(rows!.n, `seed ${seed}`).toBe(all.length);
    await expectRollupsMatchRaw(siteIds);

    // Redelivery (at-least-once): the same batches again, whole and mixed with new visits.
    const before = await rollups(siteIds);
    for (const b of [batches[1]!, batches[batches.length - 1]!, shuffled.slice(0, 100)]) await consume(b, env, 2);
    expect(await rollups(siteIds)).toEqual(before);
    const fresh = [visit(siteIds[0]!, { ...people[0]!, ts: today + 1000, path: "/new" })];
    await consume([...batches[2]!, ...fresh], env, 2);
    const after = await rollups(siteIds);
    expect((after.visits![0] as { n: number }).n).toBe(all.length + 1);
    await expectRollupsMatchRaw(siteIds);
  });

  it("count a visitor once a day, in the quarter hour of their first hit, across batches", async () => {
    const [site] = await newSites(1);
    const t = Date.now() - (Date.now() % DAY) - DAY + 9 * HOUR; // yesterday 09:00
    const v = { visitor: hexId(77), referrerHost: "first.example" };
    await consume([visit(site!, { ...v, ts: t + 30 * 60_000 }), visit(site!, { ...v, ts: t + 5 * 60_000, referrerHost: null })]);
    await consume([visit(site!, { ...v, ts: t + 3 * HOUR, referrerHost: "later.example" })]);
    const { results } = await env.DB.prepare("SELECT hour, pageviews, visitors FROM visit_hourly WHERE site_id = ? ORDER BY hour").bind(site).all();
    expect(results).toEqual([
      { hour: t, pageviews: 1, visitors: 1 },
      { hour: t + 2 * QUARTER, pageviews: 1, visitors: 0 },
      { hour: t + 3 * HOUR, pageviews: 1, visitors: 0 },
    ]);
    // Their first hit (09:05) had no referrer: the referrer list does not count them.
    const refs = await env.DB.prepare("SELECT count(*) AS n FROM visit_dims WHERE site_id = ? AND dim = 'referrer'").bind(site).first<{ n: number }>();
    expect(refs!.n).toBe(0);
  });

  it("are what a bulk rebuild from the raw visits gives (the seed script's path)", async () => {
    const r = createRandom(42);
    const siteIds = await newSites(2);
    const today = Date.now() - (Date.now() % DAY);
    const all = Array.from({ length: 400 }, (_, i) => {
      const v = r.int(25);
      return visit(r.pick(siteIds), {
        uid: `rebuild-${i}-${r.int(1e9)}`,
        visitor: hexId(5000 + v),
        browser: ["Chrome", "Firefox", "Safari"][v % 3]!,
        country: v % 4 ? "FR" : null,
        referrerHost: r.next() < 0.5 ? null : r.pick(["a.example", "b.example"]),
        ts: today - r.int(4) * DAY + r.int(DAY),
        path: r.pick(["/", "/x", "/y"]),
        event: r.next() < 0.85 ? "pageview" : "signup",
      });
    });
    // In time order, "first hit of the day" is the same hit for both paths, referrer and hour included.
    all.sort((a, b) => a.ts - b.ts || (a.uid < b.uid ? -1 : 1));
    for (let i = 0; i < all.length; ) {
      const size = 1 + r.int(60);
      await consume(all.slice(i, i + size));
      i += size;
    }
    const incremental = await rollups(siteIds);
    for (const id of siteIds) await env.DB.batch(rebuildRollupStatements(env.DB, id, 0));
    expect(await rollups(siteIds)).toEqual(incremental);
    // Referrers vary from hit to hit here: each visitor counts under the referrer of their first hit only.
    await expectRollupsMatchRaw(siteIds, false);
  });

  it("store a batch in ONE D1 round trip, whatever its size", async () => {
    const [site] = await newSites(1);
    const stats = newDbStats();
    const counted = { ...env, DB: instrumentD1(env.DB, stats) } as Env;
    const result = await consume(
      Array.from({ length: 250 }, (_, i) => visit(site!, { visitor: hexId(i % 30), path: `/p${i % 7}` })),
      counted,
    );
    expect(result.explicitAcks).toHaveLength(250);
    expect(stats.queries).toBe(1);
  });
});

describe("consumer messages", () => {
  it("reach this consumer through the Worker's queue() by queue name", async () => {
    const [site] = await newSites(1);
    const batch = createMessageBatch(VISITS_QUEUE_NAME, messages([visit(site!, { path: "/via-worker" })]) as never);
    const ctx = createExecutionContext();
    await worker.queue(batch as never, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(1);
    const row = await env.DB.prepare("SELECT path FROM visits WHERE site_id = ?").bind(site).first<{ path: string }>();
    expect(row!.path).toBe("/via-worker");
  });

  it("acks and drops malformed messages one by one, and stores the rest", async () => {
    const [site] = await newSites(1);
    const good = visit(site!, { path: "/ok" });
    const bad = [
      null,
      "text",
      { ...visit(site!), uid: "x" },
      { ...visit(site!), siteId: "1" },
      { ...visit(site!), visitor: "203.0.113.7" },
      { ...visit(site!), path: "" },
      { ...visit(site!), event: "<script>" },
      { ...visit(site!), latitude: 123 },
    ];
    const result = await consume([good, ...bad]);
    expect(result.explicitAcks).toHaveLength(bad.length + 1);
    expect(result.retryMessages).toHaveLength(0);
    const { results } = await env.DB.prepare("SELECT path FROM visits WHERE site_id = ?").bind(site).all();
    expect(results).toEqual([{ path: "/ok" }]);
  });

  it("drops visits of a site deleted since the hit, without failing the batch", async () => {
    const [kept, gone] = await newSites(2);
    await env.DB.prepare("DELETE FROM sites WHERE id = ?").bind(gone).run();
    const result = await consume([visit(kept!, { path: "/kept" }), visit(gone!, { path: "/gone" })]);
    expect(result.explicitAcks).toHaveLength(2);
    const rows = await env.DB.prepare("SELECT site_id, path FROM visits WHERE site_id IN (?, ?)").bind(kept, gone).all();
    expect(rows.results).toEqual([{ site_id: kept, path: "/kept" }]);
    const dims = await env.DB.prepare("SELECT count(*) AS n FROM visit_dims WHERE site_id = ?").bind(gone).first<{ n: number }>();
    expect(dims!.n).toBe(0);
  });

  it("retries every message with backoff when D1 fails, and writes nothing", async () => {
    const [site] = await newSites(1);
    const failing = {
      ...env,
      DB: new Proxy(env.DB, {
        get(target, prop) {
          if (prop === "batch") return () => Promise.reject(new Error("D1 is unavailable"));
          const value = Reflect.get(target, prop, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      }),
    } as Env;
    const result = await consume([visit(site!), visit(site!)], failing, 3);
    expect(result.explicitAcks).toHaveLength(0);
    expect(result.retryMessages).toHaveLength(2);
    expect(retryDelaySeconds(1)).toBe(10);
    expect(retryDelaySeconds(3)).toBe(40);
    expect(retryDelaySeconds(20)).toBe(300);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM visits WHERE site_id = ?").bind(site).first<{ n: number }>();
    expect(rows!.n).toBe(0);
  });
});
