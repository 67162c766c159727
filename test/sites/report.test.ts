// The report page: totals, chart and top lists read from the rollups and agree with the raw visits; the period
// picker and its validation; the polled live figure; the keyset-paginated raw table; the CSV (same rows as the
// table, escaped, formula-safe); and the cost contract: the same D1 round trips for 10 visits as for 1,000.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DAY } from "../../src/config";
import { visitTableHeaders } from "../../src/features/sites/views";
import { d1Queries, HX } from "../helpers/http";
import { decodeHtml, hexId, ownerWithSite, store, visit } from "./helpers";

const today = () => Date.now() - (Date.now() % DAY);

/** The cells of each row of the visits table, as text, plus each row's <time datetime>. */
function tableRows(html: string): { time: string; cells: string[] }[] {
  const body = /<table class="visits-table">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? "";
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => {
    const cells = [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => decodeHtml(c[1]!.replace(/<[^>]+>/g, "")));
    return { time: /datetime="([^"]+)"/.exec(m[1]!)![1]!, cells };
  });
}

/** A small RFC 4180 parser (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += ch;
  }
  return rows;
}

function olderLink(html: string): string | null {
  const m = /<a href="([^"]+)" rel="next"/.exec(html);
  return m ? decodeHtml(m[1]!) : null;
}

describe("report", () => {
  it("shows totals, chart and top lists that agree with the raw visits", async () => {
    const { u, site } = await ownerWithSite("totals");
    const t = today();
    const hits = [
      // Day -1: visitor A views 2 pages (arrived from news.example), B views 1 and signs up.
      visit(site.id, { visitor: hexId(1), ts: t - DAY + 3_600_000, path: "/", referrerHost: "news.example", browser: "Firefox", country: "DE" }),
      visit(site.id, { visitor: hexId(1), ts: t - DAY + 3_700_000, path: "/pricing", referrerHost: null, browser: "Firefox", country: "DE" }),
      visit(site.id, { visitor: hexId(2), ts: t - DAY + 7_200_000, path: "/pricing", device: "mobile", os: "iOS", browser: "Safari" }),
      visit(site.id, { visitor: hexId(2), ts: t - DAY + 7_300_000, path: "/pricing", event: "signup", device: "mobile", os: "iOS", browser: "Safari" }),
      // Today: A again (a new day, a new visitor), 3 pageviews.
      visit(site.id, { visitor: hexId(1), ts: t + 1000, path: "/" }),
      visit(site.id, { visitor: hexId(1), ts: t + 2000, path: "/pricing" }),
      visit(site.id, { visitor: hexId(1), ts: t + 3000, path: "/blog/<hello>" }),
      // Outside the 7 days.
      visit(site.id, { visitor: hexId(3), ts: t - 10 * DAY, path: "/old" }),
    ];
    await store(hits);
    const res = await u.client.get(`/sites/${site.id}`);
    const html = await res.text();
    expect(res.status).toBe(200);
    const stat = (label: string) => new RegExp(`<dt>${label}</dt><dd>([^<]+)</dd>`).exec(html)?.[1];
    expect(stat("Unique visitors")).toBe("3");
    expect(stat("Pageviews")).toBe("6");
    expect(stat("Views per visit")).toBe("2.0");
    // The chart: accessible text and one bar per day with pageviews.
    expect(html).toMatch(/<svg viewBox="0 0 640 220" role="img" aria-labelledby="chart-title chart-desc"/);
    expect(html).toContain("6 pageviews and 3 visitors");
    expect(html.match(/<rect class="chart-bar"/g)).toHaveLength(2);
    // Top lists (pages and events count hits; the rest count visitors).
    const panel = (dim: string) => /<section class="top-panel" aria-labelledby="top-DIM">([\s\S]*?)<\/section>/.source.replace("DIM", dim);
    const rows = (dim: string) =>
      [...(new RegExp(panel(dim)).exec(html)?.[1] ?? "").matchAll(/<a class="top-value"[^>]*>([^<]*)<\/a>[\s\S]*?<td class="num">([^<]+)<\/td>/g)].map((m) => [
        decodeHtml(m[1]!),
        m[2],
      ]);
    // Each list as "value=count" in its order on the page.
    const expected: Record<string, string> = {
      page: "/pricing=3, /=2, /blog/<hello>=1",
      event: "pageview=6, signup=1",
      referrer: "news.example=1",
      country: "New Zealand=2, Germany=1",
      browser: "Chrome=1, Firefox=1, Safari=1",
      device: "Desktop=2, Mobile=1",
      os: "Windows=2, iOS=1",
    };
    for (const [dim, want] of Object.entries(expected)) {
      expect(
        rows(dim)
          .map(([value, count]) => `${value}=${count}`)
          .join(", "),
        dim,
      ).toBe(want);
    }
    // Bars are SVG geometry, the longest full width.
    expect(html).toContain('<rect width="100.0" height="6" rx="1"></rect>');
    // Markup in stored values is escaped.
    expect(html).not.toContain("/blog/<hello>");
    // The polled live figure: A's hits today are within 5 minutes only if the test day just began, so only check the element.
    expect(html).toMatch(/<p id="live-visitors" class="live" hx-get="\/sites\/\d+\/live" hx-trigger="every 30s" hx-swap="outerHTML">/);
  });

  it("has a period picker: today by hour, 30 days, custom ranges; invalid ones get 400 with the reason", async () => {
    const { u, site } = await ownerWithSite("periods");
    const t = today();
    await store([visit(site.id, { ts: t + 5 * 3_600_000 + 60_000 }), visit(site.id, { ts: t - 20 * DAY })]);
    const todayHtml = await (await u.client.get(`/sites/${site.id}?period=today`)).text();
    expect(todayHtml).toMatch(/<a href="\/sites\/\d+\?period=today" aria-current="page">Today<\/a>/);
    expect(todayHtml).toContain("Pageviews and visitors per hour");
    expect(todayHtml).toContain('<th scope="row">05:00</th><td>1</td><td>1</td>');
    const month = await (await u.client.get(`/sites/${site.id}?period=30d`)).text();
    expect(/<dt>Pageviews<\/dt><dd>(\d+)<\/dd>/.exec(month)![1]).toBe("2");
    const from = new Date(t - 21 * DAY).toISOString().slice(0, 10);
    const to = new Date(t - 19 * DAY).toISOString().slice(0, 10);
    const custom = await (await u.client.get(`/sites/${site.id}?from=${from}&to=${to}`)).text();
    expect(/<dt>Pageviews<\/dt><dd>(\d+)<\/dd>/.exec(custom)![1]).toBe("1");
    expect(custom).toContain(`value="${from}"`);
    expect(custom).toContain(`/visits.csv?from=${from}&amp;to=${to}`);
    for (const [query, message] of [
      ["period=year", "Choose today, 7 days, 30 days or a custom range."],
      ["period=custom", "Enter the first day."],
      [`from=${from}`, "Enter the last day."],
      [`from=${to}&to=${from}`, "The last day must not be before the first day."],
      ["from=2026-02-31&to=2026-03-01", "Enter the first day as a date"],
      ["from=2020-01-01&to=2022-01-01", "Choose at most 366 days."],
      ["from=2999-01-01&to=2999-01-02", "cannot be in the future"],
      ["from[]=x&to=1", "Enter the first day"],
    ]) {
      const res = await u.client.get(`/sites/${site.id}?${query}`);
      expect(res.status, query).toBe(400);
      expect(await res.text(), query).toContain(message!);
    }
    expect((await u.client.get(`/sites/${site.id}/visits?period=year`)).status).toBe(400);
    expect((await u.client.get(`/sites/${site.id}/visits.csv?from=x&to=y`)).status).toBe(400);
  });

  it("refreshes 'visitors in the last 5 minutes' as a fragment", async () => {
    const { u, site } = await ownerWithSite("live");
    const now = Date.now();
    await store([
      visit(site.id, { visitor: hexId(1), ts: now - 60_000 }),
      visit(site.id, { visitor: hexId(1), ts: now - 30_000 }),
      visit(site.id, { visitor: hexId(2), ts: now - 4 * 60_000 }),
      visit(site.id, { visitor: hexId(3), ts: now - 6 * 60_000 }),
    ]);
    const res = await u.client.get(`/sites/${site.id}/live`, HX);
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const html = await res.text();
    expect(html).toBe(
      `<p id="live-visitors" class="live" hx-get="/sites/${site.id}/live" hx-trigger="every 30s" hx-swap="outerHTML"><strong>2</strong> visitors in the last 5 minutes</p>`,
    );
    expect(d1Queries(res)).toBe(2); // the session's user, then the figure with its owner check
  });
});

describe("raw visits", () => {
  it("pages through the period's visits with keyset links, newest first, and answers htmx with the table only", async () => {
    const { u, site } = await ownerWithSite("pages");
    const t = today() - DAY;
    await store(Array.from({ length: 120 }, (_, i) => visit(site.id, { ts: t + i * 60_000, path: `/p${i}` })));
    const first = await (await u.client.get(`/sites/${site.id}`)).text();
    const page1 = tableRows(first);
    expect(page1).toHaveLength(50);
    expect(page1[0]!.cells[1]).toBe("/p119");
    expect(page1.map((r) => r.cells.length)).toEqual(Array(50).fill(visitTableHeaders().length));
    const older = olderLink(first)!;
    expect(older).toMatch(new RegExp(`^/sites/${site.id}/visits\\?page=2&before=\\d+\\.\\d+&period=7d$`));
    const page2Res = await u.client.get(older);
    const page2Html = await page2Res.text();
    expect(page2Res.status).toBe(200);
    expect(tableRows(page2Html)[0]!.cells[1]).toBe("/p69");
    const page3Html = await (await u.client.get(olderLink(page2Html)!)).text();
    const page3 = tableRows(page3Html);
    expect(page3.map((r) => r.cells[1])).toEqual(Array.from({ length: 20 }, (_, i) => `/p${19 - i}`));
    expect(olderLink(page3Html)).toBeNull();
    // Back from page 3 by its "Newer" link.
    const newer = decodeHtml(/<a href="([^"]+)" rel="prev"/.exec(page3Html)![1]!);
    expect(tableRows(await (await u.client.get(newer)).text())[0]!.cells[1]).toBe("/p69");
    // htmx swaps the section in place.
    const fragment = await (await u.client.get(older, HX)).text();
    expect(fragment.startsWith('<section id="visits"')).toBe(true);
    expect(fragment).not.toContain("<html");
  });
});

describe("CSV export", () => {
  it("has the same rows as the table, escaped and formula-safe, and every visit of the period", async () => {
    const { u, site } = await ownerWithSite("csv");
    const t = today() - 2 * DAY;
    const special = [
      visit(site.id, { ts: t + 1000, path: "/a,b", city: '=HYPERLINK("http://evil.example","click")', region: "@SUM(A1)" }),
      visit(site.id, { ts: t + 2000, path: '/quote"d', city: "+1+1", region: "-2", country: null, latitude: -33.9, longitude: -118.25 }),
      visit(site.id, { ts: t + 3000, path: "/line", city: "two\nlines", referrerHost: "ref.example", event: "sign up" }),
    ];
    await store([...special, ...Array.from({ length: 57 }, (_, i) => visit(site.id, { ts: t + 10_000 + i * 1000, path: `/n${i}` }))]);
    const res = await u.client.get(`/sites/${site.id}/visits.csv?period=7d`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toMatch(
      new RegExp(`^attachment; filename="site-${site.id}-visits-\\d{4}-\\d{2}-\\d{2}-to-\\d{4}-\\d{2}-\\d{2}\\.csv"$`),
    );
    const text = await res.text();
    expect(text.endsWith("\r\n")).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([
      "time_utc",
      "page",
      "referrer",
      "event",
      "browser",
      "os",
      "device",
      "country",
      "region",
      "city",
      "latitude",
      "longitude",
      "visitor",
      "utm_source",
      "utm_medium",
      "utm_campaign",
      "utm_term",
      "utm_content",
      // Custom properties, as their JSON (empty for none).
      "props",
    ]);
    expect(rows).toHaveLength(60);

    // The first table page and the first 50 CSV rows are the same visits, cell for cell.
    const table = tableRows(await (await u.client.get(`/sites/${site.id}?period=7d`)).text());
    expect(table).toHaveLength(50);
    table.forEach((row, i) => {
      const csv = rows[i]!;
      expect(csv[0]).toBe(row.time);
      // Cells a spreadsheet would run carry a leading apostrophe in the CSV only.
      const unguard = (v: string) => (/^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v);
      expect(csv.slice(1, 10).map(unguard)).toEqual(row.cells.slice(1));
    });
    const byPath = new Map(rows.map((r) => [r[1], r]));
    expect(byPath.get("/a,b")!.slice(8, 10)).toEqual(["'@SUM(A1)", `'=HYPERLINK("http://evil.example","click")`]);
    expect(byPath.get('/quote"d')!.slice(7, 12)).toEqual(["", "'-2", "'+1+1", "-33.9", "-118.25"]);
    expect(byPath.get("/line")!.slice(2, 4)).toEqual(["ref.example", "sign up"]);
    expect(byPath.get("/line")![9]).toBe("two\nlines");
    expect(text).toContain('"/a,b"');
    expect(text).toContain('"/quote""d"');
  });

  it("streams in chunks and stops at the row cap", async () => {
    const { u, site } = await ownerWithSite("csvcap");
    await store(Array.from({ length: 2500 }, (_, i) => visit(site.id, { ts: today() - DAY + i, path: `/c${i}` })));
    const text = await (await u.client.get(`/sites/${site.id}/visits.csv`)).text();
    const rows = parseCsv(text);
    expect(rows).toHaveLength(2501);
    expect(rows[1]![1]).toBe("/c2499");
    expect(rows[2500]![1]).toBe("/c0");
    const { visitsCsvStream } = await import("../../src/features/sites/service");
    const { getDb } = await import("../../src/db");
    const { parsePeriod } = await import("../../src/features/sites/period");
    const p = parsePeriod({ period: "7d" });
    if (!p.ok) throw new Error("period");
    const capped = await new Response(visitsCsvStream(getDb(env.DB), site.id, p.period, [], 1200)).text();
    expect(parseCsv(capped)).toHaveLength(1201);
  });
});

describe("cost", () => {
  it("costs the same D1 round trips for 10 visits as for 1,000", async () => {
    const small = await ownerWithSite("small");
    const large = await ownerWithSite("large");
    const t = today();
    const many = (siteId: number, n: number) =>
      Array.from({ length: n }, (_, i) =>
        visit(siteId, {
          ts: t - (i % 7) * DAY + (i % 24) * 3_600_000,
          visitor: hexId(i % 97),
          path: `/p${i % 40}`,
          referrerHost: i % 3 ? null : `r${i % 5}.example`,
        }),
      );
    await store(many(small.site.id, 10));
    await store(many(large.site.id, 1000));
    for (const path of ["", "?period=today", "?period=30d"]) {
      const a = await small.u.client.get(`/sites/${small.site.id}${path}`);
      const b = await large.u.client.get(`/sites/${large.site.id}${path}`);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(d1Queries(b), path).toBe(d1Queries(a));
      expect(d1Queries(a), path).toBe(2); // the session's user + one batch for the whole report
    }
    const list = await large.u.client.get("/sites");
    expect(d1Queries(list)).toBe(2);
    const visits = await large.u.client.get(`/sites/${large.site.id}/visits?page=3`);
    expect(d1Queries(visits)).toBe(2);
  });

  it("reads the rollups through their primary keys and raw visits through (site_id, ts)", async () => {
    const plan = async (sql: string, ...args: unknown[]) =>
      (
        await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .bind(...args)
          .all<{ detail: string }>()
      ).results
        .map((r) => r.detail)
        .join(" | ");
    expect(await plan("SELECT sum(pageviews) FROM visit_hourly WHERE site_id = ? AND hour >= ? AND hour < ?", 1, 0, 1)).toMatch(
      /USING PRIMARY KEY|USING INDEX sqlite_autoindex_visit_hourly/,
    );
    expect(
      await plan(
        "SELECT dim, value, sum(n) FROM visit_dims WHERE site_id = ? AND dim IN ('page','event') AND day >= ? AND day < ? GROUP BY dim, value",
        1,
        0,
        1,
      ),
    ).toMatch(/sqlite_autoindex_visit_dims_1 \(site_id=\? AND dim=\? AND day>\? AND day<\?\)/);
    expect(
      await plan("SELECT * FROM visits WHERE site_id = ? AND ts >= ? AND ts < ? AND (ts, id) < (?, ?) ORDER BY ts DESC, id DESC LIMIT 51", 1, 0, 1, 1, 1),
    ).toMatch(/USING INDEX visits_site_ts/);
    expect(await plan("SELECT count(DISTINCT visitor) FROM visits WHERE site_id = ? AND ts >= ?", 1, 0)).toMatch(/USING INDEX visits_site_ts/);
  });
});
