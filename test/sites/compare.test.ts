// Comparison with the previous period of the same length: each card's change in percent ("—" when the
// previous period had nothing), filtered alike, and the chart's optional overlay of the previous period
// (?compare=1), which every link of the report keeps.
import { describe, expect, it } from "vitest";
import { DAY } from "../../src/config";
import { percentChange } from "../../src/features/sites/service";
import { changeText } from "../../src/features/sites/views";
import { d1Queries } from "../helpers/http";
import { decodeHtml, hexId, ownerWithSite, store, visit } from "./helpers";

const today = () => Date.now() - (Date.now() % DAY);

/** Each card as [value, change] in page order. */
function cards(html: string): Record<string, [string, string]> {
  const out: Record<string, [string, string]> = {};
  for (const m of html.matchAll(/<dt>([^<]+)<\/dt><dd>([^<]+)<\/dd><dd class="change[^"]*">([^<]+)</g)) out[m[1]!] = [m[2]!, decodeHtml(m[3]!)];
  return out;
}

describe("percent change", () => {
  it.each([
    [150, 100, 50, "+50%"],
    [50, 100, -50, "−50%"],
    [100, 100, 0, "0%"],
    [1, 3, -67, "−67%"],
    [5, 0, null, "—"],
    [0, 0, null, "—"],
    [null, 2, null, "—"],
    [2, null, null, "—"],
  ] as const)("%s after %s is %s (%s)", (now, before, pct, text) => {
    expect(percentChange(now, before)).toBe(pct);
    expect(changeText(percentChange(now, before))).toBe(text);
  });
});

describe("comparison with the previous period", () => {
  it("shows each card's change from the previous 7 days, and — where there was nothing before", async () => {
    const { u, site } = await ownerWithSite("compare");
    const t = today();
    await store([
      // This week (days 0..-6): 3 visitors, 6 pageviews. Previous week (days -7..-13): 2 visitors, 2 pageviews.
      visit(site.id, { visitor: hexId(1), ts: t + 1000, path: "/" }),
      visit(site.id, { visitor: hexId(1), ts: t + 2000, path: "/a" }),
      visit(site.id, { visitor: hexId(2), ts: t - 2 * DAY, path: "/", country: "DE" }),
      visit(site.id, { visitor: hexId(2), ts: t - 2 * DAY + 1, path: "/b", country: "DE" }),
      visit(site.id, { visitor: hexId(3), ts: t - 6 * DAY, path: "/" }),
      visit(site.id, { visitor: hexId(3), ts: t - 6 * DAY + 1, path: "/c" }),
      visit(site.id, { visitor: hexId(4), ts: t - 7 * DAY, path: "/" }),
      visit(site.id, { visitor: hexId(5), ts: t - 13 * DAY, path: "/", country: "DE" }),
      // Before both periods.
      visit(site.id, { visitor: hexId(6), ts: t - 14 * DAY, path: "/" }),
    ]);
    const res = await u.client.get(`/sites/${site.id}?period=7d`);
    const html = await res.text();
    expect(d1Queries(res)).toBe(2); // still one batch of rollup reads
    expect(cards(html)).toEqual({
      "Unique visitors": ["3", "+50%"],
      Pageviews: ["6", "+200%"],
      "Views per visit": ["2.0", "+100%"],
      // Nobody bounced this week; both visits of the previous week did.
      "Bounce rate": ["0%", "−100%"],
    });
    // Filtered: Germany had 1 visitor with 2 pageviews now and 1 with 1 before.
    const de = await (await u.client.get(`/sites/${site.id}?period=7d&f=country:is:DE`)).text();
    expect(cards(de)).toEqual({
      "Unique visitors": ["1", "0%"],
      Pageviews: ["2", "+100%"],
      "Views per visit": ["2.0", "+100%"],
      "Bounce rate": ["0%", "−100%"],
    });
    // Nothing in the previous "today" (yesterday has no visit).
    const day = await (await u.client.get(`/sites/${site.id}?period=today`)).text();
    expect(cards(day)).toEqual({
      "Unique visitors": ["1", "—"],
      Pageviews: ["2", "—"],
      "Views per visit": ["2.0", "—"],
      "Bounce rate": ["0%", "—"],
    });
  });

  it("overlays the previous period on the chart with ?compare=1, and links keep it", async () => {
    const { u, site } = await ownerWithSite("overlay");
    const t = today();
    await store([
      visit(site.id, { visitor: hexId(1), ts: t + 1000, path: "/" }),
      visit(site.id, { visitor: hexId(2), ts: t - 7 * DAY + 5, path: "/" }),
      visit(site.id, { visitor: hexId(2), ts: t - 7 * DAY + 6, path: "/x" }),
      visit(site.id, { visitor: hexId(3), ts: t - 7 * DAY + 7, path: "/y" }),
    ]);
    const plain = await (await u.client.get(`/sites/${site.id}?period=7d`)).text();
    expect(plain).not.toContain("chart-line-previous");
    expect(plain).not.toContain("previous period</th>");
    const toggle = decodeHtml(/<p class="compare-toggle"><a href="([^"]+)">Show the previous period on the chart<\/a>/.exec(plain)![1]!);
    expect(toggle).toBe(`/sites/${site.id}?period=7d&compare=1`);
    const res = await u.client.get(toggle);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toMatch(/<polyline class="chart-line-previous" points="[^"]+"/);
    expect(html).toContain("Pageviews, previous period");
    // The screen-reader table: each day next to the same day of the previous week (today and 7 days ago: 1 and 3 pageviews).
    const rows = [...html.matchAll(/<tr><th scope="row">[^<]+<\/th><td>(\d+)<\/td><td>(\d+)<\/td><td>(\d+)<\/td><\/tr>/g)].map((m) => m.slice(1).join("/"));
    expect(rows).toHaveLength(7);
    expect(rows[0]).toBe("0/0/0");
    expect(rows[6]).toBe("1/1/3");
    // Top-list links, period presets and the hide link keep or drop the toggle.
    expect(decodeHtml(/<a class="top-value" href="([^"]+)"/.exec(html)![1]!)).toContain("&compare=1");
    expect(html).toContain(`href="/sites/${site.id}?period=30d&amp;compare=1"`);
    expect(decodeHtml(/<p class="compare-toggle"><a href="([^"]+)">Hide/.exec(html)![1]!)).toBe(`/sites/${site.id}?period=7d`);
  });
});
