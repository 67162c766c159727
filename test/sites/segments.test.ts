// Segment rollups (src/features/sites/segments.ts): which filter sets they answer, and that what they answer
// equals what the one raw pass computes from the same visits — series, previous series, top lists with entry
// and exit pages, visits and bounces — for each segment dimension and each pair of them kept as a segment
// (two `is` filters), after random batches that split visits; `is_not` and `contains` keep the raw pass.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DAY } from "../../src/config";
import { getDb } from "../../src/db";
import type { VisitMessage } from "../../src/db/visit-fields";
import { type Filter, parseFilters } from "../../src/features/sites/filters";
import { ingestVisits } from "../../src/features/sites/ingest";
import { reportRows } from "../../src/features/sites/queries";
import { segmentOf } from "../../src/features/sites/segments";
import { d1Queries, d1RowsRead } from "../helpers/http";
import { hexId, insertedSite, ownerWithSite, PEOPLE, seededRandom, store, visit, weekQuery } from "./helpers";

const HOUR = 3_600_000;

function filters(...raw: string[]): Filter[] {
  const parsed = parseFilters(raw);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.filters;
}

describe("segment rollups", () => {
  const CASES: [filters: string[], segment: string | null][] = [
    [["country:is:DE"], "country=DE"],
    [["country:is:"], "country="],
    [["browser:is:Firefox"], "browser=Firefox"],
    [["os:is:iOS"], "os=iOS"],
    [["device:is:mobile"], "device=mobile"],
    // Not a segment: other operators, hit-level fields, high-cardinality fields, two filters.
    [["country:is_not:DE"], null],
    [["page:is:/"], null],
    [["referrer:is:news.example"], null],
    [["event:is:signup"], null],
    [["utm_source:is:newsletter"], null],
    [["city:is:Berlin"], null],
    [["region:is:Berlin"], null],
    // Two `is` filters on a kept pair (country with browser, OS or device), in either order.
    [["country:is:DE", "browser:is:Firefox"], 'country+browser=["DE","Firefox"]'],
    [["os:is:iOS", "country:is:DE"], 'country+os=["DE","iOS"]'],
    [["device:is:mobile", "country:is:"], 'country+device=["","mobile"]'],
    // Not a segment: a pair not kept, the same field twice, another operator or field beside one, three filters.
    [["browser:is:Firefox", "os:is:iOS"], null],
    [["country:is:DE", "country:is:FR"], null],
    [["country:is:DE", "device:is_not:mobile"], null],
    [["country:is_not:DE", "device:is:mobile"], null],
    [["country:is:DE", "page:contains:/blog"], null],
    [["country:is:DE", "page:is:/blog"], null],
    [["country:is:DE", "device:is:mobile", "os:is:iOS"], null],
    [[], null],
  ];
  it.each(CASES)("%j → %s", (raw, want) => {
    const s = segmentOf(filters(...raw));
    expect(s ? `${s.fdim}=${s.fvalue}` : null).toBe(want);
  });

  it("give the same report as the raw pass over the same visits, for every segment dimension and pair", async () => {
    const { ownerId, siteId } = await insertedSite("segments");
    const today = Date.now() - (Date.now() % DAY);
    const rand = seededRandom(7);
    const people = PEOPLE;
    const all: VisitMessage[] = Array.from({ length: 400 }, (_, i) =>
      visit(siteId, {
        uid: `seg-${i}-${rand(1e9)}`,
        ...people[rand(people.length)]!,
        ts: today - rand(10) * DAY + rand(20) * HOUR + rand(HOUR),
        path: ["/", "/blog", "/blog/a", "/pricing"][rand(4)]!,
        referrerHost: rand(3) ? null : "news.example",
        event: rand(10) ? "pageview" : "signup",
      }),
    );
    all.sort((a, b) => a.ts - b.ts || (a.uid < b.uid ? -1 : 1));
    for (let i = 0; i < all.length; i += 37) await ingestVisits(env.DB, all.slice(i, i + 37));

    const from = today - 6 * DAY;
    const query = (f: Filter[]) => weekQuery({ siteId, ownerId }, from, { dimsFrom: from, dimsTo: today + DAY, sessionsFrom: from - 7 * DAY, topN: 10 }, f);
    const db = getDb(env.DB);
    const comparable = (r: Awaited<ReturnType<typeof reportRows>>) => ({
      series: r.series.map((p) => [Number(p.t), Number(p.pageviews), Number(p.visitors)]),
      previous: r.previous.map((p) => [Number(p.t), Number(p.pageviews), Number(p.visitors)]),
      tops: r.tops.map((t) => `${t.dim}|${t.value}|${t.n}|${t.total}`).sort(),
      sessions: r.sessions.filter((d) => Number(d.visits) > 0).map((d) => [Number(d.day), Number(d.visits), Number(d.bounces)]),
    });
    const sets = [
      ["country:is:DE"],
      ["country:is:"],
      ["browser:is:Firefox"],
      ["os:is:iOS"],
      ["device:is:mobile"],
      ["country:is:DE", "os:is:iOS"],
      ["device:is:mobile", "country:is:"],
      ["country:is:FR", "browser:is:Chrome"],
    ];
    for (const set of sets) {
      const f = set.join(" + ");
      expect(segmentOf(filters(...set)), f).not.toBeNull();
      const rollup = await reportRows(db, query(filters(...set)));
      // The same condition plus one that removes nothing: not a segment, so it takes the raw pass.
      const raw = await reportRows(db, query(filters(...set, "page:is_not:/nowhere")));
      expect(comparable(rollup), f).toEqual(comparable(raw));
      expect(rollup.series.length, f).toBeGreaterThan(0);
      expect(
        rollup.tops.some((t) => t.dim === "entry"),
        f,
      ).toBe(true);
    }
  });

  it("leave `is_not` and `contains` beside a pair's filter to the raw pass, which counts exactly those visits", async () => {
    const { ownerId, siteId } = await insertedSite("segment-raw");
    const today = Date.now() - (Date.now() % DAY);
    const [de, fr] = [PEOPLE[0]!, PEOPLE[1]!]; // DE on desktop, FR on mobile
    const at = (h: number) => today - DAY + h * HOUR;
    await ingestVisits(env.DB, [
      visit(siteId, { uid: "sr-1", ...de, ts: at(1), path: "/blog/a" }),
      visit(siteId, { uid: "sr-2", ...de, ts: at(2), path: "/pricing" }),
      visit(siteId, { uid: "sr-3", ...fr, ts: at(3), path: "/blog/b" }),
    ]);
    const from = today - 6 * DAY;
    const query = (f: Filter[]) => weekQuery({ siteId, ownerId }, from, { dimsFrom: from, dimsTo: today + DAY, sessionsFrom: from - 7 * DAY, topN: 10 }, f);
    const db = getDb(env.DB);
    const pages = async (...raw: string[]) => {
      expect(segmentOf(filters(...raw)), raw.join(" + ")).toBeNull();
      const r = await reportRows(db, query(filters(...raw)));
      return r.tops.filter((t) => t.dim === "page").map((t) => `${t.value}:${t.n}`);
    };
    expect(await pages("country:is:DE", "page:contains:/blog")).toEqual(["/blog/a:1"]);
    expect(await pages("country:is:DE", "device:is_not:desktop")).toEqual([]);
    expect(await pages("country:is_not:DE", "device:is:mobile")).toEqual(["/blog/b:1"]);
  });

  it("read a pair's rollups, not its visits: rows read stay near the unfiltered report's while the raw pass reads every match", async () => {
    const { u, site } = await ownerWithSite("segcost");
    const today = Date.now() - (Date.now() % DAY);
    await store(
      Array.from({ length: 1500 }, (_, i) =>
        visit(site.id, {
          ts: today - (i % 6) * DAY + (i % 20) * HOUR,
          visitor: hexId(i % 50),
          path: `/p${i % 5}`,
          country: "DE",
          device: "mobile",
        }),
      ),
    );
    const read = async (...f: string[]) => {
      const res = await u.client.get(`/sites/${site.id}?period=7d${f.map((x) => `&f=${encodeURIComponent(x)}`).join("")}`);
      expect(res.status, f.join(" + ")).toBe(200);
      expect(d1Queries(res), f.join(" + ")).toBe(2);
      return d1RowsRead(res);
    };
    const unfiltered = await read();
    const pair = await read("country:is:DE", "device:is:mobile");
    const raw = await read("country:is:DE", "device:is:mobile", "page:is_not:/nowhere");
    // Every visit is German and on mobile, so the pair's rollups are as large as the site's.
    expect(pair).toBeLessThan(unfiltered * 1.2);
    expect(pair).toBeLessThan(1500);
    expect(raw).toBeGreaterThan(1500);
  });
});
