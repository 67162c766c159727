// Goals: the owner's page (add and remove, every bad input, someone else's site, no session, CSRF) and the
// report's numbers on known visits (converting visitors, conversions, rate), with a filter, on a shared link,
// in one D1 batch however many goals there are.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DAY } from "../../src/config";
import { MAX_GOALS_PER_SITE } from "../../src/features/sites/goals";
import { confirmedUser, expectSentToLogin } from "../helpers/accounts";
import { Client, ORIGIN } from "../helpers/client";
import { d1Queries, d1RowsRead } from "../helpers/http";
import { goalRows, goalTable, ownerWithGoals } from "./goal-fixtures";
import { addSite, decodeHtml, hexId, store, uniqueHost, visit } from "./helpers";

describe("the report's goals", () => {
  const ALL_CONVERT = [
    ["Event signup", "1", "1", "100%"],
    ["Page /pricing", "1", "1", "100%"],
    ["Page /blog/*", "0", "0", "0%"],
  ];
  // [what, query, the goals panel's rows: goal, converting visitors, conversions, rate]
  it.each([
    // 4 unique visitors (visitor 1 counts once per day).
    [
      "the period's unique visitors",
      "period=7d",
      [
        ["Event signup", "3", "3", "75%"],
        ["Page /pricing", "3", "3", "75%"],
        ["Page /blog/*", "1", "2", "25%"],
      ],
    ],
    // Germany has 3 visitors, all of whom signed up; none read the blog.
    [
      "a country filter",
      "period=7d&f=country:is:DE",
      [
        ["Event signup", "3", "3", "100%"],
        ["Page /pricing", "3", "3", "100%"],
        ["Page /blog/*", "0", "0", "0%"],
      ],
    ],
    [
      "a page filter",
      "period=7d&f=page:contains:/blog",
      [
        ["Event signup", "0", "0", "0%"],
        ["Page /pricing", "0", "0", "0%"],
        ["Page /blog/*", "1", "2", "100%"],
      ],
    ],
    // Today only has visitor 1's pricing view and signup.
    ["the period", "period=today", ALL_CONVERT],
  ])("counts converting visitors, conversions and the rate, following %s", async (_what, query, rows) => {
    const { u, site } = await ownerWithGoals("goalnum");
    const res = await u.client.get(`/sites/${site.id}?${query}`);
    expect(res.status).toBe(200);
    expect(goalTable(await res.text())).toEqual(rows);
  });

  it("counts in the site's time zone: in New York, yesterday's date holds only today's first UTC hits", async () => {
    const { u, site } = await ownerWithGoals("goalzone");
    expect((await u.client.post(`/sites/${site.id}/time-zone`, { time_zone: "America/New_York" })).status).toBe(303);
    const date = new Date(Date.now() - (Date.now() % DAY) - DAY).toISOString().slice(0, 10);
    const res = await u.client.get(`/sites/${site.id}?from=${date}&to=${date}`);
    expect(res.status).toBe(200);
    // Yesterday's hits (01:00-03:00 UTC) were the evening before in New York; today's 00:00 UTC hits are this date's evening.
    expect(goalTable(await res.text())).toEqual(ALL_CONVERT);
  });

  it("costs one D1 batch (plus the session) with goals and a filter, as without", async () => {
    const { u, site } = await ownerWithGoals("goalcost");
    const res = await u.client.get(`/sites/${site.id}?period=30d&f=country:is:DE`);
    expect(d1Queries(res)).toBe(2);
    const plain = await u.client.get(`/sites/${site.id}?period=30d`);
    expect(d1Queries(plain)).toBe(2);
  });

  it("reads no raw visit for goals when the site has none; filtered, with goals, one scan of the period per statement", async () => {
    const u = await confirmedUser("goalrows");
    const site = await addSite(u.client, `https://${uniqueHost("goalrows")}`, "Rows");
    const y = Date.now() - (Date.now() % DAY) - DAY;
    await store(Array.from({ length: 600 }, (_, i) => visit(site.id, { ts: y + i * 1000, path: `/p${i % 7}`, visitor: hexId(i % 50) })));
    // A filtered report counts goals from the matching raw visits (the unfiltered one from goal_hourly: goal-rollup.test.ts).
    const report = `/sites/${site.id}?period=7d&f=page:contains:/p`;
    const without = d1RowsRead(await u.client.get(report));
    await u.client.post(`/sites/${site.id}/goals`, { kind: "page", value: "/p1" });
    const withGoals = d1RowsRead(await u.client.get(report));
    // One scan of the period (600) and one probe of the goals' lookup table per visit (D1 counts it as a row);
    // funnels read no visit until there is one.
    expect(withGoals - without).toBeGreaterThanOrEqual(600);
    expect(withGoals - without).toBeLessThan(3 * 600);
    // More goals do not scan again: the goals are a lookup table the one scan probes. (Rows read still grow
    // with the conversions counted, about two per conversion for the grouping.)
    for (const g of ["/p2", "/p3", "/nowhere/*"]) expect((await u.client.post(`/sites/${site.id}/goals`, { kind: "page", value: g })).status).toBe(303);
    for (const e of ["signup", "buy"]) expect((await u.client.post(`/sites/${site.id}/goals`, { kind: "event", value: e })).status).toBe(303);
    const sixGoals = d1RowsRead(await u.client.get(report));
    expect(sixGoals - withGoals).toBeLessThan(600);
  });

  it("shows the goals read-only on a shared link and the public page", async () => {
    const { u, site } = await ownerWithGoals("goalshare");
    expect((await u.client.post(`/sites/${site.id}/public`, { public: "y" })).status).toBe(303);
    const res = await SELF.fetch(`${ORIGIN}/sites/${site.id}/public?period=7d`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(goalTable(html)[0]).toEqual(["Event signup", "3", "3", "75%"]);
    expect(html).not.toContain("Manage goals");
    expect(html).not.toContain(`/sites/${site.id}/goals`);
  });
});

describe("managing goals", () => {
  it("adds event and page goals and lists them; removes one", async () => {
    const u = await confirmedUser("goaladd");
    const site = await addSite(u.client);
    const res = await u.client.post(`/sites/${site.id}/goals`, { kind: "page", value: "  /blog/*  " });
    expect(res.status).toBe(303);
    const { html } = await u.client.follow(res);
    expect(html).toContain("Goal added: Page /blog/*.");
    expect(await goalRows(site.id)).toEqual([expect.objectContaining({ kind: "page", value: "/blog/*" })]);
    const [row] = await goalRows(site.id);
    expect((await u.client.post(`/sites/${site.id}/goals/${row!.id}/delete`)).status).toBe(303);
    expect(await goalRows(site.id)).toEqual([]);
  });

  // [kind, value, what the page says]; a missing kind is "".
  const BAD_GOALS: [string, string, string][] = [
    ["event", "", "Enter the event's name."],
    ["event", "sign up!", "An event name is 1 to 64"],
    ["event", "x".repeat(65), "An event name is 1 to 64"],
    ["event", "pageview", "Pageviews are goals by their path"],
    ["page", "", "Enter a page path"],
    ["page", "pricing", "A page pattern starts with /"],
    ["page", "/a?b=1", "A page pattern starts with /"],
    ["page", "/a[bc]", "A page pattern starts with /"],
    ["page", "/a b", "A page pattern starts with /"],
    ["page", `/${"x".repeat(512)}`, "at most 512 characters"],
    ["visit", "/x", "Choose a custom event or a page."],
    ["", "/x", "Choose a custom event or a page."],
  ];
  it.each(BAD_GOALS)("refuses kind %j with value %j with a 422 and its reason, storing nothing", async (kind, value, message) => {
    const u = await confirmedUser("goalbad");
    const site = await addSite(u.client);
    const res = await u.client.post(`/sites/${site.id}/goals`, kind ? { kind, value } : { value });
    expect(res.status).toBe(422);
    expect(decodeHtml(await res.text())).toContain(message);
    expect(await goalRows(site.id)).toEqual([]);
  });

  it("refuses a duplicate goal and more than the limit", async () => {
    const u = await confirmedUser("goaldup");
    const site = await addSite(u.client);
    expect((await u.client.post(`/sites/${site.id}/goals`, { kind: "event", value: "signup" })).status).toBe(303);
    const dup = await u.client.post(`/sites/${site.id}/goals`, { kind: "event", value: "signup" });
    expect(dup.status).toBe(422);
    expect(await dup.text()).toContain("This site already has that goal.");
    for (let i = 1; i < MAX_GOALS_PER_SITE; i++) await u.client.post(`/sites/${site.id}/goals`, { kind: "page", value: `/p${i}` });
    expect(await goalRows(site.id)).toHaveLength(MAX_GOALS_PER_SITE);
    const over = await u.client.post(`/sites/${site.id}/goals`, { kind: "page", value: "/one-more" });
    expect(over.status).toBe(422);
    expect(await over.text()).toContain(`at most ${MAX_GOALS_PER_SITE} goals`);
    expect(await goalRows(site.id)).toHaveLength(MAX_GOALS_PER_SITE);
  });

  it("is the owner's only: another member gets 404s and changes nothing; anonymous visitors are sent to log in", async () => {
    const { site } = await ownerWithGoals("goalowner");
    const [goal] = await goalRows(site.id);
    const other = await confirmedUser("goalother");
    expect((await other.client.get(`/sites/${site.id}/goals`)).status).toBe(404);
    expect((await other.client.post(`/sites/${site.id}/goals`, { kind: "event", value: "x" })).status).toBe(404);
    expect((await other.client.post(`/sites/${site.id}/goals/${goal!.id}/delete`)).status).toBe(404);
    const theirSite = await addSite(other.client);
    // Someone else's goal id under one's own site: no such goal.
    expect((await other.client.post(`/sites/${theirSite.id}/goals/${goal!.id}/delete`)).status).toBe(404);
    const anon = new Client();
    expectSentToLogin(await anon.get(`/sites/${site.id}/goals`));
    expectSentToLogin(await anon.post(`/sites/${site.id}/goals`, { kind: "event", value: "x" }));
    expectSentToLogin(await anon.post(`/sites/${site.id}/goals/${goal!.id}/delete`));
    expect(await goalRows(site.id)).toHaveLength(3);
    expect((await other.client.get("/sites/abc/goals")).status).toBe(404);
    expect((await other.client.post(`/sites/${theirSite.id}/goals/abc/delete`)).status).toBe(404);
  });

  it("refuses cross-site form posts (CSRF) with a 403", async () => {
    const { u, site } = await ownerWithGoals("goalcsrf");
    const [goal] = await goalRows(site.id);
    const evil = { Origin: "https://evil.example" };
    expect((await u.client.post(`/sites/${site.id}/goals`, { kind: "event", value: "x" }, evil)).status).toBe(403);
    expect((await u.client.post(`/sites/${site.id}/goals/${goal!.id}/delete`, {}, evil)).status).toBe(403);
    expect(await goalRows(site.id)).toHaveLength(3);
  });

  it("links the owner's report to the goals page", async () => {
    const u = await confirmedUser("goallink");
    const site = await addSite(u.client);
    const html = await (await u.client.get(`/sites/${site.id}`)).text();
    expect(html).toContain(`href="/sites/${site.id}/goals"`);
    const page = await (await u.client.get(`/sites/${site.id}/goals`)).text();
    expect(page).toContain("No goals yet.");
  });
});
