// Custom properties: roost.track("signup", {props: {plan: "pro"}}). The beacon's checks (clear 400s in the
// {error, message} shape, nothing stored), what is stored and rolled up, the report's Properties breakdown
// (from the rollup, and from raw visits when filtered), the prop:<key>:is:<value> filter, and the CSV.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DAY } from "../../src/config";
import { parseProps } from "../../src/features/sites/beacon";
import { parseFilters } from "../../src/features/sites/filters";
import { rebuildRollupStatements } from "../../src/features/sites/ingest";
import { d1Queries } from "../helpers/http";
import { goalTable } from "./goal-fixtures";
import { beacon, decodeHtml, hexId, ownerWithSite, store, visit, waitForVisits } from "./helpers";

const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { "Content-Type": "text/plain;charset=UTF-8" } });

describe("the beacon's properties", () => {
  it("stores a custom event's properties as a JSON object of strings (numbers and booleans as their text)", async () => {
    const { site } = await ownerWithSite("propok");
    const props = { plan: "pro", seats: 3, trial: false, "ab.variant-2": "B" };
    expect((await beacon(site.id, json({ url: `${site.baseUrl}/signup`, event: "signup", props }))).status).toBe(204);
    expect((await beacon(site.id, json({ url: `${site.baseUrl}/`, event: "signup", props: {} }))).status).toBe(204);
    const rows = await waitForVisits(site.id, 2);
    expect(rows.map((r) => (r.props === null ? null : JSON.parse(String(r.props))))).toEqual([
      { plan: "pro", seats: "3", trial: "false", "ab.variant-2": "B" },
      null,
    ]);
    // Rolled up per key, day and value.
    const dims = await env.DB.prepare("SELECT dim, value, n FROM visit_dims WHERE site_id = ? AND dim LIKE 'prop:%' ORDER BY dim").bind(site.id).all();
    expect(dims.results).toEqual([
      { dim: "prop:ab.variant-2", value: "B", n: 1 },
      { dim: "prop:plan", value: "pro", n: 1 },
      { dim: "prop:seats", value: "3", n: 1 },
      { dim: "prop:trial", value: "false", n: 1 },
    ]);
  });

  it("400s bad properties with a message, and stores nothing of them", async () => {
    const { site } = await ownerWithSite("propbad");
    const b = site.baseUrl;
    const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, "v"]));
    const cases: [string, unknown, RegExp][] = [
      ["on a pageview", { url: `${b}/`, props: { plan: "pro" } }, /only for custom events/],
      ["on the default event", { url: `${b}/`, event: "pageview", props: { plan: "pro" } }, /only for custom events/],
      ["an array", { url: `${b}/`, event: "e", props: ["pro"] }, /props must be an object/],
      ["a string", { url: `${b}/`, event: "e", props: "plan=pro" }, /props must be an object/],
      ["31 keys", { url: `${b}/`, event: "e", props: many }, /at most 30 keys/],
      ["empty key", { url: `${b}/`, event: "e", props: { "": "x" } }, /each props key must be 1 to 64/],
      ["key too long", { url: `${b}/`, event: "e", props: { ["k".repeat(65)]: "x" } }, /each props key must be 1 to 64/],
      ["key with a colon", { url: `${b}/`, event: "e", props: { "a:b": "x" } }, /each props key/],
      ["key with markup", { url: `${b}/`, event: "e", props: { "<b>": "x" } }, /each props key/],
      ["empty value", { url: `${b}/`, event: "e", props: { plan: "" } }, /props\.plan must be 1 to 256/],
      ["value too long", { url: `${b}/`, event: "e", props: { plan: "x".repeat(257) } }, /props\.plan must be 1 to 256/],
      ["null value", { url: `${b}/`, event: "e", props: { plan: null } }, /props\.plan must be a string, a number or a boolean/],
      ["object value", { url: `${b}/`, event: "e", props: { plan: { a: 1 } } }, /must be a string, a number or a boolean/],
    ];
    for (const [name, body, message] of cases) {
      const res = await beacon(site.id, json(body));
      expect(res.status, name).toBe(400);
      const out = (await res.json()) as { error: string; message: string };
      expect(out.error, name).toBe("bad request");
      expect(out.message, name).toMatch(message);
    }
    // 30 keys of 64 characters with 256-character values fit the body limit.
    const full = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`${i}`.padStart(64, "k"), "v".repeat(256)]));
    expect((await beacon(site.id, json({ url: `${b}/`, event: "full", props: full }))).status).toBe(204);
    const rows = await waitForVisits(site.id, 1);
    expect(rows.map((r) => r.event)).toEqual(["full"]);
    expect(Object.keys(JSON.parse(String(rows[0]!.props)))).toHaveLength(30);
  });
});

it("parseProps: numbers must be finite (JSON cannot carry Infinity, but a hand-written 1e999 parses to it)", () => {
  expect(parseProps(JSON.parse('{"n": 1e999}'))).toEqual({ ok: false, message: "props.n must be a string, a number or a boolean" });
  expect(parseProps({ n: 2.5, b: true })).toEqual({ ok: true, json: '{"n":"2.5","b":"true"}' });
  expect(parseProps(undefined)).toEqual({ ok: true, json: null });
});

/** Yesterday: two pro signups (DE), one free (FR); a pageview by each. */
function propFixture(siteId: number) {
  const y = Date.now() - (Date.now() % DAY) - DAY + 3_600_000;
  const de = { country: "DE", region: null, city: null };
  const fr = { country: "FR", region: null, city: null };
  return [
    visit(siteId, { visitor: hexId(1), ts: y, path: "/", ...de }),
    visit(siteId, { visitor: hexId(1), ts: y + 1000, event: "signup", props: JSON.stringify({ plan: "pro", source: "ad" }), ...de }),
    visit(siteId, { visitor: hexId(2), ts: y + 2000, path: "/", ...de }),
    visit(siteId, { visitor: hexId(2), ts: y + 3000, event: "signup", props: JSON.stringify({ plan: "pro" }), ...de }),
    visit(siteId, { visitor: hexId(3), ts: y + 4000, path: "/", ...fr }),
    visit(siteId, { visitor: hexId(3), ts: y + 5000, event: "signup", props: JSON.stringify({ plan: "free", source: "mail" }), ...fr }),
  ];
}

/** The Properties panel: the chosen key and its rows as [value, count]. */
function propsPanel(html: string): { key: string | undefined; keys: string[]; rows: string[][] } {
  const panel = /<section class="top-panel props-panel"[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";
  const key = /<strong aria-current="true">([^<]*)<\/strong>/.exec(panel)?.[1];
  const keys = [...panel.matchAll(/<li>(?:<a [^>]*>|<strong[^>]*>)([^<]*)</g)].map((m) => m[1]!);
  const rows = [...panel.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
    .map((m) => [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => decodeHtml(c[1]!.replace(/<[^>]+>/g, "").trim())))
    .filter((r) => r.length > 0);
  return { key, keys, rows };
}

describe("the report's properties", () => {
  it("breaks a key down by value (the first key unless one is picked), each value a filter link", async () => {
    const { u, site } = await ownerWithSite("propreport");
    await store(propFixture(site.id));
    const html = await (await u.client.get(`/sites/${site.id}?period=7d`)).text();
    expect(propsPanel(html).keys).toEqual(["plan", "source"]);
    expect(html).toContain(`href="/sites/${site.id}?period=7d&amp;f=prop%3Aplan%3Ais%3Apro&amp;prop=plan"`);
    // [the key asked for, the key shown, its values and counts]; an unknown key shows the first one.
    for (const [asked, shown, rows] of [
      ["", "plan", "pro 2, free 1"],
      ["source", "source", "ad 1, mail 1"],
      ["nope", "plan", "pro 2, free 1"],
    ]) {
      const panel = propsPanel(await (await u.client.get(`/sites/${site.id}?period=7d&prop=${asked}`)).text());
      expect([panel.key, panel.rows.map((r) => r.join(" ")).join(", ")], asked).toEqual([shown, rows]);
    }
  });

  it("filters the whole report by a property (prop:plan:is:pro), from raw visits, in one batch", async () => {
    const { u, site } = await ownerWithSite("propfilter");
    await store(propFixture(site.id));
    expect((await u.client.post(`/sites/${site.id}/goals`, { kind: "event", value: "signup" })).status).toBe(303);
    const res = await u.client.get(`/sites/${site.id}?period=7d&f=prop:plan:is:pro`);
    expect(res.status).toBe(200);
    expect(d1Queries(res)).toBe(2);
    const html = decodeHtml(await res.text());
    expect(html).toContain("Property plan");
    expect(propsPanel(html).rows).toEqual([["pro", "2"]]);
    // Two visitors sent a pro signup; both converted.
    expect(goalTable(html)).toEqual([["Event signup", "2", "2", "100%"]]);
    const not = decodeHtml(await (await u.client.get(`/sites/${site.id}?period=7d&f=prop:plan:is_not:pro&prop=plan`)).text());
    // Everything but the pro signups: the three pageviews and the free signup.
    expect(propsPanel(not).rows).toEqual([["free", "1"]]);
    expect(goalTable(not)).toEqual([["Event signup", "1", "1", "33.3%"]]);
    const fr = decodeHtml(await (await u.client.get(`/sites/${site.id}?period=7d&f=country:is:FR&prop=source`)).text());
    expect(propsPanel(fr).rows).toEqual([["mail", "1"]]);
  });

  it.each([
    ["prop:plan", /must look like prop:key:is:value/],
    ["prop:plan:is", /must look like prop:key:is:value/],
    ["prop::is:pro", /A property's key is 1 to 64/],
    ["prop:a b:is:pro", /A property's key is 1 to 64/],
    ["prop:plan:contains:pr", /operator is is or is_not/],
    [`prop:plan:is:${"x".repeat(257)}`, /at most 256 characters/],
  ])("refuses the filter %s with a 400 and its reason", async (f, message) => {
    expect(parseFilters([f])).toEqual({ ok: false, error: expect.stringMatching(message) });
    const { u, site } = await ownerWithSite("propbadf");
    const res = await u.client.get(`/sites/${site.id}?f=${encodeURIComponent(f)}`);
    expect(res.status).toBe(400);
    expect(decodeHtml(await res.text())).toMatch(message);
  });

  it("rebuilds the same property rollup from raw visits as the consumer made, across several batches", async () => {
    const { site } = await ownerWithSite("proprebuild");
    const hits = propFixture(site.id);
    await store(hits.slice(0, 2));
    await store(hits.slice(2));
    const read = async () =>
      (await env.DB.prepare("SELECT dim, day, value, n FROM visit_dims WHERE site_id = ? AND dim LIKE 'prop:%' ORDER BY 1, 2, 3").bind(site.id).all()).results;
    const incremental = await read();
    expect(incremental.map((r) => [r.dim, r.value, r.n])).toEqual([
      ["prop:plan", "free", 1],
      ["prop:plan", "pro", 2],
      ["prop:source", "ad", 1],
      ["prop:source", "mail", 1],
    ]);
    await env.DB.batch(rebuildRollupStatements(env.DB, site.id, 0));
    expect(await read()).toEqual(incremental);
  });

  it("puts the properties in the CSV export, as their JSON", async () => {
    const { u, site } = await ownerWithSite("propcsv");
    await store(propFixture(site.id));
    const csv = await (await u.client.get(`/sites/${site.id}/visits.csv?period=7d&f=prop:source:is:ad`)).text();
    const [header, ...lines] = csv.trim().split("\r\n");
    expect(header!.split(",").at(-1)).toBe("props");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`"{""plan"":""pro"",""source"":""ad""}"`);
  });
});
