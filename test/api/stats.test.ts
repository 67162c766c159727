// The stats API (/api/v1/sites/{id}/stats/aggregate|timeseries|breakdown): owner only by token (another
// member's site and a missing one are the same 404, no credentials 401, a bad token 401), every bad
// parameter a 400 naming it, the numbers the same as the HTML report's for the same visits (filters and
// the site's time zone included), the rate limit's 429. Every answer is checked against the OpenAPI document.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { DAY } from "../../src/config";
import type { VisitMessage } from "../../src/db/visit-fields";
import { localDate } from "../../src/lib/zoned-days";
import { type Account, confirmedUser } from "../helpers/accounts";
import { d1Queries } from "../helpers/http";
import { fixedLimiter } from "../helpers/limiters";
import { addSite, decodeHtml, hexId, store, uniqueHost, visit } from "../sites/helpers";
import { API, ApiClient, bearer, expectDocumented, getToken } from "./helpers";

const HOUR = 3_600_000;

/** Yesterday and today (UTC): two visitors from Germany, one from France, one without a country. */
function fixture(siteId: number): VisitMessage[] {
  const t = Date.now() - (Date.now() % DAY);
  const y = t - DAY;
  const de = { country: "DE", browser: "Firefox" };
  return [
    visit(siteId, { visitor: hexId(1), ts: y + HOUR, path: "/", referrerHost: "news.example", ...de, utmCampaign: "spring" }),
    visit(siteId, { visitor: hexId(1), ts: y + 2 * HOUR, path: "/blog/one", ...de }),
    visit(siteId, { visitor: hexId(1), ts: y + 2 * HOUR + 1000, path: "/blog/one", event: "signup", ...de }),
    visit(siteId, { visitor: hexId(2), ts: y + 3 * HOUR, path: "/pricing", country: null }),
    visit(siteId, { visitor: hexId(1), ts: t + 1000, path: "/blog/one", ...de }),
    visit(siteId, { visitor: hexId(3), ts: t + 2000, path: "/blog/two", referrerHost: "search.example", ...de }),
    visit(siteId, { visitor: hexId(4), ts: t + 3000, path: "/about", country: "FR" }),
    visit(siteId, { visitor: hexId(4), ts: t + 4000, path: "/about", country: "FR" }),
  ];
}

const stat = (html: string, label: string) => new RegExp(`<dt>${label}</dt><dd>([^<]+)</dd>`).exec(html)?.[1];

/**
 * A top panel's rows of the HTML report as [raw value, count]: the value read back from its filter link, or
 * for entry and exit pages (which have no filter) the row's text.
 */
function panelRows(html: string, dim: string): [string, number][] {
  const panel = new RegExp(`<section class="top-panel" aria-labelledby="top-${dim}">([\\s\\S]*?)</section>`).exec(html)?.[1] ?? "";
  const linked = [...panel.matchAll(/<a class="top-value" href="([^"]+)">[\s\S]*?<td class="num">([^<]+)<\/td>/g)].map((m): [string, number] => {
    const own = new URL(decodeHtml(m[1]!), "http://x").searchParams.getAll("f").filter((f) => f.startsWith(`${dim}:is:`));
    return [own[own.length - 1]!.split(":").slice(2).join(":"), Number(m[2])];
  });
  const plain = [...panel.matchAll(/<span class="top-value">([^<]*)<\/span>[\s\S]*?<td class="num">([^<]+)<\/td>/g)].map((m): [string, number] => [
    decodeHtml(m[1]!),
    Number(m[2]),
  ]);
  return [...linked, ...plain];
}

describe("stats API", () => {
  let owner: Account;
  let api: ApiClient;
  let site: { id: number };
  let other: ApiClient;
  let otherSite: { id: number };
  beforeAll(async () => {
    owner = await confirmedUser("stats");
    api = new ApiClient(bearer(await getToken(owner.email, owner.password)));
    site = await addSite(owner.client, `https://${uniqueHost("stats")}`, "Stats");
    await store(fixture(site.id));
    const o = await confirmedUser("statsother");
    other = new ApiClient(bearer(await getToken(o.email, o.password)));
    otherSite = await addSite(o.client, `https://${uniqueHost("statsother")}`, "Other's");
  });

  describe("who may ask", () => {
    it("the owner with a token gets the numbers", async () => {
      const r = await api.get(`/sites/${site.id}/stats/aggregate?period=7d&metrics=visitors,pageviews`);
      expect(r.status).toBe(200);
      // Visitor 1 came on two days: ids last a UTC day, so they count twice.
      expect(r.body).toMatchObject({ site_id: site.id, results: { visitors: { value: 5 }, pageviews: { value: 7 } } });
      expect(r.body.period).toEqual({
        from: localDate(Date.now() - 6 * DAY, "UTC"),
        to: localDate(Date.now(), "UTC"),
        time_zone: "UTC",
        interval: "day",
      });
    });

    it("another member's site is a 404, the same as a site that does not exist; their own site is theirs", async () => {
      for (const path of ["aggregate", "timeseries", "breakdown?property=event:page"]) {
        const theirs = await other.get(`/sites/${site.id}/stats/${path}`);
        expect(theirs.status, path).toBe(404);
        expect(theirs.body).toEqual({ error: "not found", message: "There is no site with that id among yours." });
        expect((await api.get(`/sites/99999999/stats/${path}`)).status).toBe(404);
      }
      // Even with a period that only the site's row could judge, nothing about the site leaks.
      expect((await other.get(`/sites/${site.id}/stats/aggregate?period=custom&date=2999-01-01,2999-01-02`)).status).toBe(404);
      const own = await other.get(`/sites/${otherSite.id}/stats/aggregate`);
      expect(own.status).toBe(200);
      expect(own.body.results).toEqual({ visitors: { value: 0 } });
    });

    it("no credentials or a bad token: 401; a password instead of a token: 400 that says to use a token", async () => {
      const anon = await new ApiClient().get(`/sites/${site.id}/stats/aggregate`);
      expect(anon.status).toBe(401);
      expect(anon.body.error).toBe("unauthorized");
      expect((await new ApiClient(bearer("a".repeat(32))).get(`/sites/${site.id}/stats/aggregate`)).status).toBe(401);
      expect((await new ApiClient("Bearer nonsense").get(`/sites/${site.id}/stats/timeseries`)).status).toBe(401);
      const basic = `Basic ${btoa(`${owner.email}:${owner.password}`)}`;
      const withPassword = await new ApiClient(basic).get(`/sites/${site.id}/stats/aggregate`);
      expect(withPassword.status).toBe(400);
      expect(withPassword.body.message).toMatch(/^This endpoint takes a token, not a password/);
    });

    it("a malformed site id is the API's 404; other methods are 405", async () => {
      expect((await api.get("/sites/abc/stats/aggregate")).status).toBe(404);
      expect((await api.post(`/sites/${site.id}/stats/aggregate`, {})).status).toBe(405);
    });
  });

  describe("bad parameters are 400s that name the parameter", () => {
    const CASES: [string, string, RegExp][] = [
      ["aggregate", "period=year", /^period: must be one of day, 7d, 30d, month, custom/],
      ["aggregate", "period=", /^period: must be one of/],
      ["aggregate", "period=custom", /^date: a custom period needs date=YYYY-MM-DD,YYYY-MM-DD/],
      ["aggregate", "period=custom&date=2026-01-01", /^date: a custom period needs/],
      ["aggregate", "period=custom&date=2026-01-01,2026-01-02,2026-01-03", /^date: a custom period needs/],
      ["aggregate", "period=custom&date=2026-02-30,2026-03-01", /^date: Enter the first day as a date/],
      ["aggregate", "period=custom&date=yesterday,today", /^date: Enter the first day as a date .* Enter the last day as a date/],
      ["aggregate", "period=custom&date=2026-03-10,2026-03-01", /^date: The last day must not be before the first day\.$/],
      ["aggregate", "period=custom&date=2020-01-01,2026-01-01", /^date: Choose at most 366 days\.$/],
      ["aggregate", "period=custom&date=2026-01-01,2999-01-01", /^date: The last day cannot be in the future\.$/],
      ["aggregate", "period=day&date=12/01/2026", /^date: must be a day \(YYYY-MM-DD\) with period=day/],
      ["aggregate", "period=day&date=2999-01-01", /^date: .*cannot be in the future/],
      ["aggregate", "period=month&date=2999-01-01", /^date: The first day cannot be in the future/],
      ["aggregate", "metrics=visitors,frogs", /^metrics: unknown metric "frogs"\. Available: visitors, pageviews, bounce_rate, views_per_visit, events\.$/],
      ["aggregate", "metrics=", /^metrics: name at least one metric/],
      ["aggregate", "metrics=visit_duration", /^metrics: "visit_duration" is not available here: Roost does not record how long visits last/],
      ["aggregate", "compare=yesterday", /^compare: the only comparison is "previous_period"/],
      ["timeseries", "metrics=bounce_rate", /^metrics: "bounce_rate" is not available here: timeseries does not answer it/],
      ["breakdown", "", /^property: is required/],
      ["breakdown", "property=visit:planet", /^property: unknown property "visit:planet"\. Use one of event:page/],
      ["breakdown", "property=visit:city", /^property: unknown property "visit:city"/],
      [
        "breakdown",
        "property=event:page&metrics=visitors",
        /^metrics: "visitors" is not available here: a breakdown by event:page does not answer it\. Available: pageviews\.$/,
      ],
      ["breakdown", "property=event:page&limit=0", /^limit: must be a whole number from 1 to 1000$/],
      ["breakdown", "property=event:page&limit=1001", /^limit: must be a whole number from 1 to 1000$/],
      ["breakdown", "property=event:page&limit=ten", /^limit: must be a whole number/],
      ["breakdown", "property=event:page&page=0", /^page: must be a whole number/],
      ["breakdown", "property=event:page&limit=1000&page=11", /^page: at most 10,000 rows/],
      ["aggregate", "filters=country==DE", /^filters: "country==DE" must look like visit:country==DE/],
      ["aggregate", "filters=visit:country", /^filters: "visit:country" must look like/],
      ["aggregate", "filters=visit:country>DE", /^filters: "visit:country>DE" must look like/],
      ["aggregate", "filters=visit:planet==Mars", /^filters: cannot filter by "visit:planet"/],
      ["aggregate", "filters=event:country==DE", /^filters: cannot filter by "event:country"/],
      ["aggregate", "filters=visit:country==DE|FR", /^filters: "\|" \(either of several values\) is not supported/],
      ["aggregate", "filters=event:page==/blog*", /^filters: the only wildcard supported is \*text\* with ==/],
      ["aggregate", "filters=event:page!=*blog*", /^filters: the only wildcard supported/],
      ["aggregate", "filters=visit:country~D", /^filters: "contains" works for pages only/],
      ["aggregate", `filters=visit:country==${"X".repeat(300)}`, /^filters: A country filter's value can be at most 255 characters\.$/],
      ["aggregate", `filters=${Array.from({ length: 11 }, (_, i) => `event:page==/p${i}`).join(";")}`, /^filters: Use at most 10 filters at once\.$/],
      ["aggregate", "filters=visit:country==DE;", /^filters: "" must look like/],
      ["aggregate", `filters=${"a".repeat(2001)}`, /^filters: must be at most 2,000 characters$/],
    ];
    it.each(CASES)("%s?%s", async (endpoint, query, message) => {
      const r = await api.get(`/sites/${site.id}/stats/${endpoint}?${query}`);
      expect(r.status).toBe(400);
      expect(r.body.error).toBe("bad request");
      expect(r.body.message).toMatch(message);
    });
  });

  describe("the same numbers as the HTML report", () => {
    const cases = ["", "country:is:DE", "page:contains:/blog", "country:is_not:DE"];
    const apiFilter: Record<string, string> = {
      "": "",
      "country:is:DE": "visit:country==DE",
      "page:contains:/blog": "event:page==*/blog*",
      "country:is_not:DE": "visit:country!=DE",
    };
    it.each(cases)("filter %s: cards, chart and top lists", async (f) => {
      const html = await (await owner.client.get(`/sites/${site.id}?period=7d${f ? `&f=${encodeURIComponent(f)}` : ""}`)).text();
      const q = `period=7d${f ? `&filters=${encodeURIComponent(apiFilter[f]!)}` : ""}`;
      const agg = await api.get(`/sites/${site.id}/stats/aggregate?${q}&metrics=visitors,pageviews,bounce_rate,views_per_visit&compare=previous_period`);
      expect(agg.status).toBe(200);
      const res = agg.body.results;
      expect(String(res.visitors.value)).toBe(stat(html, "Unique visitors"));
      expect(String(res.pageviews.value)).toBe(stat(html, "Pageviews"));
      expect(res.views_per_visit.value === null ? "–" : res.views_per_visit.value.toFixed(1)).toBe(stat(html, "Views per visit"));
      expect(res.bounce_rate.value === null ? "–" : `${res.bounce_rate.value}%`).toBe(stat(html, "Bounce rate"));
      expect(res.visitors.change).toBeNull();

      const ts = await api.get(`/sites/${site.id}/stats/timeseries?${q}&metrics=pageviews,visitors`);
      expect(ts.body.results).toHaveLength(7);
      const sum = (k: string) => ts.body.results.reduce((s: number, p: Record<string, number>) => s + p[k]!, 0);
      expect(html).toContain(`${sum("pageviews")} pageviews and ${sum("visitors")} visitors`);
      expect(ts.body.results.at(-1).date).toBe(localDate(Date.now(), "UTC"));

      for (const [property, dim] of [
        ["event:page", "page"],
        ["visit:country", "country"],
        ["visit:source", "referrer"],
        ["event:name", "event"],
        ["visit:entry_page", "entry"],
        ["visit:utm_campaign", "utm_campaign"],
      ] as const) {
        const b = await api.get(`/sites/${site.id}/stats/breakdown?${q}&property=${property}`);
        expect(b.status).toBe(200);
        const key = property.split(":")[1]!;
        const rows = b.body.results.map((r: Record<string, string | number>) => [r[key], r[b.body.metric]]);
        expect(rows, `${f} ${property}`).toEqual(panelRows(html, dim));
      }
    });

    it("the exact answers for the fixture (7 days, unfiltered)", async () => {
      const pages = await api.get(`/sites/${site.id}/stats/breakdown?period=7d&property=event:page&metrics=pageviews`);
      expect(pages.body).toMatchObject({ property: "event:page", metric: "pageviews", page: 1, limit: 100 });
      expect(pages.body.results).toEqual(
        [
          { page: "/blog/one", pageviews: 2 },
          { page: "/about", pageviews: 2 },
          { page: "/", pageviews: 1 },
          { page: "/blog/two", pageviews: 1 },
          { page: "/pricing", pageviews: 1 },
        ].sort((a, b) => b.pageviews - a.pageviews || (a.page < b.page ? -1 : 1)),
      );
      const countries = await api.get(`/sites/${site.id}/stats/breakdown?period=7d&property=visit:country`);
      expect(countries.body.metric).toBe("visitors");
      expect(countries.body.results).toEqual([
        { country: "DE", visitors: 3 },
        { country: "", visitors: 1 },
        { country: "FR", visitors: 1 },
      ]);
      const events = await api.get(`/sites/${site.id}/stats/breakdown?period=7d&property=event:name`);
      expect(events.body.results).toEqual([
        { name: "pageview", events: 7 },
        { name: "signup", events: 1 },
      ]);
    });

    it("limit and page walk through a list", async () => {
      const all = (await api.get(`/sites/${site.id}/stats/breakdown?period=7d&property=event:page`)).body.results;
      const p1 = await api.get(`/sites/${site.id}/stats/breakdown?period=7d&property=event:page&limit=2`);
      const p2 = await api.get(`/sites/${site.id}/stats/breakdown?period=7d&property=event:page&limit=2&page=2`);
      const p3 = await api.get(`/sites/${site.id}/stats/breakdown?period=7d&property=event:page&limit=2&page=3`);
      const p4 = await api.get(`/sites/${site.id}/stats/breakdown?period=7d&property=event:page&limit=2&page=4`);
      expect([...p1.body.results, ...p2.body.results, ...p3.body.results]).toEqual(all);
      expect(p3.body.results).toHaveLength(1);
      expect(p4.body.results).toEqual([]);
    });

    it("periods: day is hours, custom and month are the days asked for, and the day of a custom range", async () => {
      const today = localDate(Date.now(), "UTC");
      const yesterday = localDate(Date.now() - DAY, "UTC");
      const day = await api.get(`/sites/${site.id}/stats/timeseries?period=day&date=${yesterday}&metrics=pageviews`);
      expect(day.body.period).toMatchObject({ from: yesterday, to: yesterday, interval: "hour" });
      expect(day.body.results).toHaveLength(24);
      expect(day.body.results[1]).toEqual({ date: `${yesterday} 01:00:00`, pageviews: 1 });
      expect(day.body.results[2]).toEqual({ date: `${yesterday} 02:00:00`, pageviews: 1 });
      const custom = await api.get(`/sites/${site.id}/stats/aggregate?period=custom&date=${yesterday},${today}&metrics=visitors,pageviews`);
      expect(custom.body.results).toEqual({ visitors: { value: 5 }, pageviews: { value: 7 } });
      const todayOnly = await api.get(`/sites/${site.id}/stats/aggregate?period=day&metrics=pageviews`);
      expect(todayOnly.body.results.pageviews.value).toBe(4);
      const month = await api.get(`/sites/${site.id}/stats/aggregate?period=month`);
      expect(month.body.period).toMatchObject({ from: `${today.slice(0, 7)}-01`, to: today });
      const lastMonth = await api.get(`/sites/${site.id}/stats/aggregate?period=month&date=2026-02-10`);
      expect(lastMonth.body.period).toMatchObject({ from: "2026-02-01", to: "2026-02-28" });
      const week = await api.get(`/sites/${site.id}/stats/timeseries?period=7d&date=2026-03-10`);
      expect(week.body.results.map((r: { date: string }) => r.date)).toEqual([
        "2026-03-04",
        "2026-03-05",
        "2026-03-06",
        "2026-03-07",
        "2026-03-08",
        "2026-03-09",
        "2026-03-10",
      ]);
    });

    it("days are the site's time zone's (Asia/Kathmandu, +05:45)", async () => {
      const z = await addSite(owner.client, `https://${uniqueHost("statszone")}`, "Zoned");
      const t = Date.now() - (Date.now() % DAY);
      // 20:00 UTC yesterday is 01:45 today in Kathmandu.
      await store([visit(z.id, { visitor: hexId(9), ts: t - 4 * HOUR, path: "/late" })]);
      const res = await owner.client.post(`/sites/${z.id}/time-zone`, { time_zone: "Asia/Kathmandu" });
      expect(res.status).toBeLessThan(400);
      const today = localDate(Date.now(), "Asia/Kathmandu");
      const day = await api.get(
        `/sites/${z.id}/stats/timeseries?period=custom&date=${localDate(t - 4 * HOUR, "Asia/Kathmandu")},${localDate(t - 4 * HOUR, "Asia/Kathmandu")}&metrics=pageviews`,
      );
      expect(day.body.period).toMatchObject({ interval: "hour" });
      expect(day.body.period.time_zone).toMatch(/^Asia\/Kath?mandu$/);
      expect(day.body.results.filter((r: { pageviews: number }) => r.pageviews > 0)).toEqual([
        { date: `${localDate(t - 4 * HOUR, "Asia/Kathmandu")} 01:00:00`, pageviews: 1 },
      ]);
      expect(today >= localDate(t - 4 * HOUR, "Asia/Kathmandu")).toBe(true);
    });
  });

  it("costs the same D1 round trips for an empty site as for one with 500 visits (the report's batch, plus the token's lookup)", async () => {
    const busy = await addSite(owner.client, `https://${uniqueHost("statsbusy")}`, "Busy");
    const empty = await addSite(owner.client, `https://${uniqueHost("statsempty")}`, "Empty");
    const t = Date.now() - (Date.now() % DAY);
    await store(Array.from({ length: 500 }, (_, i) => visit(busy.id, { visitor: hexId(5000 + i), ts: t + i, path: `/p${i % 37}` })));
    for (const path of ["aggregate?period=30d", "timeseries?period=7d", "breakdown?property=event:page&limit=1000", "aggregate?filters=event:page==/p1"]) {
      // The first call for a site may guess its zone wrong (see zoneHint); the second is the steady cost.
      await api.get(`/sites/${busy.id}/stats/${path}`);
      await api.get(`/sites/${empty.id}/stats/${path}`);
      const a = await api.get(`/sites/${busy.id}/stats/${path}`);
      const b = await api.get(`/sites/${empty.id}/stats/${path}`);
      expect(d1Queries(a.res), path).toBe(d1Queries(b.res));
      expect(d1Queries(a.res), path).toBeLessThanOrEqual(2);
    }
    const pages = await api.get(`/sites/${busy.id}/stats/breakdown?property=event:page&limit=1000`);
    expect(pages.body.results).toHaveLength(37);
    expect(pages.body.results.reduce((s: number, r: { pageviews: number }) => s + r.pageviews, 0)).toBe(500);
  });

  it("the API's rate limit applies: the 4th request in a minute is 429 with Retry-After", async () => {
    const token = await getToken(owner.email, owner.password);
    const app = createApp();
    const limitedEnv = { ...env, API_TOKEN_LIMITER: fixedLimiter(3), API_IP_LIMITER: fixedLimiter(100) };
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 4; i++) {
      const ctx = createExecutionContext();
      const url = `${API}/sites/${site.id}/stats/aggregate`;
      last = await app.request(url, { headers: { Authorization: bearer(token), "CF-Connecting-IP": "10.201.0.1" } }, limitedEnv, ctx);
      await waitOnExecutionContext(ctx);
      const body = await last.json();
      await expectDocumented("GET", url, last.status, body);
      statuses.push(last.status);
      if (last.status === 429) expect(body).toEqual({ error: "too many requests", message: expect.any(String) });
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(last!.headers.get("Retry-After")).toBe("60");
  });

  it("is listed in the OpenAPI document and on the /api page", async () => {
    const doc = await (await new ApiClient().get("/openapi.json")).body;
    for (const p of ["aggregate", "timeseries", "breakdown"]) {
      const op = doc.paths[`/sites/{id}/stats/${p}`].get;
      expect(op.tags).toEqual(["Stats"]);
      expect(op.responses["404"]).toBeDefined();
      expect(op.parameters.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(["id", "period", "date", "filters", "metrics"]));
    }
    const page = await (await owner.client.get("/api")).text();
    for (const id of ["getStatsAggregate", "getStatsTimeseries", "getStatsBreakdown"]) expect(page).toContain(`id="${id}"`);
  });
});
