// The goals' rollup (goal_hourly): the unfiltered report's goals equal the raw visits' count in every zone
// and period, whether the visits came before the goal (its backfill) or after (the consumer, in any order);
// a rebuild gives the same rows; deleting a goal deletes its rows; a period older than the backfill is
// counted from raw visits; and the report reads about as many rows with goals as without.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DAY } from "../../src/config";
import type { VisitMessage } from "../../src/db/visit-fields";
import { GOAL_BACKFILL_DAYS } from "../../src/features/sites/goal-rollup";
import { ingestVisits, rebuildRollupStatements } from "../../src/features/sites/ingest";
import { d1Queries, d1RowsRead } from "../helpers/http";
import { goalRows, goalTable } from "./goal-fixtures";
import { hexId, ownerWithSite, store, visit } from "./helpers";

const MINUTE = 60_000;
const GOALS_BEFORE = [
  { kind: "event", value: "signup" },
  { kind: "page", value: "/pricing" },
  { kind: "page", value: "/blog/*" },
];
const GOALS_AFTER = [
  { kind: "page", value: "/*" },
  { kind: "event", value: "buy" },
];
const PATHS = ["/", "/pricing", "/blog/a", "/blog/b", "/about"];
const EVENTS = ["pageview", "pageview", "pageview", "signup", "buy"];
// Minutes into a UTC day, around the local midnights of the zones below (New York 04:00/05:00, Kolkata 18:30,
// Kathmandu 18:15 UTC) so that one visitor's UTC day converts on both sides of a local midnight.
const MINUTES = [5, 4 * 60 + 10, 5 * 60 + 20, 12 * 60, 18 * 60 + 10, 18 * 60 + 20, 18 * 60 + 40, 23 * 60 + 50];

/** Four UTC days of visits up to a minute ago: 8 visitors, a deterministic mix of paths, events and times. */
function fixture(siteId: number, now: number): VisitMessage[] {
  const today = now - (now % DAY);
  const out: VisitMessage[] = [];
  let n = 7;
  const next = (m: number) => {
    n = (n * 1103515245 + 12345) % 2147483648;
    return n % m;
  };
  for (let d = 3; d >= 0; d--) {
    for (let i = 0; i < 60; i++) {
      const ts = today - d * DAY + MINUTES[next(MINUTES.length)]! * MINUTE + next(600) * 1000;
      if (ts > now - MINUTE) continue;
      out.push(visit(siteId, { ts, visitor: hexId(1 + next(8)), path: PATHS[next(PATHS.length)]!, event: EVENTS[next(EVENTS.length)]! }));
    }
  }
  return out;
}

/** The goals panel as [goal, converting visitors, conversions] (the rate's total differs between the two paths). */
const goalNumbers = async (res: Response) => goalTable(await res.text()).map((r) => r.slice(0, 3));

async function addGoals(client: { post: (p: string, b: Record<string, string>) => Promise<Response> }, siteId: number, goals: Record<string, string>[]) {
  for (const g of goals) expect((await client.post(`/sites/${siteId}/goals`, g)).status).toBe(303);
}

const rollupRows = async (siteId: number) =>
  (
    await env.DB.prepare(
      `SELECT h.goal_id, h.hour, h.conversions, h.first_visitors, h.last_visitors FROM goal_hourly h JOIN site_goals g ON g.id = h.goal_id
       WHERE g.site_id = ? AND (h.conversions != 0 OR h.first_visitors != 0 OR h.last_visitors != 0) ORDER BY 1, 2`,
    )
      .bind(siteId)
      .all()
  ).results;

describe("goals from their rollup", () => {
  it("equal the raw visits' count in every zone and period, for visits before the goal (backfill) and after (consumer, out of order)", async () => {
    const { u, site } = await ownerWithSite("grollup");
    const now = Date.now();
    const visits = fixture(site.id, now);
    const half = Math.floor(visits.length / 2);
    await store(visits.slice(0, half));
    await addGoals(u.client, site.id, GOALS_BEFORE);
    // The rest in small batches, newest first: first and last conversions move back as earlier hits arrive.
    const rest = visits.slice(half).reverse();
    for (let i = 0; i < rest.length; i += 7) await ingestVisits(env.DB, rest.slice(i, i + 7));
    await addGoals(u.client, site.id, GOALS_AFTER);
    const dates = [0, 1, 2, 3].map((d) => new Date(now - d * DAY).toISOString().slice(0, 10));
    let converting = 0;
    for (const zone of ["UTC", "Asia/Kathmandu", "America/New_York", "Asia/Kolkata"]) {
      expect((await u.client.post(`/sites/${site.id}/time-zone`, { time_zone: zone })).status).toBe(303);
      const periods = ["period=today", "period=7d", ...dates.slice(1).map((d) => `from=${d}&to=${d}`), `from=${dates[2]}&to=${dates[1]}`];
      for (const period of periods) {
        const rollup = await goalNumbers(await u.client.get(`/sites/${site.id}?${period}`));
        // Every visit's path contains "/": the same visits, counted from raw rows by the filtered statement.
        const raw = await goalNumbers(await u.client.get(`/sites/${site.id}?${period}&f=page:contains:/`));
        expect(rollup, `${zone} ${period}`).toEqual(raw);
        expect(rollup).toHaveLength(5);
        converting += rollup.reduce((s, r) => s + Number(r[1]), 0);
      }
    }
    expect(converting).toBeGreaterThan(100);
    // A rebuild from raw visits (what the seed runs) gives the consumer's rows, moved firsts and lasts included.
    const consumed = await rollupRows(site.id);
    await env.DB.batch(rebuildRollupStatements(env.DB, site.id, now - (now % DAY) - 2 * DAY));
    expect(await rollupRows(site.id)).toEqual(consumed);
  }, 120_000);

  it("deletes a goal's rows with the goal, and keeps the other goals'", async () => {
    const { u, site } = await ownerWithSite("grdel");
    await store(fixture(site.id, Date.now()));
    await addGoals(u.client, site.id, GOALS_BEFORE);
    const [signup, pricing] = await goalRows(site.id);
    const countOf = async (table: string, goalId: number) =>
      (await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE goal_id = ?`).bind(goalId).first<{ n: number }>())!.n;
    expect(await countOf("goal_hourly", signup!.id)).toBeGreaterThan(0);
    expect(await countOf("goal_visitor_days", signup!.id)).toBeGreaterThan(0);
    expect((await u.client.post(`/sites/${site.id}/goals/${signup!.id}/delete`)).status).toBe(303);
    expect(await countOf("goal_hourly", signup!.id)).toBe(0);
    expect(await countOf("goal_visitor_days", signup!.id)).toBe(0);
    expect(await countOf("goal_hourly", pricing!.id)).toBeGreaterThan(0);
    // Adding it again backfills it again, to the same numbers.
    const before = await goalNumbers(await u.client.get(`/sites/${site.id}?period=7d`));
    await addGoals(u.client, site.id, [GOALS_BEFORE[0]!]);
    const after = await goalNumbers(await u.client.get(`/sites/${site.id}?period=7d`));
    expect(after.slice(0, 2)).toEqual(before);
    expect(after[2]).toEqual(await goalNumbers(await u.client.get(`/sites/${site.id}?period=7d&f=page:contains:/`)).then((r) => r[2]));
  });

  it("counts a period older than the goal's backfill from raw visits", async () => {
    const { u, site } = await ownerWithSite("grold");
    const old = Date.now() - (Date.now() % DAY) - (GOAL_BACKFILL_DAYS + 10) * DAY;
    await store([
      visit(site.id, { ts: old + 3_600_000, visitor: hexId(1), event: "signup" }),
      visit(site.id, { ts: old + 7_200_000, visitor: hexId(1), event: "signup" }),
      visit(site.id, { ts: old + 7_200_000, visitor: hexId(2), event: "signup" }),
    ]);
    await addGoals(u.client, site.id, [GOALS_BEFORE[0]!]);
    const date = new Date(old).toISOString().slice(0, 10);
    expect(await goalNumbers(await u.client.get(`/sites/${site.id}?from=${date}&to=${date}`))).toEqual([["Event signup", "2", "3"]]);
  });

  it("reads about as many rows with goals as without, in the same 2 round trips; a filtered report still scans", async () => {
    const { u, site } = await ownerWithSite("grrows");
    const y = Date.now() - (Date.now() % DAY) - DAY;
    await store(Array.from({ length: 600 }, (_, i) => visit(site.id, { ts: y + i * 60_000, path: `/p${i % 7}`, visitor: hexId(i % 50) })));
    const without = await u.client.get(`/sites/${site.id}?period=30d`);
    await addGoals(u.client, site.id, [
      { kind: "page", value: "/p1" },
      { kind: "page", value: "/p*" },
      { kind: "event", value: "signup" },
    ]);
    const withGoals = await u.client.get(`/sites/${site.id}?period=30d`);
    expect(d1Queries(withGoals)).toBe(2);
    // Per goal, its quarter hours with conversions (600 minutes: 40 each), about two rows read per bucket for
    // the range and the grouping, never the 600 visits.
    expect(d1RowsRead(withGoals) - d1RowsRead(without)).toBeLessThan(3 * 40);
    // Twice the visits in the same quarter hours: the same rollup rows, the same rows read.
    await store(Array.from({ length: 600 }, (_, i) => visit(site.id, { ts: y + i * 60_000 + 1000, path: `/p${i % 7}`, visitor: hexId(i % 50) })));
    expect(d1RowsRead(await u.client.get(`/sites/${site.id}?period=30d`))).toBe(d1RowsRead(withGoals));
    const filtered = await u.client.get(`/sites/${site.id}?period=30d&f=page:contains:/p`);
    expect(d1Queries(filtered)).toBe(2);
    expect(d1RowsRead(filtered)).toBeGreaterThan(600);
  });
});
