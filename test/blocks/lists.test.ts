// What a block hides in lists and on a post's page (features/blocks, issue 12), both ways between the two
// members and for nobody else: comment counts in every post list (web and API) and under the post, follower
// and following lists (web and API), and the permalink (the blocker gets a notice with Unblock, the blocked
// member a 404 like a missing post). Each page costs the same D1 queries with or without blocks.
import { env } from "cloudflare:test";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db";
import { listPostsSql } from "../../src/features/posts/queries";
import { followListQuery } from "../../src/features/users/queries";
import { API, apiUser } from "../api/helpers";
import type { Account } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { d1Queries } from "../helpers/http";
import { follow, insertComment, insertPost, postIds } from "../helpers/posts";
import { block, expectBlocksByKey, members, unblock, word } from "./helpers";

type Viewer = Account | Client;
const clientOf = (who: Viewer) => (who instanceof Client ? who : who.client);

async function page(who: Viewer, path: string) {
  const res = await clientOf(who).get(path);
  expect(res.status, path).toBe(200);
  return { html: await res.text(), queries: d1Queries(res) };
}

/** The comment count shown under post `postId` in a list page's HTML. */
function countUnder(html: string, postId: number): string | undefined {
  const m = html.match(new RegExp(`id="post-${postId}-comment-count"[^>]*>\\s*([^<]+?)\\s*<`));
  return m?.[1];
}

/** Usernames linked from a follower list's entries. */
const listed = (html: string, names: string[]) => names.filter((n) => html.includes(`href="/user/${n}"`));

describe("comment counts", () => {
  it("leave out comments hidden by a block, either way, in every post list and under the post; others count all", async () => {
    const [ann, ben, cat] = await members("lc");
    const tag = word("tag");
    const postId = await insertPost(cat.id, `cat on #${tag}`, Date.now());
    await insertComment(postId, cat.id, "cat first");
    await insertComment(postId, ann.id, "ann says");
    await insertComment(postId, ben.id, "ben says");
    await follow(ann.id, cat.id);
    await follow(ben.id, cat.id);
    await env.DB.prepare("INSERT INTO post_tags (post_id, tag, created_at) VALUES (?, ?, ?)").bind(postId, tag, Date.now()).run();
    const before = await page(ann, "/explore");
    expect(countUnder(before.html, postId)).toBe("3 comments");

    await block(ann, ben);
    const paths = ["/explore", `/user/${cat.username}`, `/tags/${tag}`];
    for (const [who, expected] of [
      [ann, "2 comments"],
      [ben, "2 comments"],
      [cat, "3 comments"],
      [new Client(), "3 comments"],
    ] as const) {
      for (const path of paths) {
        const p = await page(who, path);
        expect(postIds(p.html), path).toContain(postId);
        expect(countUnder(p.html, postId), `${path} ${expected}`).toBe(expected);
      }
    }
    await clientOf(ann).get("/followed");
    const home = await page(ann, "/");
    expect(countUnder(home.html, postId)).toBe("2 comments");
    // Same statement: the blocker's Explore costs what it did before the block.
    expect((await page(ann, "/explore")).queries).toBe(before.queries);
    // Under the post, the blocked member no longer sees the blocker's comment either.
    const forBen = await page(ben, `/post/${postId}`);
    expect(forBen.html).not.toContain("ann says");
    expect(forBen.html).toContain('<h2 id="comments-title">2 comments</h2>');
    // Unblocking counts them again.
    await unblock(ann, ben);
    expect(countUnder((await page(ann, "/explore")).html, postId)).toBe("3 comments");
  }, 30_000);

  it("in the API: lists, one post and its comments count and list as the caller is shown them", async () => {
    const ann = await apiUser("lca");
    const ben = await apiUser("lcb");
    const cat = await apiUser("lcc");
    const postId = await insertPost(cat.id, "cat's post for the API", Date.now());
    const named = { ann, ben, cat };
    for (const [name, who] of Object.entries(named)) await insertComment(postId, who.id, `${name} in api`);
    await block(ann, ben);
    const countIn = (list: { url: string; comment_count: number }[]) => list.find((p) => p.url === `${API}/posts/${postId}`)?.comment_count;
    for (const [who, n] of [
      [ann, 2],
      [ben, 2],
      [cat, 3],
    ] as const) {
      expect(countIn((await who.api.get("/posts/")).body.posts), who.username).toBe(n);
      expect(countIn((await who.api.get(`/users/${cat.id}/posts/`)).body.posts)).toBe(n);
      expect((await who.api.get(`/posts/${postId}`)).body.comment_count).toBe(n);
      const comments = (await who.api.get(`/posts/${postId}/comments/`)).body;
      expect(comments.count).toBe(n);
      expect(comments.comments).toHaveLength(n);
    }
    const bodies = ((await ann.api.get(`/posts/${postId}/comments/`)).body.comments as { body: string }[]).map((c) => c.body);
    expect(bodies).not.toContain("ben in api");
    const all = ((await ben.api.get("/comments/")).body.comments as { body: string }[]).map((c) => c.body);
    expect(all).not.toContain("ann in api");
    expect(all).toContain("ben in api");
  }, 30_000);
});

describe("follower lists", () => {
  it("hide the blocked member from the blocker and the blocker from the blocked member; others see both", async () => {
    const [ann, ben, cat] = await members("lf");
    const dan = (await members("lfd", 2))[0];
    // Ann and Ben both follow Cat and Dan, and Cat and Dan follow both.
    for (const a of [ann, ben]) {
      for (const b of [cat, dan]) {
        await follow(a.id, b.id);
        await follow(b.id, a.id);
      }
    }
    await block(ann, ben);
    const names = [ann.username, ben.username];
    for (const path of [`/followers/${cat.username}`, `/followed_by/${dan.username}`]) {
      expect(listed((await page(ann, path)).html, names), path).toEqual([ann.username]);
      expect(listed((await page(ben, path)).html, names), path).toEqual([ben.username]);
      expect(listed((await page(cat, path)).html, names), path).toEqual(names);
      expect(listed((await page(new Client(), path)).html, names), path).toEqual(names);
    }
    // Same cost with or without the filter.
    expect((await page(ann, `/followers/${cat.username}`)).queries).toBe((await page(cat, `/followers/${cat.username}`)).queries);
    // Unknown names are still 404; a bad page number is page 1.
    expect((await clientOf(ann).get("/followers/nobody-here-xyz")).status).toBe(404);
    expect(listed((await page(ann, `/followers/${cat.username}?page=abc`)).html, names)).toEqual([ann.username]);
  }, 30_000);

  it("in the API: the same for the caller, both ways", async () => {
    const ann = await apiUser("lfa");
    const ben = await apiUser("lfb");
    const cat = await apiUser("lfc");
    for (const a of [ann, ben]) {
      await follow(a.id, cat.id);
      await follow(cat.id, a.id);
    }
    await block(ann, ben);
    const names = async (who: typeof ann, path: string) => ((await who.api.get(path)).body.users as { username: string }[]).map((u) => u.username).sort();
    for (const path of [`/users/${cat.id}/followers/`, `/users/${cat.id}/following/`]) {
      expect(await names(ann, path)).toEqual([ann.username]);
      expect(await names(ben, path)).toEqual([ben.username]);
      expect(await names(cat, path)).toEqual([ann.username, ben.username].sort());
    }
    expect((await ann.api.get("/users/999999999/followers/")).status).toBe(404);
  }, 30_000);
});

describe("a post's page", () => {
  it("shows the blocker a notice with Unblock instead of the blocked member's post; Unblock brings it back", async () => {
    const [ann, ben] = await members("lp", 2);
    const secret = word("words");
    const postId = await insertPost(ben.id, `ben's ${secret}`, Date.now());
    const queriesBefore = (await page(ann, `/post/${postId}`)).queries;
    await block(ann, ben);
    const res = await clientOf(ann).get(`/post/${postId}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain(secret);
    expect(html).toContain(`You blocked ${ben.username}, so their posts are hidden from you.`);
    expect(html).toContain(`action="/unblock/${ben.username}"`);
    expect(html).toContain(`name="next" value="/post/${postId}"`);
    // A plain form even with htmx: its redirect back redraws the page with the post (no stale notice).
    expect(html).not.toContain(`hx-post="/unblock/${ben.username}"`);
    expect(d1Queries(res)).toBeLessThanOrEqual(queriesBefore);
    const back = await unblock(ann, ben, { next: `/post/${postId}` });
    expect(back.status).toBe(303);
    expect(back.headers.get("Location")).toBe(`/post/${postId}`);
    expect((await page(ann, `/post/${postId}`)).html).toContain(secret);
  }, 30_000);

  it("is a 404 like a missing post for the blocked member; everyone else sees the post", async () => {
    const [ann, ben, cat] = await members("lq");
    const secret = word("words");
    const postId = await insertPost(ann.id, `ann's ${secret}`, Date.now());
    await block(ann, ben);
    const missing = await clientOf(ben).get("/post/999999999");
    const res = await clientOf(ben).get(`/post/${postId}`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).not.toContain(secret);
    expect(html).toContain("That post does not exist.");
    expect(html).not.toMatch(/blocked/i);
    expect(missing.status).toBe(404);
    for (const who of [cat, ann, new Client()]) expect((await page(who, `/post/${postId}`)).html).toContain(secret);
    // In the API too: the blocked member gets the 404 of a missing post; the blocker and others the post.
    const apiGet = (who: Account) => who.client.get(`/api/v1/posts/${postId}`, { Authorization: `Basic ${btoa(`${who.email}:${who.password}`)}` });
    expect((await apiGet(ben)).status).toBe(404);
    const comments = await ben.client.get(`/api/v1/posts/${postId}/comments/`, { Authorization: `Basic ${btoa(`${ben.email}:${ben.password}`)}` });
    expect(comments.status).toBe(404);
    for (const who of [ann, cat]) expect((await apiGet(who)).status).toBe(200);
    // Bad ids stay 404 for anyone.
    for (const bad of ["abc", "0", "-1", "1e3", "99999999999999999999"]) expect((await clientOf(ann).get(`/post/${bad}`)).status, bad).toBe(404);
  }, 30_000);

  it("the blocked member's lists leave out the blocker's posts, the profile's too, so no link leads to that 404", async () => {
    const [ann, ben, cat] = await members("lr");
    const annPost = await insertPost(ann.id, "ann's post for lists", Date.now());
    const catPost = await insertPost(cat.id, "cat's post for lists", Date.now());
    await follow(ben.id, ann.id);
    await block(ann, ben);
    for (const path of ["/explore", `/user/${ann.username}`]) {
      const ids = postIds((await page(ben, path)).html);
      expect(ids, path).not.toContain(annPost);
    }
    expect(postIds((await page(ben, "/explore")).html)).toContain(catPost);
    // The blocker still finds the blocked member's profile posts (each opens as the notice); others see all.
    expect(postIds((await page(cat, `/user/${ann.username}`)).html)).toEqual([annPost]);
    expect(postIds((await page(new Client(), "/explore")).html)).toContain(annPost);
  }, 30_000);
});

describe("cost", () => {
  it("the comment count's and follow list's block filters are primary-key lookups, never a scan of blocks", async () => {
    const author = listPostsSql({ kind: "author", authorId: 1 }, { page: 1, before: null, after: null }, 20, 2);
    const follows = followListQuery(getDb(env.DB), "followers", "someone", 1, 50, 2).toSQL();
    for (const q of [new SQLiteSyncDialect().sqlToQuery(author), follows]) await expectBlocksByKey(q, ["c", "comments", "p", "posts"]);
  }, 30_000);
});
