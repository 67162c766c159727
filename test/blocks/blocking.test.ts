// Blocking and unblocking (features/blocks): from the profile without JavaScript and with htmx, the follows
// both ways ended in the same write, every refusal a block causes (follow both ways, comments on the
// blocker's posts, messages both ways) in neutral words, bad input, the account page's list and the export.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { expectSentToLogin, unconfirmedUser } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { HX, rawPost } from "../helpers/http";
import { follow, followCount, insertPost } from "../helpers/posts";
import { block, bothWays, members, unblock } from "./helpers";

async function blockRows(blockerId: number): Promise<number[]> {
  const { results } = await env.DB.prepare("SELECT blocked_id FROM blocks WHERE blocker_id = ? ORDER BY blocked_id")
    .bind(blockerId)
    .all<{ blocked_id: number }>();
  return results.map((r) => r.blocked_id);
}
const count = (sql: string, ...args: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...args)
    .first<{ n: number }>()
    .then((r) => r!.n);
const textOf = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("blocking from the profile", () => {
  it("without JavaScript: stores the block, ends the follows both ways, and the profile offers Unblock", async () => {
    const [ann, ben] = await members("bp", 2);
    await follow(ann.id, ben.id);
    await follow(ben.id, ann.id);
    const profile = await (await ann.client.get(`/user/${ben.username}`)).text();
    expect(profile).toContain(`action="/block/${ben.username}"`);

    const res = await block(ann, ben);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/user/${ben.username}`);
    const after = (await ann.client.follow(res)).html;
    expect(after).toContain(`You blocked ${ben.username}. They are not told.`);
    expect(after).toContain(`action="/unblock/${ben.username}"`);
    expect(after).toContain(`Unblock ${ben.username}`);
    expect(after).toContain("0 followers");
    expect(await blockRows(ann.id)).toEqual([ben.id]);
    expect(await followCount(ann.id, ben.id)).toBe(0);
    expect(await followCount(ben.id, ann.id)).toBe(0);
    // The self-follows stay: each still sees their own posts in their feed.
    expect(await followCount(ann.id, ann.id)).toBe(1);
    expect(await followCount(ben.id, ben.id)).toBe(1);
  });

  it("with htmx: the Unblock button in place, with the follow button and follower count out of band", async () => {
    const [ann, ben] = await members("bh", 2);
    await follow(ann.id, ben.id);
    const res = await block(ann, ben, {}, HX);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/^<form class="block-form" method="post" action="\/unblock\//);
    expect(html).toContain(`You blocked ${ben.username}.`);
    expect(html).toContain(
      `action="/follow/${ben.username}" hx-post="/follow/${ben.username}" hx-target="this" hx-swap="outerHTML" data-follow-of="${ben.id}" hx-swap-oob="outerHTML:[data-follow-of=&quot;${ben.id}&quot;]"`,
    );
    expect(html).toContain(`action="/follow/${ben.username}"`);
    expect(html).toMatch(/<a id="follower-count"[^>]*hx-swap-oob="true">0 followers<\/a>/);
    expect(await blockRows(ann.id)).toEqual([ben.id]);

    const back = await unblock(ann, ben, {}, HX);
    expect(back.status).toBe(200);
    const again = await back.text();
    expect(again).toContain(`action="/block/${ben.username}"`);
    expect(again).toContain(`You unblocked ${ben.username}.`);
    expect(await blockRows(ann.id)).toEqual([]);
  });
});

describe("bad input", () => {
  it("oneself is 400, an unknown member 404, twice 409, unblocking someone not blocked 409: nothing half-written", async () => {
    const [ann, ben] = await members("bb", 2);
    const self = await block(ann, ann);
    expect(self.status).toBe(400);
    expect(await self.text()).toContain("You cannot block yourself.");
    const selfUn = await unblock(ann, ann);
    expect(selfUn.status).toBe(400);
    expect(await selfUn.text()).toContain("You cannot unblock yourself.");
    for (const name of ["nobody_here_at_all", "<script>", "x".repeat(300)]) {
      const res = await ann.client.post(`/block/${encodeURIComponent(name)}`);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("There is no user with that name.");
      expect((await ann.client.post(`/unblock/${encodeURIComponent(name)}`)).status).toBe(404);
    }
    const notBlocked = await unblock(ann, ben);
    expect(notBlocked.status).toBe(409);
    expect(await notBlocked.text()).toContain(`You have not blocked ${ben.username}.`);

    expect((await block(ann, ben)).status).toBe(303);
    const twice = await block(ann, ben);
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain(`You have already blocked ${ben.username}.`);
    // With htmx the refusal comes back in place, as the button for the state the member is in.
    const twiceHx = await block(ann, ben, {}, HX);
    expect(twiceHx.status).toBe(409);
    const fragment = await twiceHx.text();
    expect(fragment).toContain(`action="/unblock/${ben.username}"`);
    expect(fragment).toContain('role="alert"');
    expect(await blockRows(ann.id)).toEqual([ben.id]);
  });

  it("no session goes to login, unconfirmed to confirm, CSRF is 403, GET is 405: nothing stored", async () => {
    const [ann, ben] = await members("bs", 2);
    expectSentToLogin(await new Client().post(`/block/${ben.username}`));
    expectSentToLogin(await new Client().post(`/unblock/${ben.username}`));
    const unconfirmed = await unconfirmedUser("bsu", { login: true });
    const res = await block(unconfirmed, ben);
    expect(res.headers.get("Location")).toBe("/auth/unconfirmed");
    const csrf = await rawPost(`/block/${ben.username}`, { Origin: "https://evil.example", Cookie: `__Host-session=${ann.client.session()}` });
    expect(csrf.status).toBe(403);
    for (const path of [`/block/${ben.username}`, `/unblock/${ben.username}`]) {
      const get = await ann.client.get(path);
      expect(get.status).toBe(405);
      expect(get.headers.get("Allow")).toBe("POST");
      expect(await get.text()).toContain("Use the Block and Unblock buttons");
    }
    expect(await blockRows(ann.id)).toEqual([]);
    expect(await blockRows(unconfirmed.id)).toEqual([]);
  });

  it("someone else's block cannot be undone: unblocking acts only on one's own", async () => {
    const [ann, ben, cat] = await members("bo");
    await block(ann, ben);
    const res = await unblock(cat, ben);
    expect(res.status).toBe(409);
    expect(await res.text()).toContain(`You have not blocked ${ben.username}.`);
    expect(await blockRows(ann.id)).toEqual([ben.id]);
  });
});

describe("what a block refuses", () => {
  it("follows both ways, in neutral words (no JS: a flash; htmx: 403 in place)", async () => {
    const [ann, ben] = await members("bf", 2);
    await block(ann, ben);
    for (const [who, other] of bothWays(ben, ann)) {
      const res = await who.client.post(`/follow/${other.username}`);
      expect(res.status).toBe(303);
      const page = (await who.client.follow(res)).html;
      expect(page).toContain("You can&#39;t follow this member.");
      expect(page).toContain("flash-error");
      const hx = await who.client.post(`/follow/${other.username}`, {}, HX);
      expect(hx.status).toBe(403);
      const fragment = await hx.text();
      expect(fragment).toContain("You can&#39;t follow this member.");
      expect(fragment).toContain(`action="/follow/${other.username}"`);
      expect(await followCount(who.id, other.id)).toBe(0);
    }
    expect(await count("SELECT count(*) AS n FROM notifications WHERE kind = 'follow' AND user_id IN (?, ?)", ann.id, ben.id)).toBe(0);
  });

  it("comments on the blocker's posts (page and htmx), but not on anyone else's", async () => {
    const [ann, ben, cat] = await members("bc");
    const annPost = await insertPost(ann.id, "ann writes", Date.now());
    const catPost = await insertPost(cat.id, "cat writes", Date.now());
    await block(ann, ben);
    const res = await ben.client.post(`/post/${annPost}/comments`, { body: "let me in" });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("You can&#39;t comment on this member&#39;s posts.");
    const hx = await ben.client.post(`/post/${annPost}/comments`, { body: "let me in", on_last_page: "1" }, HX);
    expect(hx.status).toBe(403);
    expect(hx.headers.get("HX-Retarget")).toBe("#comment-form");
    expect(await hx.text()).toContain("let me in");
    expect(await count("SELECT count(*) AS n FROM comments WHERE author_id = ?", ben.id)).toBe(0);
    // Another member's post still takes Ben's comment; a post that does not exist is still a 404.
    expect((await ben.client.post(`/post/${catPost}/comments`, { body: "hello cat" })).status).toBe(303);
    expect((await ben.client.post("/post/999999999/comments", { body: "nowhere" })).status).toBe(404);
    expect(await count("SELECT count(*) AS n FROM comments WHERE author_id = ?", ben.id)).toBe(1);
    // The blocker may still comment on the blocked member's posts (the block is theirs to lift).
    const benPost = await insertPost(ben.id, "ben writes", Date.now());
    expect((await ann.client.post(`/post/${benPost}/comments`, { body: "fine" })).status).toBe(303);
  });

  it("likes both ways (page, htmx), in neutral words, with nothing stored; an unlike still works", async () => {
    const [ann, ben, cat] = await members("bl");
    const annPost = await insertPost(ann.id, "ann likes", Date.now());
    const benPost = await insertPost(ben.id, "ben likes", Date.now());
    const catPost = await insertPost(cat.id, "cat likes", Date.now());
    // Ben liked Ann's post before the block: the like stays (as a comment does), and he may take it back.
    expect((await ben.client.post(`/post/${annPost}/like`)).status).toBe(303);
    await block(ann, ben);
    for (const [who, postId] of [
      [ben, annPost],
      [ann, benPost],
    ] as const) {
      const res = await who.client.post(`/post/${postId}/like`);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("You can&#39;t like this member&#39;s posts.");
      const hx = await who.client.post(`/post/${postId}/like`, {}, HX);
      expect(hx.status).toBe(403);
      expect(await hx.text()).toContain("You can&#39;t like this member&#39;s posts.");
    }
    expect(await count("SELECT count(*) AS n FROM post_likes WHERE post_id = ? AND user_id = ?", benPost, ann.id)).toBe(0);
    expect(await count("SELECT like_count AS n FROM posts WHERE id = ?", annPost)).toBe(1);
    expect((await ben.client.post(`/post/${annPost}/unlike`)).status).toBe(303);
    expect(await count("SELECT like_count AS n FROM posts WHERE id = ?", annPost)).toBe(0);
    // Nobody else is affected; a missing post is still 404.
    expect((await ben.client.post(`/post/${catPost}/like`)).status).toBe(303);
    expect((await ben.client.post("/post/999999999/like")).status).toBe(404);
    await unblock(ann, ben);
    expect((await ben.client.post(`/post/${annPost}/like`)).status).toBe(303);
  });

  it("messages both ways, in neutral words, with nothing stored", async () => {
    const [ann, ben] = await members("bm", 2);
    await block(ann, ben);
    for (const [who, other] of bothWays(ben, ann)) {
      const res = await who.client.post(`/messages/${other.username}`, { body: "hello?" });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("You can&#39;t message this member.");
      const hx = await who.client.post(`/messages/${other.username}`, { body: "hello?" }, HX);
      expect(hx.status).toBe(403);
      expect(await hx.text()).toContain("You can&#39;t message this member.");
    }
    expect(await count("SELECT count(*) AS n FROM messages WHERE sender_id IN (?, ?)", ann.id, ben.id)).toBe(0);
    expect(await count("SELECT count(*) AS n FROM conversations WHERE user_low IN (?, ?)", ann.id, ben.id)).toBe(0);
  });

  it("unblocking restores following, commenting and messaging; the ended follows do not come back by themselves", async () => {
    const [ann, ben] = await members("bu", 2);
    const annPost = await insertPost(ann.id, "ann again", Date.now());
    await follow(ben.id, ann.id);
    await block(ann, ben);
    const res = await unblock(ann, ben, { next: "/account" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/account");
    expect((await ann.client.follow(res)).html).toContain(`You unblocked ${ben.username}.`);
    expect(await followCount(ben.id, ann.id)).toBe(0);
    expect((await ben.client.post(`/follow/${ann.username}`)).status).toBe(303);
    expect(await followCount(ben.id, ann.id)).toBe(1);
    expect((await ben.client.post(`/post/${annPost}/comments`, { body: "back again" })).status).toBe(303);
    expect((await ben.client.post(`/messages/${ann.username}`, { body: "hi again" })).status).toBe(303);
    expect(await count("SELECT count(*) AS n FROM messages WHERE sender_id = ?", ben.id)).toBe(1);
  });

  it("an unsafe next is ignored: the redirect goes to the profile", async () => {
    const [ann, ben] = await members("bn", 2);
    const res = await block(ann, ben, { next: "https://evil.example/" });
    expect(res.headers.get("Location")).toBe(`/user/${ben.username}`);
  });
});

describe("the account page and the export", () => {
  it("lists the members one blocked, newest first, each with an Unblock button; empty says how to block", async () => {
    const [ann, ben, cat] = await members("bl");
    const empty = await (await ann.client.get("/account")).text();
    expect(empty).toContain("Blocked members");
    expect(empty).toContain("You have not blocked anyone.");
    await block(ann, ben);
    await block(ann, cat);
    const res = await ann.client.get("/account");
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    const html = await res.text();
    expect(html).not.toContain("You have not blocked anyone.");
    expect(html.indexOf(`>${cat.username}</a>`)).toBeGreaterThan(-1);
    expect(html.indexOf(`>${cat.username}</a>`)).toBeLessThanOrEqual(html.indexOf(`>${ben.username}</a>`));
    expect(html).toContain(`action="/unblock/${ben.username}"`);
    expect(html).toContain('<input type="hidden" name="next" value="/account"/>');
    // Ben's and Cat's own account pages show nothing of it.
    for (const other of [ben, cat]) {
      const theirs = await (await other.client.get("/account")).text();
      expect(theirs).toContain("You have not blocked anyone.");
      expect(theirs).not.toContain(ann.username);
    }
  });

  it("the data export holds one's own block list, and nobody else's", async () => {
    const [ann, ben] = await members("be", 2);
    await block(ann, ben);
    const mine = await (await ann.client.get("/account/export.json")).json<{ blocked: { username: string; since: string }[] }>();
    expect(mine.blocked).toEqual([{ username: ben.username, since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
    const theirs = await (await ben.client.get("/account/export.json")).json<Record<string, unknown>>();
    expect(theirs.blocked).toEqual([]);
    expect(JSON.stringify(theirs)).not.toContain(ann.username);
  });

  it("a deleted account's blocks go with it, either side", async () => {
    const [ann, ben] = await members("bd", 2);
    await block(ann, ben);
    await env.DB.prepare("DELETE FROM users WHERE id = ?").bind(ben.id).run();
    expect(await blockRows(ann.id)).toEqual([]);
    expect(textOf(await (await ann.client.get("/account")).text())).toContain("You have not blocked anyone.");
  });
});
