// Roost measures itself: a post's views go through the site analytics pipeline (tracker.js or the
// <noscript> pixel → the beacon → the visits queue → rollups) under the author's "Your posts on Roost"
// site, made when they publish; DNT, GPC and bots are not counted. Only the author sees the count, on the
// post page and on /posts/stats; another member, a moderator and anonymous visitors see nothing of it.
// The post page's D1 cost does not grow with its views.
import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { type Account, confirmedUser } from "../helpers/accounts";
import { Client, ORIGIN } from "../helpers/client";
import { d1Queries } from "../helpers/http";
import { beacon, hexId, store, visit, visitRows, waitForVisits } from "./helpers";

const BASE = `${ORIGIN}/post`;

async function publish(author: Account, body: string): Promise<number> {
  const res = await author.client.post("/", { body });
  expect(res.status).toBeLessThan(400);
  const row = await env.DB.prepare("SELECT id FROM posts WHERE author_id = ? AND body = ?").bind(author.id, body).first<{ id: number }>();
  return row!.id;
}

const postsSite = (userId: number) =>
  env.DB.prepare("SELECT id, name FROM sites WHERE user_id = ? AND base_url = ?").bind(userId, BASE).first<{ id: number; name: string }>();

const VIEWS_TEXT = /views? in the last 30 days \(only you see this\)/;

describe("Roost measures itself", () => {
  let author: Account;
  let other: Account;
  let moderator: Account;
  let postId: number;
  let siteId: number;
  beforeAll(async () => {
    author = await confirmedUser("selfauthor");
    other = await confirmedUser("selfother");
    moderator = await confirmedUser("selfmod", { role: "Moderator" });
    postId = await publish(author, "Measured post, hello");
    siteId = (await postsSite(author.id))!.id;
  });

  it("publishing makes the author's posts site once; a second post reuses it", async () => {
    expect(await postsSite(author.id)).toEqual({ id: siteId, name: "Your posts on Roost" });
    await publish(author, "Second measured post");
    const { results } = await env.DB.prepare("SELECT id FROM sites WHERE user_id = ?").bind(author.id).all();
    expect(results).toEqual([{ id: siteId }]);
    // It is an ordinary site of theirs: listed under /sites, with its full report, to them only.
    expect(await (await author.client.get("/sites")).text()).toContain("Your posts on Roost");
    expect((await other.client.get(`/sites/${siteId}`)).status).toBe(404);
  });

  it("the post page carries the tracker and the no-JavaScript pixel for everyone but the author", async () => {
    for (const client of [new Client(), other.client, moderator.client]) {
      const html = await (await client.get(`/post/${postId}`)).text();
      expect(html).toContain(`<script src="/tracker.js" data-site="${siteId}" defer="">`);
      expect(html).toContain(`<noscript><img class="visually-hidden" src="/sites/${siteId}/visit?url=${encodeURIComponent(`${BASE}/${postId}`)}"`);
      expect(html).not.toMatch(VIEWS_TEXT);
    }
    // The author's own visits are not counted.
    expect(await (await author.client.get(`/post/${postId}`)).text()).not.toContain("/tracker.js");
  });

  it("views are counted by the beacon (script and pixel); DNT, GPC and bots are not; only the author sees the count", async () => {
    const url = `${BASE}/${postId}`;
    const hit = (ip: string, headers: Record<string, string> = {}) =>
      beacon(siteId, {
        body: JSON.stringify({ url, referrer: "https://news.example/" }),
        headers: { "CF-Connecting-IP": ip, "Content-Type": "text/plain", ...headers },
      });
    expect((await hit("203.0.113.1")).status).toBe(204);
    expect((await hit("203.0.113.2")).status).toBe(204);
    // The pixel: a GET with the page's URL in the query string.
    expect((await beacon(siteId, { query: { url }, headers: { "CF-Connecting-IP": "203.0.113.3" } })).status).toBe(204);
    expect((await hit("203.0.113.4", { DNT: "1" })).status).toBe(204);
    expect((await hit("203.0.113.5", { "Sec-GPC": "1" })).status).toBe(204);
    expect((await hit("203.0.113.6", { "User-Agent": "Googlebot/2.1 (+http://www.google.com/bot.html)" })).status).toBe(204);
    const rows = await waitForVisits(siteId, 3);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await visitRows(siteId)).length).toBe(3);
    // Nothing that could follow a person: no IP, no user agent, a daily visitor hash.
    expect(Object.keys(rows[0]!)).not.toContain("ip");
    expect(JSON.stringify(rows)).not.toContain("203.0.113");

    const mine = await (await author.client.get(`/post/${postId}`)).text();
    expect(mine).toContain("3 views in the last 30 days (only you see this).");
    for (const client of [new Client(), other.client, moderator.client]) {
      expect(await (await client.get(`/post/${postId}`)).text()).not.toMatch(VIEWS_TEXT);
    }
  });

  it("/posts/stats lists the author's viewed posts with their views, and nobody else's", async () => {
    // A hit on another member's post sent to this author's site is not theirs to see.
    const othersPost = await publish(other, "Someone else's post");
    await store([visit(siteId, { path: `/post/${othersPost}`, visitor: hexId(77) })]);
    const html = await (await author.client.get("/posts/stats")).text();
    expect(html).toContain('<h1 class="page-title">Your posts</h1>');
    expect(html).toMatch(new RegExp(`<a href="/post/${postId}">Measured post, hello</a></td><td>[^<]+</td><td class="num">3</td>`));
    expect(html).not.toContain(`/post/${othersPost}"`);

    const theirs = await (await other.client.get("/posts/stats")).text();
    expect(theirs).toContain("None of your posts has been viewed in the last 30 days.");
    expect(theirs).not.toContain("Measured post");
    expect(await (await moderator.client.get("/posts/stats")).text()).not.toContain("Measured post");

    const anon = await SELF.fetch(`${ORIGIN}/posts/stats`, { redirect: "manual" });
    expect([302, 303]).toContain(anon.status);
    expect(anon.headers.get("Location")).toMatch(/^\/auth\/login/);
  });

  it("members find /posts/stats in the account menu and on their own profile; visitors and other profiles have no link", async () => {
    const menuLink = /<a href="\/posts\/stats"[^>]*>\s*Your Posts\s*<\/a>/;
    const profileLink = '<a href="/posts/stats">Views of your posts</a>';
    for (const member of [author, other, moderator]) {
      const home = await (await member.client.get("/")).text();
      expect(home, member.username).toMatch(menuLink);
      expect(/<details[^>]*class="[^"]*account-menu[\s\S]*?<\/details>/.exec(home)?.[0] ?? home, "inside the account menu").toMatch(menuLink);
      expect(await (await member.client.get(`/user/${member.username}`)).text()).toContain(profileLink);
    }
    // On the page itself the menu marks where you are.
    expect(await (await author.client.get("/posts/stats")).text()).toMatch(/<a href="\/posts\/stats" aria-current="page">/);
    // Another member's profile: no link to views that are not theirs.
    expect(await (await other.client.get(`/user/${author.username}`)).text()).not.toContain(profileLink);
    // Visitors: neither in the header nor on a profile.
    for (const path of ["/", "/explore", `/user/${author.username}`]) {
      const res = await SELF.fetch(`${ORIGIN}${path}`);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html, path).not.toContain("/posts/stats");
      expect(html, path).not.toContain("Your Posts");
    }
  });

  it("opening /posts/stats before any post makes the site, so counting starts", async () => {
    const newcomer = await confirmedUser("selfnew");
    expect(await postsSite(newcomer.id)).toBeNull();
    expect(await (await newcomer.client.get("/posts/stats")).text()).toContain("None of your posts has been viewed");
    expect(await postsSite(newcomer.id)).not.toBeNull();
  });

  it("the post page costs the same D1 queries with no views and with many", async () => {
    const quiet = await publish(author, "Nobody reads this one");
    await store(Array.from({ length: 200 }, (_, i) => visit(siteId, { path: `/post/${postId}`, visitor: hexId(1000 + i) })));
    for (const client of [author.client, other.client]) {
      const a = d1Queries(await client.get(`/post/${quiet}`));
      const b = d1Queries(await client.get(`/post/${postId}`));
      expect(b).toBe(a);
    }
    expect(await (await author.client.get(`/post/${postId}`)).text()).toContain("203 views in the last 30 days");
  });
});
