// The beacon end to end: request → 204 → visits queue → consumer → D1, and every way it refuses or
// ignores a hit. Hits that must not be stored are followed by a normal "sentinel" hit: once the sentinel is
// stored, anything sent before it would have been too.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DAY } from "../../src/config";
import { getDb } from "../../src/db";
import { dailySalt, visitorId } from "../../src/features/sites/visitor";
import { confirmedUser } from "../helpers/accounts";
import { ORIGIN } from "../helpers/client";
import { d1Queries, setCookies } from "../helpers/http";
import { addSite, beacon, CHROME_IN_WELLINGTON, CHROME_UA, IPHONE_UA, visitRows, waitForVisits } from "./helpers";

const NZ = { country: "NZ", region: "Wellington", city: "Wellington", latitude: "-41.28660", longitude: "174.77557", timezone: "Pacific/Auckland" };
const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { "Content-Type": "text/plain;charset=UTF-8" } });

async function siteFor(prefix: string, base?: string) {
  const u = await confirmedUser(prefix);
  const site = await addSite(u.client, base);
  return { ...site, user: u };
}

/** Sends a normal hit after the ones under test and waits until it is stored; returns all stored rows. */
async function settle(siteId: number, baseUrl: string, expected: number) {
  const res = await beacon(siteId, json({ url: `${baseUrl}/sentinel`, event: "sentinel" }));
  expect(res.status).toBe(204);
  const rows = await waitForVisits(siteId, expected + 1);
  expect(rows.at(-1)?.event).toBe("sentinel");
  return rows.slice(0, -1);
}

describe("beacon: accepted hits", () => {
  it("answers a POST with 204 at once and stores what the report needs, without IP or user agent", async () => {
    const site = await siteFor("beacon");
    const res = await beacon(site.id, {
      ...json({ url: `${site.baseUrl}/blog/post-1?utm_source=x&email=a@b.c#top`, referrer: "https://www.news.example/story", event: "pageview" }),
      headers: { "Content-Type": "text/plain;charset=UTF-8", "CF-Connecting-IP": "203.0.113.7", Origin: "https://elsewhere.example" },
      cf: NZ,
    });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.headers.get("Cross-Origin-Resource-Policy")).toBe("cross-origin");
    expect(setCookies(res)).toEqual([]);

    const [row] = await waitForVisits(site.id, 1);
    expect(row).toMatchObject({
      path: "/blog/post-1",
      referrer_host: "news.example",
      event: "pageview",
      ...CHROME_IN_WELLINGTON,
      latitude: -41.2866,
      longitude: 174.77557,
    });
    expect(row!.visitor).toMatch(/^[0-9a-f]{32}$/);
    // The visitor id is the documented hash with today's salt.
    const today = Date.now() - (Date.now() % DAY);
    const salt = await dailySalt(getDb(env.DB), today);
    expect(row!.visitor).toBe(visitorId(salt, site.id, "203.0.113.7", CHROME_UA));
    // Nothing identifying is stored anywhere in the row.
    const stored = JSON.stringify(row);
    expect(stored).not.toContain("203.0.113.7");
    expect(stored).not.toContain("Mozilla");
    expect(stored).not.toContain("a@b.c");
    // Of the query string only the campaign parameters are kept.
    expect(row).toMatchObject({ utm_source: "x", utm_medium: null, utm_campaign: null, utm_term: null, utm_content: null });
  });

  it("keeps utm_source, utm_medium, utm_campaign, utm_term and utm_content from the page URL and drops the rest", async () => {
    const site = await siteFor("campaign");
    const long = "z".repeat(300);
    const cases: [query: string, want: Record<string, string | null>][] = [
      [
        "?utm_source=newsletter&utm_medium=email&utm_campaign=spring%20sale&utm_term=roost&utm_content=header&token=s3cret&gclid=abc",
        { utm_source: "newsletter", utm_medium: "email", utm_campaign: "spring sale", utm_term: "roost", utm_content: "header" },
      ],
      ["?utm_source=&utm_medium=%20%20&ref=s3cret", { utm_source: null, utm_medium: null, utm_campaign: null, utm_term: null, utm_content: null }],
      [`?utm_campaign=${long}`, { utm_source: null, utm_campaign: "z".repeat(255) }],
    ];
    for (const [query] of cases) {
      const res = await beacon(site.id, json({ url: `${site.baseUrl}/landing${query}#s3cret` }));
      expect(res.status, query).toBe(204);
    }
    const rows = await settle(site.id, site.baseUrl, cases.length);
    const byCampaign = (r: Record<string, unknown>) => cases.findIndex(([, want]) => want.utm_campaign === r.utm_campaign && want.utm_source === r.utm_source);
    for (const row of rows) {
      const i = byCampaign(row);
      expect(i, JSON.stringify(row)).toBeGreaterThanOrEqual(0);
      expect(row).toMatchObject({ path: "/landing", ...cases[i]![1] });
      expect(JSON.stringify(row)).not.toContain("s3cret");
    }
    expect(rows).toHaveLength(3);
    // And the report lists them like any other dimension, each row a filter link.
    const html = await (await site.user.client.get(`/sites/${site.id}`)).text();
    expect(html).toMatch(/<h3 id="top-utm_campaign">Campaigns<\/h3>/);
    expect(html).toContain(`href="/sites/${site.id}?period=7d&amp;f=utm_source%3Ais%3Anewsletter"`);
  });

  it("takes GET query parameters (the noscript image), the Referer header as url, a form body, custom events", async () => {
    const site = await siteFor("beaconget", `https://${`g${Math.random().toString(36).slice(2, 8)}`}.example/docs`);
    const get = await beacon(site.id, { headers: { Referer: `${site.baseUrl}/intro` } });
    expect(get.status).toBe(204);
    const query = await beacon(site.id, { query: { url: `${site.baseUrl}/guide`, event: "download" } });
    expect(query.status).toBe(204);
    const form = await beacon(site.id, {
      method: "POST",
      body: new URLSearchParams({ url: `${site.baseUrl}`, referrer: `${site.baseUrl}/intro` }),
      headers: { "Content-Type": "application/x-www-form-urlencoded", "User-Agent": IPHONE_UA },
    });
    expect(form.status).toBe(204);
    const rows = await waitForVisits(site.id, 3);
    const summary = rows.map((r) => [r.path, r.event, r.referrer_host, r.browser, r.device]).sort();
    expect(summary).toEqual(
      [
        ["/docs/intro", "pageview", null, "Chrome", "desktop"],
        ["/docs/guide", "download", null, "Chrome", "desktop"],
        // Internal navigation is not a referrer.
        ["/docs", "pageview", null, "Safari", "mobile"],
      ].sort(),
    );
  });

  it("answers the CORS preflight for any origin", async () => {
    const res = await SELF.fetch(`${ORIGIN}/sites/1/visit`, {
      method: "OPTIONS",
      headers: { Origin: "https://someone.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(res.headers.get("Access-Control-Allow-Methods")).toContain("POST");
    expect(res.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toContain("content-type");
  });

  it("neither reads nor sets cookies: a logged-in browser's session and flash cookies are left alone", async () => {
    const site = await siteFor("cookies");
    const session = site.user.client.session()!;
    // The first hit reads the site (and maybe the day's salt) from D1 and caches them in the isolate.
    expect((await beacon(site.id, json({ url: `${site.baseUrl}/` }))).status).toBe(204);
    const res = await beacon(site.id, {
      ...json({ url: `${site.baseUrl}/` }),
      headers: { "Content-Type": "text/plain", Cookie: `__Host-session=${session}; flash=abc` },
    });
    expect(res.status).toBe(204);
    expect(setCookies(res)).toEqual([]);
    // No D1 at all: no session lookup despite the cookie, and no write of any kind on the response path.
    expect(d1Queries(res)).toBe(0);
    const bad = await beacon(site.id, { ...json({ url: "https://other.example/" }), headers: { "Content-Type": "text/plain", Cookie: `flash=abc` } });
    expect(bad.status).toBe(400);
    expect(setCookies(bad)).toEqual([]);
    // Both accepted hits were stored (the cookie changed nothing), the refused one was not.
    expect((await settle(site.id, site.baseUrl, 2)).map((r) => r.path)).toEqual(["/", "/"]);
  });

  it("is exempt from the CSRF check: a cross-site POST is accepted", async () => {
    const site = await siteFor("csrf");
    const res = await beacon(site.id, {
      ...json({ url: `${site.baseUrl}/` }),
      headers: { "Content-Type": "text/plain", Origin: "https://attacker.example", "Sec-Fetch-Site": "cross-site" },
    });
    expect(res.status).toBe(204);
    expect((await settle(site.id, site.baseUrl, 1)).map((r) => r.path)).toEqual(["/"]);
    // …while the site pages still are protected.
    const rename = await SELF.fetch(`${ORIGIN}/sites/${site.id}/rename`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "https://attacker.example",
        Cookie: `__Host-session=${site.user.client.session()}`,
      },
      body: "name=pwned",
    });
    expect(rename.status).toBe(403);
    const row = await env.DB.prepare("SELECT name FROM sites WHERE id = ?").bind(site.id).first<{ name: string }>();
    expect(row!.name).toBe("My site");
  });

  it("gives the same visitor id to the same browser on the same network today, another to anyone else", async () => {
    const site = await siteFor("sameday");
    const hit = (ip: string, ua: string, path: string) =>
      beacon(site.id, { ...json({ url: `${site.baseUrl}${path}` }), headers: { "Content-Type": "text/plain", "CF-Connecting-IP": ip, "User-Agent": ua } });
    for (const [ip, ua, path] of [
      ["198.51.100.1", CHROME_UA, "/a"],
      ["198.51.100.1", CHROME_UA, "/b"],
      ["198.51.100.2", CHROME_UA, "/c"],
      ["198.51.100.1", IPHONE_UA, "/d"],
    ] as const) {
      expect((await hit(ip, ua, path)).status).toBe(204);
    }
    const rows = await waitForVisits(site.id, 4);
    const byPath = Object.fromEntries(rows.map((r) => [r.path, r.visitor]));
    expect(byPath["/a"]).toBe(byPath["/b"]);
    expect(new Set([byPath["/a"], byPath["/c"], byPath["/d"]]).size).toBe(3);
  });
});

describe("beacon: refused hits", () => {
  it("404s unknown sites, with a JSON message and CORS headers", async () => {
    for (const id of ["999999", "0", "abc", "1e3", "-1"]) {
      const res = await beacon(id, json({ url: "https://example.com/" }));
      expect(res.status, id).toBe(404);
      expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
      expect(await res.json()).toEqual({ error: "not found", message: "unknown site" });
    }
  });

  it("400s bad input with a message saying what is wrong", async () => {
    const site = await siteFor("bad");
    const b = site.baseUrl;
    const cases: [string, Parameters<typeof beacon>[1], RegExp][] = [
      ["no url, no Referer", json({ event: "pageview" }), /url is required/],
      ["url not under the base URL", json({ url: "https://elsewhere.example/page" }), /not under this site's base URL/],
      ["other scheme, same host", json({ url: `${b.replace("https:", "http:")}/` }), /not under/],
      ["relative url", json({ url: "/page" }), /absolute http\(s\) URL/],
      ["not a URL", json({ url: "hello world" }), /absolute http\(s\) URL/],
      ["javascript: url", json({ url: "javascript:alert(1)" }), /absolute http\(s\) URL/],
      ["url too long", json({ url: `${b}/${"a".repeat(2100)}` }), /longer than 2048/],
      ["url of the wrong type", json({ url: 42 }), /url must be a string/],
      ["event of the wrong type", json({ url: `${b}/`, event: ["x"] }), /event must be a string/],
      ["event with markup", json({ url: `${b}/`, event: "<script>" }), /event must be 1 to 64/],
      ["event too long", json({ url: `${b}/`, event: "e".repeat(65) }), /event must be 1 to 64/],
      ["empty event", json({ url: `${b}/`, event: "" }), /event must be 1 to 64/],
      ["referrer not a URL", json({ url: `${b}/`, referrer: "nonsense" }), /referrer must be a URL/],
      ["referrer of the wrong type", json({ url: `${b}/`, referrer: { a: 1 } }), /referrer must be a string/],
      ["body not JSON", { body: "{nope", headers: { "Content-Type": "text/plain" } }, /not valid JSON/],
      ["body a JSON array", json([1, 2]), /JSON object/],
      ["body a JSON string", json("url"), /JSON object/],
      ["query url not under base", { query: { url: "https://elsewhere.example/" } }, /not under/],
    ];
    for (const [name, init, message] of cases) {
      const res = await beacon(site.id, init);
      expect(res.status, name).toBe(400);
      expect(res.headers.get("Access-Control-Allow-Origin"), name).toBe("*");
      const text = await res.text();
      // Anyone can call the beacon: a refusal never tells them which site an id belongs to.
      expect(text, name).not.toContain(new URL(b).host);
      const body = JSON.parse(text) as { error: string; message: string };
      expect(body.error, name).toBe("bad request");
      expect(body.message, name).toMatch(message);
    }
    expect(await settle(site.id, site.baseUrl, 0)).toEqual([]);
  });

  it("413s bodies over 16 KB (room for 30 custom properties), with or without a Content-Length", async () => {
    const site = await siteFor("big");
    const big = JSON.stringify({ url: `${site.baseUrl}/`, referrer: `https://r.example/${"x".repeat(16_500)}` });
    const res = await beacon(site.id, { body: big, headers: { "Content-Type": "text/plain" } });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: "payload too large", message: "body is larger than 16384 bytes" });
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });
    const chunked = await beacon(site.id, { body: stream, headers: { "Content-Type": "text/plain" } });
    expect(chunked.status).toBe(413);
    // Just under the limit is fine.
    const ok = await beacon(site.id, json({ url: `${site.baseUrl}/`, referrer: `https://r.example/${"x".repeat(1900)}` }));
    expect(ok.status).toBe(204);
    // Only that one was stored: the refused bodies left nothing behind.
    const stored = await settle(site.id, site.baseUrl, 1);
    expect(stored.map((r) => [r.path, r.referrer_host])).toEqual([["/", "r.example"]]);
  });
});

describe("beacon: hits that are answered but never stored", () => {
  it("drops Do Not Track, Global Privacy Control and bots", async () => {
    const site = await siteFor("dnt");
    const body = JSON.stringify({ url: `${site.baseUrl}/private` });
    const ignored: Record<string, string>[] = [
      { DNT: "1" },
      { "Sec-GPC": "1" },
      { "User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" },
      { "User-Agent": "curl/8.5.0" },
      { "User-Agent": "" },
      { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36" },
    ];
    for (const headers of ignored) {
      const res = await beacon(site.id, { body, headers: { "Content-Type": "text/plain", ...headers } });
      expect(res.status, JSON.stringify(headers)).toBe(204);
      expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    }
    // HEAD (link checkers, prefetch) is answered and not counted either.
    expect((await beacon(site.id, { method: "HEAD", query: { url: `${site.baseUrl}/private` } })).status).toBe(204);
    // The noscript image honours them too.
    expect((await beacon(site.id, { headers: { DNT: "1", Referer: `${site.baseUrl}/private` } })).status).toBe(204);
    // DNT: 0 is not an opt-out.
    expect((await beacon(site.id, { body, headers: { "Content-Type": "text/plain", DNT: "0" } })).status).toBe(204);
    const stored = await settle(site.id, site.baseUrl, 1);
    expect(stored.map((r) => r.path)).toEqual(["/private"]);
    expect(await visitRows(site.id)).toHaveLength(2);
  });
});
