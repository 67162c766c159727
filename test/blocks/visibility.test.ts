// What a block hides (features/blocks, db/blocks.ts): the blocked member's posts from the blocker's feeds,
// tag pages and search, their comments under any post, their notifications (new ones are not written, old
// ones go); the blocker from the blocked member's search. Nobody else sees a trace, the blocked member
// nothing beyond a refusal, and each page still costs the same number of D1 queries.
import { env } from "cloudflare:test";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { listPostsSql, type PostScope } from "../../src/features/posts/queries";
import { personHitsSql, postHitsSql } from "../../src/features/search/queries";
import { ftsSearch } from "../../src/lib/fts";
import type { Account } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { d1Queries, HX } from "../helpers/http";
import { follow, insertComment, insertPost, postIds } from "../helpers/posts";
import { block, expectBlocksByKey, members, word } from "./helpers";

const page = async (who: Account | Client, path: string) => {
  const client = who instanceof Client ? who : who.client;
  const res = await client.get(path);
  expect(res.status).toBe(200);
  return { html: await res.text(), queries: d1Queries(res) };
};
const notificationsOf = (userId: number) =>
  env.DB.prepare("SELECT kind, actor_id AS actor FROM notifications WHERE user_id = ? ORDER BY id")
    .bind(userId)
    .all<{ kind: string; actor: number }>()
    .then((r) => r.results);

describe("posts", () => {
  it("leave the blocker's Explore, Followed feed and tag pages; others and visitors still see them", async () => {
    const [ann, ben, cat] = await members("vp");
    const tag = word("tag");
    const now = Date.now();
    const benPost = await insertPost(ben.id, `ben on #${tag}`, now);
    const catPost = await insertPost(cat.id, `cat on #${tag}`, now - 1000);
    await env.DB.prepare("INSERT INTO post_tags (post_id, tag, created_at) VALUES (?, ?, ?), (?, ?, ?)")
      .bind(benPost, tag, now, catPost, tag, now - 1000)
      .run();
    await follow(ann.id, ben.id);
    await follow(ann.id, cat.id);
    const before = await page(ann, "/explore");
    expect(postIds(before.html)).toContain(benPost);

    await block(ann, ben);
    const explore = await page(ann, "/explore");
    expect(postIds(explore.html)).not.toContain(benPost);
    expect(postIds(explore.html)).toContain(catPost);
    expect(explore.queries).toBe(before.queries);
    await ann.client.get("/followed");
    const followed = await page(ann, "/");
    expect(postIds(followed.html)).not.toContain(benPost);
    expect(postIds(followed.html)).toContain(catPost);
    expect(postIds((await page(ann, `/tags/${tag}`)).html)).toEqual([catPost]);

    // Everyone else, the blocked member included, sees the lists as before.
    for (const who of [cat, ben, new Client()]) {
      expect(postIds((await page(who, "/explore")).html)).toContain(benPost);
      expect(postIds((await page(who, `/tags/${tag}`)).html)).toEqual([benPost, catPost]);
    }
    // The blocked member's own profile still lists their posts, even for the blocker.
    expect(postIds((await page(ann, `/user/${ben.username}`)).html)).toEqual([benPost]);
  }, 30_000);
});

describe("comments", () => {
  it("of the blocked member are hidden from the blocker under any post, and from the count; others see them", async () => {
    const [ann, ben, cat] = await members("vc");
    const postId = await insertPost(cat.id, "cat's post", Date.now());
    const hidden = word("said");
    await insertComment(postId, ben.id, `ben ${hidden}`);
    await insertComment(postId, cat.id, "cat replies");
    await block(ann, ben);
    const mine = await page(ann, `/post/${postId}`);
    expect(mine.html).not.toContain(hidden);
    expect(mine.html).toContain("cat replies");
    expect(mine.html).toContain('<h2 id="comments-title">1 comment</h2>');
    const theirs = await page(cat, `/post/${postId}`);
    expect(theirs.html).toContain(hidden);
    expect(theirs.html).toContain('<h2 id="comments-title">2 comments</h2>');
    expect(theirs.queries).toBe(mine.queries);
    expect((await page(new Client(), `/post/${postId}`)).html).toContain(hidden);
    // Ann's own comment appended in place brings the total as her page counts it (Ben's left out).
    const appended = await ann.client.post(`/post/${postId}/comments`, { body: "ann adds", on_last_page: "1" }, HX);
    expect(appended.status).toBe(200);
    expect(await appended.text()).toContain('<h2 id="comments-title" hx-swap-oob="true">2 comments</h2>');
  });
});

describe("search", () => {
  it("hides the blocker from the blocked member (people and posts), and the blocked member from the blocker", async () => {
    const [ann, ben, cat] = await members("vs");
    const w = word("topic");
    await insertPost(ann.id, `ann about ${w}`, Date.now());
    await insertPost(ben.id, `ben about ${w}`, Date.now());
    await block(ann, ben);
    const forBen = await page(ben, `/search?q=${w}`);
    expect(forBen.html).not.toContain("ann about");
    expect(forBen.html).toContain("ben about");
    expect((await page(ben, `/search?q=${ann.username}&type=people`)).html).not.toContain(`href="/user/${ann.username}"`);
    const forAnn = await page(ann, `/search?q=${w}`);
    expect(forAnn.html).not.toContain("ben about");
    expect(forAnn.html).toContain("ann about");
    expect((await page(ann, `/search?q=${ben.username}`)).html).not.toContain(`href="/user/${ben.username}"`);
    // A third member and a visitor find both, with the same number of queries.
    const forCat = await page(cat, `/search?q=${w}`);
    expect(forCat.html).toContain("ann about");
    expect(forCat.html).toContain("ben about");
    expect(forCat.queries).toBe(forBen.queries);
    expect((await page(new Client(), `/search?q=${ann.username}`)).html).toContain(`href="/user/${ann.username}"`);
  });
});

describe("notifications", () => {
  it("from the blocked member: the old ones go, new ones are not written (comment, reply, mention, like)", async () => {
    const [ann, ben, cat] = await members("vn");
    const annPost = await insertPost(ann.id, "ann's post", Date.now());
    expect((await ben.client.post(`/post/${annPost}/comments`, { body: "from ben" })).status).toBe(303);
    expect((await cat.client.post(`/post/${annPost}/comments`, { body: "from cat" })).status).toBe(303);
    expect((await ben.client.post(`/follow/${ann.username}`)).status).toBe(303);
    // One comment group (ben then cat: cat is its latest actor) and one follow from ben.
    expect((await notificationsOf(ann.id)).map((x) => x.kind).sort()).toEqual(["comment", "follow"]);

    await block(ann, ben);
    const left = await notificationsOf(ann.id);
    expect(left).toEqual([{ kind: "comment", actor: cat.id }]);
    const actors = await env.DB.prepare("SELECT a.actor_id FROM notification_actors a JOIN notifications n ON n.id = a.notification_id WHERE n.user_id = ?")
      .bind(ann.id)
      .all<{ actor_id: number }>();
    expect(actors.results.map((r) => r.actor_id)).toEqual([cat.id]);
    // (The list only: the page also carries the block's own flash.)
    const html = (await page(ann, "/notifications")).html;
    const lines = html.slice(html.indexOf('<ul class="notifications">'));
    const text = lines.replace(/<[^>]+>/g, "").replace(/\s+/g, " ");
    expect(text).toContain(`${cat.username} commented on your post`);
    expect(text).not.toContain("and 1 other");
    expect(lines).not.toContain(ben.username);

    // New events from Ben tell Ann nothing: a reply under a post both commented on, a mention; a like is refused.
    await env.DB.prepare("UPDATE notifications SET read_at = ? WHERE user_id = ?").bind(Date.now(), ann.id).run();
    const catPost = await insertPost(cat.id, "cat's post", Date.now());
    await insertComment(catPost, ann.id, "ann was here");
    expect((await ben.client.post(`/post/${catPost}/comments`, { body: "ben too" })).status).toBe(303);
    expect((await ben.client.post("/", { body: `hello @${ann.username}` })).status).toBe(303);
    expect((await ben.client.post(`/post/${annPost}/like`)).status).toBe(403);
    expect((await notificationsOf(ann.id)).filter((x) => x.actor === ben.id)).toEqual([]);
    // Cat, who blocked nobody, was told of Ben's comment as usual.
    expect((await notificationsOf(cat.id)).map((x) => x.actor)).toContain(ben.id);
  });
});

describe("privacy", () => {
  it("the blocked member and a third member see no trace of the block", async () => {
    const [ann, ben, cat] = await members("vx");
    await block(ann, ben);
    // Ben sees Ann's profile as anyone would: a Follow and a Block button, no Unblock, no word of it.
    const annForBen = (await page(ben, `/user/${ann.username}`)).html;
    expect(annForBen).toContain(`action="/follow/${ann.username}"`);
    expect(annForBen).toContain(`action="/block/${ann.username}"`);
    expect(annForBen).not.toMatch(/unblock|blocked/i);
    const benForCat = (await page(cat, `/user/${ben.username}`)).html;
    const annForCat = (await page(cat, `/user/${ann.username}`)).html;
    for (const html of [benForCat, annForCat]) expect(html).not.toMatch(/unblock|blocked/i);
    for (const html of [(await page(ben, "/account")).html, (await page(cat, "/account")).html]) expect(html).not.toContain(ann.username);
    expect((await page(ben, "/notifications")).html).not.toMatch(/blocked/i);
    // Only Ann's own view of Ben's profile says she blocked him.
    expect((await page(ann, `/user/${ben.username}`)).html).toContain(`action="/unblock/${ben.username}"`);
  });
});

describe("cost", () => {
  it("the block filter is a primary-key lookup inside each list's statement, never a scan of blocks or posts", async () => {
    const dialect = new SQLiteSyncDialect();
    const scopes: PostScope[] = [{ kind: "all" }, { kind: "followed", viewerId: 1 }, { kind: "tag", tag: "x" }];
    const match = ftsSearch("word");
    if (!match) throw new Error("no words");
    const statements = [
      ...scopes.map((scope) => listPostsSql(scope, { page: 1, before: null, after: null }, 20, 1)),
      postHitsSql(match, { limit: 21, offset: 0 }, null, 1),
      personHitsSql(match, { limit: 21, offset: 0 }, 1),
    ];
    for (const statement of statements) await expectBlocksByKey(dialect.sqlToQuery(statement), ["p", "posts"]);
  });
});
