// Entry and exit pages and the bounce rate: a visit is a visitor's day; its entry page is its first pageview,
// its exit page its last, and it bounced with one pageview. Hits arrive in several queue batches, so the
// consumer moves the exit page and undoes a bounce as later pageviews come in; the report reads the rollups
// (and the matching raw visits when filtered), per day.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DAY } from "../../src/config";
import { d1Queries } from "../helpers/http";
import { decodeHtml, hexId, ownerWithSite, store, visit } from "./helpers";

const HOUR = 3_600_000;

function panel(html: string, dim: string): string {
  const body = new RegExp(`<section class="top-panel" aria-labelledby="top-${dim}">([\\s\\S]*?)</section>`).exec(html)?.[1] ?? "";
  return [...body.matchAll(/class="top-value"[^>]*>([^<]*)<\/(?:span|a)>[\s\S]*?<td class="num">([^<]+)<\/td>/g)]
    .map((m) => `${decodeHtml(m[1]!.trim())}=${m[2]}`)
    .join(", ");
}
const card = (html: string, label: string) =>
  new RegExp(`<dt>${label}</dt><dd>([^<]+)</dd><dd class="change[^"]*">([^<]+)<`).exec(html)?.slice(1).map(decodeHtml);

describe("entry and exit pages, bounce rate", () => {
  it("follow each visitor's day across queue batches, and a rebuild agrees", async () => {
    const { u, site } = await ownerWithSite("sessions");
    const t = Date.now() - (Date.now() % DAY);
    const y = t - DAY;
    // Batch 1 — yesterday: A lands on / (a bounce so far); B lands on /blog and bounces; C only sends an event.
    await store([
      visit(site.id, { visitor: hexId(1), ts: y + HOUR, path: "/" }),
      visit(site.id, { visitor: hexId(2), ts: y + HOUR, path: "/blog", country: "DE" }),
      visit(site.id, { visitor: hexId(3), ts: y + HOUR, path: "/x", event: "signup" }),
    ]);
    let html = await (await u.client.get(`/sites/${site.id}?period=7d`)).text();
    expect(panel(html, "entry")).toBe("/=1, /blog=1");
    expect(panel(html, "exit")).toBe("/=1, /blog=1");
    expect(card(html, "Bounce rate")).toEqual(["100%", "—"]);
    // Batch 2: A goes on to /pricing then /about (exit moves twice, no longer a bounce); today A is a new visit.
    await store([
      visit(site.id, { visitor: hexId(1), ts: y + 2 * HOUR, path: "/pricing" }),
      visit(site.id, { visitor: hexId(1), ts: y + 3 * HOUR, path: "/about" }),
      visit(site.id, { visitor: hexId(1), ts: t + 1000, path: "/pricing" }),
    ]);
    // Batch 3: a late, earlier hit of A does not move the exit back; C's day gets its first pageview.
    await store([
      visit(site.id, { visitor: hexId(1), ts: y + 2 * HOUR + 1, path: "/late" }),
      visit(site.id, { visitor: hexId(3), ts: y + 2 * HOUR, path: "/docs" }),
    ]);
    const res = await u.client.get(`/sites/${site.id}?period=7d`);
    html = await res.text();
    expect(d1Queries(res)).toBe(2);
    expect(panel(html, "entry")).toBe("/=1, /blog=1, /docs=1, /pricing=1");
    expect(panel(html, "exit")).toBe("/about=1, /blog=1, /docs=1, /pricing=1");
    // 4 visits (A, B, C yesterday; A today); B, C and A-today bounced.
    expect(card(html, "Bounce rate")).toEqual(["75%", "—"]);
    const days = [
      ...(/<table class="bounce-table">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? "").matchAll(
        /<tr><td>([^<]+)<\/td><td class="num">(\d+)<\/td><td class="num">(\d+)<\/td><td class="num">([^<]+)<\/td><\/tr>/g,
      ),
    ].map((m) => m.slice(2).join("/"));
    expect(days).toEqual(["3/2/67%", "1/1/100%"]);
    // Filtered: only German hits count: B's visit, a bounce.
    const de = await (await u.client.get(`/sites/${site.id}?period=7d&f=country:is:DE`)).text();
    expect(panel(de, "entry")).toBe("/blog=1");
    expect(card(de, "Bounce rate")).toEqual(["100%", "—"]);
    // And one filtered to a page: the visits that viewed /pricing, their first and last matching pageview.
    const pricing = await (await u.client.get(`/sites/${site.id}?period=7d&f=page:is:/pricing`)).text();
    expect(panel(pricing, "exit")).toBe("/pricing=2");
    expect(card(pricing, "Bounce rate")).toEqual(["100%", "—"]);
    // The rollups equal a rebuild from the raw visits (rows moved to 0 aside).
    const snapshot = async () => [
      (
        await env.DB.prepare("SELECT dim, day, value, n FROM visit_dims WHERE site_id = ? AND dim IN ('entry', 'exit', 'session') AND n <> 0 ORDER BY 1, 2, 3")
          .bind(site.id)
          .all()
      ).results,
      // And per segment (segments.ts): the same visits, under each of their country, browser, OS and device.
      (
        await env.DB.prepare(
          "SELECT fdim, fvalue, dim, day, value, n FROM visit_pairs WHERE site_id = ? AND dim IN ('entry', 'exit', 'session') AND n <> 0 ORDER BY 1, 2, 3, 4, 5",
        )
          .bind(site.id)
          .all()
      ).results,
    ];
    const before = await snapshot();
    const { rebuildRollupStatements } = await import("../../src/features/sites/ingest");
    await env.DB.batch(rebuildRollupStatements(env.DB, site.id, 0));
    expect(await snapshot()).toEqual(before);
  });
});
