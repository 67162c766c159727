// Feeds: the Mega-Tutorial's followed-posts case, tabs remembered in a cookie, pagination edges,
// Load more fragments, and the performance contract (fixed query count, indexed plans).
import { env } from "cloudflare:test";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { listPostsSql, type PostScope } from "../../src/features/posts/queries";
import type { PageRequest } from "../../src/lib/pagination";
import { confirmedUser } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { d1Queries } from "../helpers/http";
import { follow, insertPost, link, postIds } from "../helpers/posts";

const T0 = Date.UTC(2026, 0, 1);

describe("followed feed (Mega-Tutorial case)", () => {
  it("shows each user their own posts and those of the people they follow, newest first", async () => {
    const [john, susan, mary, david] = await Promise.all(["john", "susan", "mary", "david"].map((n) => confirmedUser(n)));
    // Posts one second apart: john, susan, mary, david.
    const p1 = await insertPost(john!.id, "post from john", T0 + 4000);
    const p2 = await insertPost(susan!.id, "post from susan", T0 + 2000);
    const p3 = await insertPost(mary!.id, "post from mary", T0 + 1000);
    const p4 = await insertPost(david!.id, "post from david", T0 + 3000);
    await follow(john!.id, susan!.id);
    await follow(john!.id, david!.id);
    await follow(susan!.id, mary!.id);
    await follow(mary!.id, david!.id);
    const expected: [typeof john, number[]][] = [
      [john, [p1, p4, p2]],
      [susan, [p2, p3]],
      [mary, [p4, p3]],
      [david, [p4]],
    ];
    for (const [user, ids] of expected) {
      await user!.client.get("/followed");
      const html = await (await user!.client.get("/")).text();
      expect(postIds(html)).toEqual(ids);
    }
  });
});

describe("tabs", () => {
  it("remembers All / Followed in a cookie", async () => {
    const me = await confirmedUser("tabs");
    const other = await confirmedUser("tabsother");
    const mine = await insertPost(me.id, "mine", Date.now() - 1000);
    const theirs = await insertPost(other.id, "theirs", Date.now() - 500);
    const toFollowed = await me.client.get("/followed");
    expect(toFollowed.status).toBe(303);
    expect(toFollowed.headers.get("Set-Cookie")).toContain("feed=followed");
    let html = await (await me.client.get("/")).text();
    expect(html).toMatch(/<a href="\/followed" aria-current="page">/);
    expect(postIds(html)).toContain(mine);
    expect(postIds(html)).not.toContain(theirs);
    await me.client.get("/all");
    html = await (await me.client.get("/")).text();
    expect(html).toMatch(/<a href="\/all" aria-current="page">/);
    expect(postIds(html)).toEqual(expect.arrayContaining([mine, theirs]));
  });

  it("anonymous visitors see every post and no tabs", async () => {
    const html = await (await new Client().get("/")).text();
    expect(html).toContain("Your own blog, among friends.");
    expect(html).not.toContain('href="/followed"');
  });
});

describe("pagination", () => {
  // One author with 45 posts, so explore has at least 3 pages of 20 in this file's storage.
  async function author45() {
    const a = await confirmedUser("pager");
    const ids: number[] = [];
    for (let i = 0; i < 45; i++) ids.push(await insertPost(a.id, `p${i}`, T0 + 10_000_000 + i * 1000));
    return { a, ids: ids.reverse() };
  }

  it("walks older and newer links with the same items as an offset would give, then ends", async () => {
    const { a } = await author45();
    const c = a.client;
    const p1 = await (await c.get("/explore")).text();
    const first = postIds(p1);
    expect(first).toHaveLength(20);
    const older = link(p1, "next")!;
    expect(older).toMatch(/^\/explore\?page=2&before=\d+\.\d+$/);
    expect(link(p1, "prev")).toBeNull();
    const p2 = await (await c.get(older)).text();
    const second = postIds(p2);
    expect(second).toHaveLength(20);
    expect(second[0]).not.toBe(first[19]);
    // Same order as OFFSET would give.
    const byOffset = postIds(await (await c.get("/explore?page=2")).text());
    expect(second).toEqual(byOffset);
    // Newer from page 2 goes back to page 1's items.
    const newer = link(p2, "prev")!;
    expect(postIds(await (await c.get(newer)).text())).toEqual(first);
    expect(new Set([...first, ...second]).size).toBe(40);
  });

  it("treats malformed page numbers as page 1 and shows an empty state past the end", async () => {
    const c = new Client();
    const p1 = postIds(await (await c.get("/explore")).text());
    for (const q of ["?page=abc", "?page=-3", "?page=0", "?page=1.5", "?page=99999999999", "?page=2&before=garbage"]) {
      const res = await c.get(`/explore${q}`);
      expect(res.status).toBe(200);
      if (!q.includes("before")) expect(postIds(await res.text())).toEqual(p1);
    }
    const past = await c.get("/explore?page=5000");
    expect(past.status).toBe(200);
    const html = await past.text();
    expect(postIds(html)).toEqual([]);
    expect(html).toContain("Back to the newest posts");
  });

  it("answers Load more (htmx partial) with only the next items and the next control", async () => {
    const c = new Client();
    const p1 = await (await c.get("/explore")).text();
    const older = link(p1, "next")!;
    const frag = await (await c.get(older, { "HX-Request": "true", "HX-Request-Type": "partial" })).text();
    expect(frag.startsWith('<li class="post"')).toBe(true);
    expect(frag).not.toContain("<html");
    expect(postIds(frag)).toHaveLength(20);
    expect(frag).toMatch(/<li class="load-more" id="load-more"><a href="\/explore\?page=3&amp;before=/);
  });

  it("Load more from the top records ?shown=N, which renders pages 1..N in one query; the pager moves on in place", async () => {
    const c = new Client();
    const p1 = await (await c.get("/explore")).text();
    const top = postIds(p1);
    const loadMore = p1.match(/hx-get="([^"]+)"[^>]*hx-push-url="([^"]+)"/)!;
    expect(loadMore[1]).toMatch(/^\/explore\?page=2&amp;before=\d+\.\d+&amp;stack=1$/);
    expect(loadMore[2]).toBe("/explore?shown=2");
    const frag = await (await c.get(loadMore[1]!.replaceAll("&amp;", "&"), { "HX-Request": "true", "HX-Request-Type": "partial" })).text();
    // The pager below the list, out of band: pages 1–2 shown, no "Newer" (the top is on screen), Older → page 3.
    expect(frag).toMatch(
      /<nav class="pager" id="pager" aria-label="Pages" hx-swap-oob="true"><span><\/span><span class="muted">Pages 1–2<\/span><a href="\/explore\?page=3&amp;before=/,
    );
    expect(frag).toContain('hx-push-url="/explore?shown=3"');

    const stacked = await c.get("/explore?shown=2");
    expect(d1Queries(stacked)).toBe(d1Queries(await c.get("/explore")));
    const html = await stacked.text();
    expect(postIds(html)).toEqual([...top, ...postIds(frag)]);
    expect(html).toContain("Pages 1–2");
    expect(link(html, "prev")).toBeNull();
    expect(link(html, "next")).toMatch(/^\/explore\?page=3&before=/);
  });

  it.each([
    ["?shown=1", 20],
    ["?shown=0", 20],
    ["?shown=11", 20],
    ["?shown=abc", 20],
    ["?page=2&shown=3", 20],
  ])("%s is one ordinary page", async (query, count) => {
    const html = await (await new Client().get(`/explore${query}`)).text();
    expect(postIds(html)).toHaveLength(count);
    expect(html).not.toContain("Pages ");
  });
});

describe("performance contract", () => {
  it("costs the same D1 round trips for 20 posts by 20 authors as for 1 post", async () => {
    const reader = await confirmedUser("reader");
    const lonely = await confirmedUser("lonely");
    const authors = await Promise.all(Array.from({ length: 20 }, (_, i) => confirmedUser(`au${i}`)));
    for (const [i, a] of authors.entries()) {
      await insertPost(a.id, `by ${a.username}`, T0 + 50_000_000 + i);
      await follow(reader.id, a.id);
    }
    const solo = await confirmedUser("solo");
    await insertPost(solo.id, "only one", T0 + 60_000_000);
    await follow(lonely.id, solo.id);
    await reader.client.get("/followed");
    await lonely.client.get("/followed");
    const many = await reader.client.get("/");
    const one = await lonely.client.get("/");
    expect(postIds(await many.text())).toHaveLength(20);
    expect(postIds(await one.text())).toHaveLength(1);
    expect(d1Queries(many)).toBe(d1Queries(one));
    expect(d1Queries(many)).toBeLessThanOrEqual(2);
    // Anonymous explore: a single query.
    expect(d1Queries(await new Client().get("/explore"))).toBe(1);
  }, 30_000); // registers 20 accounts (PBKDF2 each): slow on a loaded 2-core machine

  it("every list query uses an index (no full scan of posts or follows)", async () => {
    const dialect = new SQLiteSyncDialect();
    // The web's Followed feed merges the notes of people elsewhere (issue 13): no scan of those tables either.
    const scopes: PostScope[] = [
      { kind: "all" },
      { kind: "author", authorId: 1 },
      { kind: "followed", viewerId: 1 },
      { kind: "followed", viewerId: 1, remote: true },
    ];
    const reqs: PageRequest[] = [
      { page: 1, before: null, after: null },
      { page: 500, before: { ts: T0, id: 10 }, after: null },
      { page: 3, before: null, after: { ts: T0, id: 10 } },
    ];
    for (const scope of scopes) {
      for (const req of reqs) {
        const q = dialect.sqlToQuery(listPostsSql(scope, req));
        const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
          .bind(...q.params)
          .all<{ detail: string }>();
        const details = plan.results.map((r) => r.detail);
        for (const d of details) {
          expect(d, `${scope.kind} ${JSON.stringify(req)}: ${details.join(" | ")}`).not.toMatch(/^SCAN (p|f|posts|follows|rp|rf|remote_posts|remote_follows)$/);
        }
        expect(details.join(" | ")).toMatch(/USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY|PRIMARY KEY/);
      }
    }
  });
});
