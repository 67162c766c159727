// Report filters (?f=dimension:operator:value): every dimension with each of its operators applies to the
// cards, the chart, the top lists, the visits table and the CSV, checked against a plain-JS reading of the
// same visits; filters stack, show as removable chips, top-list rows link to them, the add-filter form works
// without JavaScript; bad parameters are 400s with a reason; a filtered report is still one D1 batch.
import { beforeAll, describe, expect, it } from "vitest";
import { DAY } from "../../src/config";
import type { VisitMessage } from "../../src/db/visit-fields";
import { type Filter, filterQuery, parseFilters } from "../../src/features/sites/filters";
import { confirmedUser } from "../helpers/accounts";
import { d1Queries, d1RowsRead } from "../helpers/http";
import { addSite, decodeHtml, hexId, matches, ownerWithSite, store, uniqueHost, visit } from "./helpers";

const HOUR = 3_600_000;

/** Hits designed so that each filter below picks a different set. */
function fixture(siteId: number): VisitMessage[] {
  const t = Date.now() - (Date.now() % DAY);
  const y = t - DAY;
  const de = { browser: "Firefox", os: "Windows", device: "desktop", country: "DE", region: "Bavaria", city: "Munich" };
  const fr = { browser: "Chrome", os: "Linux", device: "desktop", country: "FR", region: "Île-de-France", city: "Paris" };
  const newsletter = { utmSource: "newsletter", utmMedium: "email", utmCampaign: "spring", utmContent: "header-link" };
  const ads = { utmSource: "ads", utmMedium: "cpc", utmCampaign: "spring", utmTerm: "roost blog" };
  const nowhere = { browser: "Safari", os: "iOS", device: "mobile", country: null, region: null, city: null };
  return [
    // Yesterday: visitor 1 from Germany via news.example reads two pages and signs up; visitor 2 (no place) one page.
    visit(siteId, { visitor: hexId(1), ts: y + 1 * HOUR, path: "/", referrerHost: "news.example", ...de, ...newsletter }),
    visit(siteId, { visitor: hexId(1), ts: y + 2 * HOUR, path: "/blog/one", ...de }),
    visit(siteId, { visitor: hexId(1), ts: y + 2 * HOUR + 60_000, path: "/blog/one", event: "signup", ...de }),
    visit(siteId, { visitor: hexId(2), ts: y + 3 * HOUR, path: "/pricing", ...nowhere }),
    // Today: visitor 1 again (a new day), visitor 3 from New Zealand via search, visitor 4 from France with a download.
    visit(siteId, { visitor: hexId(1), ts: t + 1000, path: "/blog/one", ...de }),
    visit(siteId, { visitor: hexId(3), ts: t + 2000, path: "/blog/two", referrerHost: "search.example", ...ads }),
    visit(siteId, { visitor: hexId(4), ts: t + 3000, path: "/about", ...fr, utmSource: "newsletter", utmMedium: "email", utmCampaign: "autumn" }),
    visit(siteId, { visitor: hexId(4), ts: t + 4000, path: "/about", event: "download", ...fr }),
  ];
}

/** What the report should say for the hits that match: visitors are (day, visitor) pairs, counted at their first matching hit. */
function expected(hits: VisitMessage[], filters: Filter[]) {
  const m = hits.filter((v) => filters.every((f) => matches(v, f))).sort((a, b) => a.ts - b.ts);
  const firsts = new Map<string, VisitMessage>();
  for (const v of m) {
    const key = `${v.ts - (v.ts % DAY)}|${v.visitor}`;
    if (!firsts.has(key)) firsts.set(key, v);
  }
  const pages = new Map<string, number>();
  for (const v of m) if (v.event === "pageview") pages.set(v.path, (pages.get(v.path) ?? 0) + 1);
  const countries = new Map<string, number>();
  for (const v of firsts.values()) countries.set(v.country ?? "", (countries.get(v.country ?? "") ?? 0) + 1);
  const campaigns = new Map<string, number>();
  for (const v of firsts.values()) if (v.utmCampaign) campaigns.set(v.utmCampaign, (campaigns.get(v.utmCampaign) ?? 0) + 1);
  const sorted = (mp: Map<string, number>) =>
    [...mp]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([k, n]) => `${k}=${n}`)
      .join(", ");
  return {
    hits: m.length,
    visitors: firsts.size,
    pageviews: m.filter((v) => v.event === "pageview").length,
    pages: sorted(pages),
    countries: sorted(countries),
    campaigns: sorted(campaigns),
  };
}

const stat = (html: string, label: string) => new RegExp(`<dt>${label}</dt><dd>([^<]+)</dd>`).exec(html)?.[1];

/** A top panel's rows as "raw value=count", the raw value read back from its filter link. */
function panelRows(html: string, dim: string): string {
  const panel = new RegExp(`<section class="top-panel" aria-labelledby="top-${dim}">([\\s\\S]*?)</section>`).exec(html)?.[1] ?? "";
  return [...panel.matchAll(/<a class="top-value" href="([^"]+)">[\s\S]*?<td class="num">([^<]+)<\/td>/g)]
    .map((m) => {
      const own = new URL(decodeHtml(m[1]!), "http://x").searchParams.getAll("f").filter((f) => f.startsWith(`${dim}:is:`));
      return `${own[own.length - 1]!.split(":").slice(2).join(":")}=${m[2]}`;
    })
    .join(", ");
}

const tableRowCount = (html: string) => (/<table class="visits-table">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? "").match(/<tr>/g)?.length ?? 0;

/** Every dimension, with each operator it takes; several values per dimension where NULLs or blanks matter. */
const CASES: string[] = [
  "page:is:/blog/one",
  "page:is_not:/blog/one",
  "page:contains:/blog",
  "page:contains:o",
  "referrer:is:news.example",
  "referrer:is_not:news.example",
  "country:is:DE",
  "country:is_not:DE",
  "country:is:",
  "region:is:Bavaria",
  "region:is_not:Bavaria",
  "city:is:Paris",
  "city:is_not:Paris",
  "browser:is:Safari",
  "browser:is_not:Chrome",
  "os:is:Windows",
  "os:is_not:Windows",
  "device:is:mobile",
  "device:is_not:mobile",
  "event:is:signup",
  "event:is_not:pageview",
  "utm_source:is:newsletter",
  "utm_source:is_not:newsletter",
  "utm_medium:is:cpc",
  "utm_medium:is_not:email",
  "utm_campaign:is:spring",
  "utm_campaign:is_not:spring",
  "utm_term:is:roost blog",
  "utm_term:is_not:roost blog",
  "utm_content:is:header-link",
  "utm_content:is_not:header-link",
  // Stacked.
  "country:is:DE|page:is_not:/",
  "page:contains:/blog|browser:is_not:Firefox",
];

describe("report filters", () => {
  describe("apply to the cards, chart, lists, visits table and CSV", () => {
    let u: Awaited<ReturnType<typeof confirmedUser>>;
    let site: { id: number };
    let hits: VisitMessage[];
    beforeAll(async () => {
      u = await confirmedUser("filters");
      site = await addSite(u.client, `https://${uniqueHost("filters")}`, "Filtered");
      hits = fixture(site.id);
      await store(hits);
    });

    it.each(CASES)("%s", async (c) => {
      const parsed = parseFilters(c.split("|"));
      if (!parsed.ok) throw new Error(parsed.error);
      const want = expected(hits, parsed.filters);
      const res = await u.client.get(`/sites/${site.id}?period=7d&${filterQuery(parsed.filters)}`);
      const html = await res.text();
      expect(res.status).toBe(200);
      expect(stat(html, "Unique visitors")).toBe(String(want.visitors));
      expect(stat(html, "Pageviews")).toBe(String(want.pageviews));
      // The chart's summary counts the same.
      expect(html).toContain(`${want.pageviews} pageviews and ${want.visitors} visitors`);
      expect(panelRows(html, "page")).toBe(want.pages);
      expect(panelRows(html, "country")).toBe(want.countries);
      expect(panelRows(html, "utm_campaign")).toBe(want.campaigns);
      expect(tableRowCount(html)).toBe(want.hits);
      // One chip per filter, each with a link that drops it.
      expect(html.match(/<li class="filter-chip">/g)?.length ?? 0).toBe(parsed.filters.length);
      expect(html.match(/class="filter-remove"/g)?.length ?? 0).toBe(parsed.filters.length);
      // The CSV link carries the filters, and the CSV has the same rows as the table.
      const csvHref = decodeHtml(/href="([^"]*visits\.csv[^"]*)"/.exec(html)![1]!);
      expect(csvHref).toContain(filterQuery(parsed.filters));
      const csv = await u.client.get(csvHref);
      expect(csv.status).toBe(200);
      const lines = (await csv.text()).split("\r\n").filter(Boolean);
      expect(lines.length - 1).toBe(want.hits);
    });
  });

  it("links each top-list row to the report filtered to it, stacks filters and removes them from chips", async () => {
    const { u, site } = await ownerWithSite("filterlinks");
    await store(fixture(site.id));
    const first = await (await u.client.get(`/sites/${site.id}?period=30d`)).text();
    const germany = decodeHtml(/<a class="top-value" href="([^"]+)">\s*Germany/.exec(first)![1]!);
    expect(germany).toBe(`/sites/${site.id}?period=30d&f=country%3Ais%3ADE`);
    const de = await (await u.client.get(germany)).text();
    expect(stat(de, "Unique visitors")).toBe("2");
    expect(de).toMatch(/Country <em>is<\/em> <strong>Germany<\/strong>/);
    // A page row of the filtered report adds a second filter; the period presets keep both.
    const blog = decodeHtml(/<a class="top-value" href="([^"]+)">\s*\/blog\/one/.exec(de)![1]!);
    expect(blog).toBe(`/sites/${site.id}?period=30d&f=country%3Ais%3ADE&f=page%3Ais%3A%2Fblog%2Fone`);
    const both = await (await u.client.get(blog)).text();
    expect(stat(both, "Pageviews")).toBe("2");
    expect(both).toContain(`href="/sites/${site.id}?period=today&amp;f=country%3Ais%3ADE&amp;f=page%3Ais%3A%2Fblog%2Fone"`);
    // Removing the country chip keeps the page filter; "exclude" turns it into is_not.
    const remove = decodeHtml(/<a href="([^"]+)" class="filter-remove" aria-label="Remove filter: Country is Germany"/.exec(both)![1]!);
    expect(remove).toBe(`/sites/${site.id}?period=30d&f=page%3Ais%3A%2Fblog%2Fone`);
    const flip = decodeHtml(/<a href="([^"]+)" class="filter-flip" aria-label="Change to Country is not Germany"/.exec(both)![1]!);
    expect(flip).toBe(`/sites/${site.id}?period=30d&f=page%3Ais%3A%2Fblog%2Fone&f=country%3Ais_not%3ADE`);
    const notDe = await (await u.client.get(flip)).text();
    expect(stat(notDe, "Pageviews")).toBe("0");
    // The custom range form keeps the filters as hidden fields.
    expect(both).toContain('<input type="hidden" name="f" value="country:is:DE"/>');
  });

  it("adds a filter from the plain form (fd, fo, fv) without JavaScript", async () => {
    const { u, site } = await ownerWithSite("filterform");
    await store(fixture(site.id));
    const res = await u.client.get(`/sites/${site.id}?period=7d&f=device%3Ais%3Adesktop&fd=page&fo=contains&fv=%20%2Fblog%20`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(stat(html, "Pageviews")).toBe("3");
    expect(html).toMatch(/Page <em>contains<\/em> <strong>\/blog<\/strong>/);
  });

  it("keeps filters on the visits pages and their pager", async () => {
    const { u, site } = await ownerWithSite("filterpages");
    const t = Date.now() - (Date.now() % DAY);
    await store(Array.from({ length: 60 }, (_, i) => visit(site.id, { visitor: hexId(i), ts: t + i * 1000, path: i % 2 ? "/odd" : "/even" })));
    const res = await u.client.get(`/sites/${site.id}/visits?period=today&f=page:is:/odd`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(tableRowCount(html)).toBe(30);
    expect(html).not.toContain("/even");
    const res2 = await u.client.get(`/sites/${site.id}/visits?period=today&f=page:is_not:/odd`);
    const html2 = await res2.text();
    expect(tableRowCount(html2)).toBe(30);
    expect(html2).not.toMatch(/rel="next"/);
    const all = await (await u.client.get(`/sites/${site.id}/visits?period=today`)).text();
    const older = decodeHtml(/<a href="([^"]+)" rel="next"/.exec(all)![1]!);
    expect(older).not.toContain("f=");
    // 60 hits and one filter: the pager link keeps it.
    await store(Array.from({ length: 60 }, (_, i) => visit(site.id, { visitor: hexId(100 + i), ts: t + 100_000 + i * 1000, path: "/odd" })));
    const odd = await (await u.client.get(`/sites/${site.id}/visits?period=today&f=page:is:/odd`)).text();
    const next = decodeHtml(/<a href="([^"]+)" rel="next"/.exec(odd)![1]!);
    expect(next).toContain("&f=page%3Ais%3A%2Fodd");
    const page2 = await (await u.client.get(next)).text();
    expect(tableRowCount(page2)).toBe(40);
    expect(page2).not.toContain("/even");
  });

  it("costs one D1 batch (plus the session) with two filters, like the unfiltered report, and reports rows read", async () => {
    const { u, site } = await ownerWithSite("filtercost");
    await store(fixture(site.id));
    const res = await u.client.get(`/sites/${site.id}?period=30d&f=country:is:DE&f=page:contains:/blog`);
    expect(res.status).toBe(200);
    expect(d1Queries(res)).toBe(2);
    // D1's own count of rows read is reported too (what the bench prints for filtered reports).
    expect(d1RowsRead(res)).toBeGreaterThan(0);
  });

  it("reads rollups, not the country's visits, for a report filtered to one country (custom properties included)", async () => {
    const { u, site } = await ownerWithSite("segmentcost");
    const t = Date.now() - (Date.now() % DAY);
    const de = { browser: "Firefox", os: "Windows", device: "desktop", country: "DE", region: "Bavaria", city: "Munich" };
    const hits = Array.from({ length: 400 }, (_, i) => visit(site.id, { visitor: hexId(500 + (i % 20)), ts: t + i * 1000, path: `/p${i % 4}`, ...de }));
    hits.push(visit(site.id, { visitor: hexId(500), ts: t + 500_000, event: "signup", props: '{"plan":"pro"}', ...de }));
    await store(hits);
    const res = await u.client.get(`/sites/${site.id}?period=30d&f=country:is:DE`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("pro");
    // About what the unfiltered report reads: its property list reads the one hit that has properties,
    // not the 401 German hits.
    const unfiltered = await u.client.get(`/sites/${site.id}?period=30d`);
    expect(d1RowsRead(res)).toBeLessThan(d1RowsRead(unfiltered) + 100);
  });

  it("answers a valid filter on someone else's site with 404, as without", async () => {
    const owner = await confirmedUser("filterowner");
    const other = await confirmedUser("filterother");
    const site = await addSite(owner.client, `https://${uniqueHost("filterowner")}`, "Private");
    for (const path of ["", "/visits", "/visits.csv"]) {
      const res = await other.client.get(`/sites/${site.id}${path}?f=country:is:DE`);
      expect(res.status, path).toBe(404);
    }
  });

  const BAD: [query: string, message: string][] = [
    ["f=planet:is:Mars", 'There is no dimension "planet" to filter by.'],
    ["f=country:like:DE", 'There is no filter operator "like".'],
    ["f=country:contains:D", '"contains" works for pages only; use is or is_not for country.'],
    ["f=country", "must look like dimension:operator:value"],
    ["f=", "must look like dimension:operator:value"],
    ["f=page:contains:", "Say what the page should contain."],
    [`f=page:is:/${"x".repeat(512)}`, "A page filter's value can be at most 512 characters."],
    [`f=city:is:${"x".repeat(256)}`, "A city filter's value can be at most 255 characters."],
    [Array.from({ length: 11 }, (_, i) => `f=page:is:/${i}`).join("&"), "Use at most 10 filters at once."],
    ["fd=planet&fo=is&fv=x", 'There is no dimension "planet" to filter by.'],
    ["fd=page&fo=&fv=x", 'There is no filter operator "".'],
  ];

  it("refuses bad filter parameters with a 400 that says why, on the report, the visits and the CSV", async () => {
    const { u, site } = await ownerWithSite("filterbad");
    for (const [query, message] of BAD) {
      for (const path of ["", "/visits", "/visits.csv"]) {
        const res = await u.client.get(`/sites/${site.id}${path}?period=7d&${query}`);
        expect(res.status, `${path}?${query}`).toBe(400);
        expect(decodeHtml(await res.text()), `${path}?${query}`).toContain(message);
      }
    }
  });
});
