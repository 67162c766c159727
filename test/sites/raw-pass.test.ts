// The raw pass of a filtered report (queries.ts, filteredReport: the filter sets the segment rollups cannot
// answer, two filters among them) against a plain-JS reading of the same visits: series, previous series,
// every top list with entry and exit pages, and visits and bounces per day. The period starts at a local
// midnight that is not a UTC one (Asia/Kolkata, UTC+5:30), so one UTC day holds hits of both periods: each
// period counts a visitor's first matching hit of that day on its own, while a visit is one per UTC day.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DAY } from "../../src/config";
import { getDb } from "../../src/db";
import type { VisitMessage } from "../../src/db/visit-fields";
import { type Filter, parseFilters } from "../../src/features/sites/filters";
import { ingestVisits } from "../../src/features/sites/ingest";
import { reportRows } from "../../src/features/sites/queries";
import { segmentOf } from "../../src/features/sites/segments";
import { dimOf, insertedSite, matches, PEOPLE, seededRandom, visit, weekQuery } from "./helpers";

const HOUR = 3_600_000;
const TOP_N = 100; // every value, so no tie at the cut decides what is shown

function filters(...raw: string[]): Filter[] {
  const parsed = parseFilters(raw);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.filters;
}

/** The report's top-list dimensions (those the fixture's visits have values of). */
const TOP_DIMS: Filter["dim"][] = ["page", "referrer", "country", "browser", "os", "device", "event", "utm_source", "utm_medium"];

const count = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);

/** What the report must say, computed from the hits alone (hit times are distinct, so time order is total). */
function expected(hits: VisitMessage[], fs: Filter[], q: { from: number; to: number; edges: number[]; previousEdges: number[] }) {
  const m = hits.filter((v) => v.ts >= q.previousEdges[0]! && v.ts < q.to && fs.every((f) => matches(v, f))).sort((a, b) => a.ts - b.ts);
  const cur = (v: VisitMessage) => v.ts >= q.from;
  const dayOf = (v: VisitMessage) => v.ts - (v.ts % DAY);
  const seen = new Set<string>();
  const isNew = new Map<VisitMessage, boolean>();
  for (const v of m) {
    const key = `${cur(v)}|${dayOf(v)}|${v.visitor}`;
    isNew.set(v, !seen.has(key));
    seen.add(key);
  }
  const series = (edges: number[]) =>
    edges.slice(0, -1).flatMap((t, i) => {
      const inBucket = m.filter((v) => v.ts >= t && v.ts < edges[i + 1]!);
      if (!inBucket.length) return [];
      return [[t, inBucket.filter((v) => v.event === "pageview").length, inBucket.filter((v) => isNew.get(v)).length]];
    });
  const tops: string[] = [];
  const list = (dim: string, counts: Map<string, number>) => {
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    for (const [value, n] of counts) tops.push(`${dim}|${value}|${n}|${total}`);
  };
  for (const dim of TOP_DIMS) {
    const counts = new Map<string, number>();
    for (const v of m.filter(cur)) {
      const counted = dim === "page" ? v.event === "pageview" : dim === "event" ? true : isNew.get(v);
      const value = dimOf(v, dim);
      if (counted && value !== null) count(counts, value);
    }
    list(dim, counts);
  }
  // Visits: a visitor's pageviews of a UTC day; entry and exit pages within the current period only.
  const visits = (rows: VisitMessage[]) => {
    const byVisit = new Map<string, VisitMessage[]>();
    for (const v of rows.filter((r) => r.event === "pageview"))
      byVisit.set(`${dayOf(v)}|${v.visitor}`, [...(byVisit.get(`${dayOf(v)}|${v.visitor}`) ?? []), v]);
    return [...byVisit.values()];
  };
  const entry = new Map<string, number>();
  const exit = new Map<string, number>();
  for (const pvs of visits(m.filter(cur))) {
    count(entry, pvs[0]!.path);
    count(exit, pvs[pvs.length - 1]!.path);
  }
  list("entry", entry);
  list("exit", exit);
  const sessions = new Map<number, [number, number]>();
  for (const pvs of visits(m)) {
    const [n, bounces] = sessions.get(dayOf(pvs[0]!)) ?? [0, 0];
    sessions.set(dayOf(pvs[0]!), [n + 1, bounces + (pvs.length === 1 ? 1 : 0)]);
  }
  return {
    series: series(q.edges),
    previous: series(q.previousEdges),
    tops: tops.sort(),
    sessions: [...sessions].sort((a, b) => a[0] - b[0]).map(([day, [n, bounces]]) => [day, n, bounces]),
  };
}

describe("the raw pass of a filtered report", () => {
  it("counts what a plain reading of the matching visits counts, for two filters and other non-segment sets", async () => {
    const { ownerId, siteId } = await insertedSite("rawpass");
    const today = Date.now() - (Date.now() % DAY);
    const rand = seededRandom(11);
    const people = PEOPLE;
    const times = new Set<number>();
    const all: VisitMessage[] = Array.from({ length: 500 }, (_, i) => {
      let ts = today - rand(16) * DAY + rand(24) * HOUR + rand(HOUR);
      while (times.has(ts)) ts += 1;
      times.add(ts);
      return visit(siteId, {
        uid: `raw-${i}-${rand(1e9)}`,
        ...people[rand(people.length)]!,
        ts,
        path: ["/", "/blog", "/blog/a", "/pricing", "/docs/blog-notes"][rand(5)]!,
        referrerHost: rand(3) ? null : ["news.example", "search.example"][rand(2)]!,
        event: rand(8) ? "pageview" : ["signup", "download"][rand(2)]!,
        utmSource: rand(4) ? null : "newsletter",
        utmMedium: rand(5) ? null : "email",
      });
    });
    // Visitors whose UTC day spans the period's start: a hit just before it (previous period), one just after.
    const from = today - 6 * DAY - 5.5 * HOUR;
    for (let i = 0; i < 6; i++) {
      for (const [ts, path] of [
        [from - HOUR - i * 1000, "/blog"],
        [from + HOUR + i * 1000, i % 2 ? "/blog/a" : "/pricing"],
      ] as const) {
        all.push(visit(siteId, { uid: `raw-edge-${i}-${ts}`, ...people[i]!, ts, path }));
      }
    }
    all.sort((a, b) => a.ts - b.ts);
    for (let i = 0; i < all.length; i += 41) await ingestVisits(env.DB, all.slice(i, i + 41));

    // Seven local days in Asia/Kolkata (`from` above): each starts at 18:30 UTC of the day before.
    const days = { dimsFrom: today - 7 * DAY, dimsTo: today + DAY, sessionsFrom: today - 14 * DAY, topN: TOP_N };
    const query = (f: Filter[]) => weekQuery({ siteId, ownerId }, from, days, f);
    const db = getDb(env.DB);
    const SETS = [
      ["country:is:DE", "page:contains:/blog"],
      ["browser:is:Firefox", "os:is:Linux"], // two segment fields that are not a kept pair
      ["page:is:/blog"],
      ["page:contains:blog"],
      ["referrer:is:news.example"],
      ["country:is_not:DE"],
      ["event:is:signup"],
      ["utm_source:is:newsletter", "device:is:mobile"],
    ];
    for (const raw of SETS) {
      const fs = filters(...raw);
      expect(segmentOf(fs), raw.join(" + ")).toBeNull();
      const q = query(fs);
      const r = await reportRows(db, q);
      const got = {
        series: r.series.map((p) => [Number(p.t), Number(p.pageviews), Number(p.visitors)]),
        previous: r.previous.map((p) => [Number(p.t), Number(p.pageviews), Number(p.visitors)]),
        tops: r.tops.map((t) => `${t.dim}|${t.value}|${t.n}|${t.total}`).sort(),
        sessions: r.sessions.map((d) => [Number(d.day), Number(d.visits), Number(d.bounces)]),
      };
      const want = expected(all, fs, q);
      expect(got, raw.join(" + ")).toEqual(want);
      expect(want.tops.length, raw.join(" + ")).toBeGreaterThan(0);
    }
  });
});
