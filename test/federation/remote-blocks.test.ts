// A member's blocks reach people on other servers (issue 13): from a remote reply (and the account page) a
// member blocks its remote author: their follow of the member ends (a signed Reject of it goes to their
// server), their replies on the member's posts are hidden, their notifications go, and what they send the
// member afterwards (Follow, reply, Like, Announce) is dropped with a 202. Unblocking lifts it. Bad input on
// the two routes: no session, CSRF, unknown or malformed ids, a repeat, someone else's block, GET.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type Account, confirmedUser, expectSentToLogin } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { countOf as n } from "../helpers/db";
import { deliver, drain, filled, followOf, memberPost, type Remote, received, remote, useFakeFediverse, verifiedKeyId } from "../helpers/fake-fediverse";
import { rawPost } from "../helpers/http";
import { insertPost } from "../helpers/posts";
import announceFixture from "./fixtures/mastodon-announce.json";
import likeFixture from "./fixtures/mastodon-like.json";
import replyFixture from "./fixtures/mastodon-reply.json";

const BASE = env.BASE_URL;
useFakeFediverse();

let status = 313_000;
const replyOf = (from: Remote, postId: number, author: Account, text: string) =>
  filled(replyFixture.create, {
    actor: from.uri,
    status: String(++status),
    inReplyTo: `${BASE}/post/${postId}`,
    inReplyToAuthor: `${BASE}/users/${author.id}`,
    content: `<p>${text}</p>`,
  });
const likeOf = (from: Remote, postId: number) =>
  filled({ ...likeFixture.activity, id: `{{actor}}#likes/${++status}` }, { actor: from.uri, object: `${BASE}/post/${postId}` });
const boostOf = (from: Remote, postId: number, author: Account) =>
  filled(announceFixture, { actor: from.uri, status: String(++status), object: `${BASE}/post/${postId}`, objectAuthor: `${BASE}/users/${author.id}` }).announce;

const actorId = (r: Remote) => n("SELECT id AS n FROM remote_actors WHERE uri = ?", r.uri);

/** Alice with a post, followed by Bob on Mastodon, who replied to and liked it. */
async function scene(prefix: string) {
  const alice = await confirmedUser(prefix);
  const postId = await insertPost(alice.id, "Block me maybe", Date.now());
  const bob = await remote("mastodon.example");
  const follow = followOf(bob, alice);
  expect((await deliver(bob, follow, "/inbox")).status).toBe(202);
  expect((await deliver(bob, replyOf(bob, postId, alice, "rude words"), "/inbox")).status).toBe(202);
  expect((await deliver(bob, likeOf(bob, postId), "/inbox")).status).toBe(202);
  await drain(); // the Accept
  received.length = 0;
  return { alice, postId, bob, follow, bobId: await actorId(bob) };
}

describe("blocking someone on another server", () => {
  it("from their reply: the follow ends with a signed Reject, their replies are hidden, their notifications go", { timeout: 90_000 }, async () => {
    const { alice, postId, bob, follow, bobId } = await scene("rba");
    const page = await (await alice.client.get(`/post/${postId}`)).text();
    expect(page).toContain(`action="/fediverse/block/${bobId}"`);
    expect(await n("SELECT count(*) AS n FROM notifications WHERE user_id = ? AND remote_actor_id = ?", alice.id, bobId)).toBe(3);

    const res = await memberPost(alice, `/fediverse/block/${bobId}`, { next: `/post/${postId}#comments` });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/post/${postId}#comments`);
    expect(await n("SELECT count(*) AS n FROM remote_blocks WHERE user_id = ? AND remote_actor_id = ?", alice.id, bobId)).toBe(1);
    expect(await n("SELECT count(*) AS n FROM remote_followers WHERE user_id = ?", alice.id)).toBe(0);
    expect(await n("SELECT count(*) AS n FROM notifications WHERE user_id = ? AND remote_actor_id IS NOT NULL", alice.id)).toBe(0);
    await drain();
    expect(received).toHaveLength(1);
    const reject = received[0]!;
    expect(reject.body).toMatchObject({ type: "Reject", actor: `${BASE}/users/${alice.id}`, object: { id: follow.id, actor: bob.uri } });
    expect(await verifiedKeyId(reject)).toBe(`${BASE}/users/${alice.id}#main-key`);

    // The reply is hidden from everyone, and from the count; the row stays (unblocking shows it again).
    for (const client of [alice.client, new Client()]) {
      const html = await (await client.get(`/post/${postId}`)).text();
      expect(html).not.toContain("rude words");
    }
    const carol = await confirmedUser("rbc");
    const carolPost = await insertPost(carol.id, "carol's", Date.now());
    await deliver(bob, replyOf(bob, carolPost, carol, "fine words"), "/inbox");
    expect(await (await new Client().get(`/post/${carolPost}`)).text()).toContain("fine words");
  });

  it("from the member's own followers list (only theirs): Block beside each remote follower", { timeout: 90_000 }, async () => {
    const { alice, bob, bobId } = await scene("rbf");
    const list = `/followers/${alice.username}`;
    expect(await (await alice.client.get(list)).text()).toContain(`action="/fediverse/block/${bobId}"`);
    const carol = await confirmedUser("rbg");
    const seen = await (await carol.client.get(list)).text();
    expect(seen).toContain(`@${bob.name}@mastodon.example`);
    expect(seen).not.toContain("/fediverse/block/");
    const res = await alice.client.post(`/fediverse/block/${bobId}`, { next: list });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(list);
    // (The list only: the page also carries the block's flash, which names them.)
    const after = await (await alice.client.get(list)).text();
    expect(after.slice(after.indexOf('<section class="follow-list">'))).not.toContain(`@${bob.name}@mastodon.example`);
  });

  it("drops their Follow, reply, Like and Announce to the member (202); others still get theirs", { timeout: 90_000 }, async () => {
    const { alice, postId, bob, bobId } = await scene("rbd");
    expect((await alice.client.post(`/fediverse/block/${bobId}`)).status).toBe(303);
    const before = await n("SELECT like_count + boost_count AS n FROM posts WHERE id = ?", postId);
    for (const activity of [followOf(bob, alice), replyOf(bob, postId, alice, "again"), likeOf(bob, postId), boostOf(bob, postId, alice)]) {
      expect((await deliver(bob, activity, "/inbox")).status).toBe(202);
    }
    expect(await n("SELECT count(*) AS n FROM remote_followers WHERE user_id = ?", alice.id)).toBe(0);
    expect(await n("SELECT count(*) AS n FROM comments WHERE post_id = ? AND body = 'again'", postId)).toBe(0);
    // The first like was there before the block (a count, like a local like): nothing new was added.
    expect(await n("SELECT like_count + boost_count AS n FROM posts WHERE id = ?", postId)).toBe(before);
    expect(await n("SELECT count(*) AS n FROM notifications WHERE user_id = ? AND remote_actor_id IS NOT NULL", alice.id)).toBe(0);
    const carol = await confirmedUser("rbe");
    const carolPost = await insertPost(carol.id, "carol's", Date.now());
    await deliver(bob, likeOf(bob, carolPost), "/inbox");
    expect(await n("SELECT count(*) AS n FROM notifications WHERE user_id = ? AND kind = 'like'", carol.id)).toBe(1);
  });

  it("is listed on the account page with Unblock; unblocking lets them in again", { timeout: 90_000 }, async () => {
    const { alice, postId, bob, bobId } = await scene("rbl");
    expect((await alice.client.post(`/fediverse/block/${bobId}`)).status).toBe(303);
    const account = await (await alice.client.get("/account")).text();
    expect(account).toContain(`@${bob.name}@mastodon.example`);
    expect(account).toContain(`action="/fediverse/unblock/${bobId}"`);
    const res = await alice.client.post(`/fediverse/unblock/${bobId}`, { next: "/account" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/account");
    expect(await (await alice.client.get("/account")).text()).not.toContain(`action="/fediverse/unblock/${bobId}"`);
    expect(await (await alice.client.get(`/post/${postId}`)).text()).toContain("rude words");
    await deliver(bob, followOf(bob, alice), "/inbox");
    expect(await n("SELECT count(*) AS n FROM remote_followers WHERE user_id = ?", alice.id)).toBe(1);
  });

  it("bad input: no session, CSRF, unknown or malformed ids, a repeat, someone else's block, GET", { timeout: 90_000 }, async () => {
    const { alice, bobId } = await scene("rbx");
    expectSentToLogin(await new Client().post(`/fediverse/block/${bobId}`));
    const csrf = await rawPost(`/fediverse/block/${bobId}`, { Origin: "https://evil.example", Cookie: `__Host-session=${alice.client.session()}` });
    expect(csrf.status).toBe(403);
    expect(await n("SELECT count(*) AS n FROM remote_blocks WHERE user_id = ?", alice.id)).toBe(0);
    for (const path of ["/fediverse/block/999999999", "/fediverse/block/abc", "/fediverse/unblock/999999999", "/fediverse/block/0"]) {
      const res = await alice.client.post(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toContain("There is no such person from another server here.");
    }
    expect((await alice.client.post(`/fediverse/block/${bobId}`)).status).toBe(303);
    const again = await alice.client.post(`/fediverse/block/${bobId}`);
    expect(again.status).toBe(303);
    expect(await n("SELECT count(*) AS n FROM remote_blocks WHERE user_id = ?", alice.id)).toBe(1);
    // Carol cannot lift Alice's block: an unblock acts only on one's own.
    const carol = await confirmedUser("rby");
    expect((await carol.client.post(`/fediverse/unblock/${bobId}`)).status).toBe(303);
    expect(await n("SELECT count(*) AS n FROM remote_blocks WHERE user_id = ?", alice.id)).toBe(1);
    // An unsafe next is ignored.
    const away = await alice.client.post(`/fediverse/unblock/${bobId}`, { next: "//evil.example/" });
    expect(away.headers.get("Location")).toBe("/account");
    const get = await alice.client.get(`/fediverse/block/${bobId}`);
    expect(get.status).toBe(405);
    expect(get.headers.get("Allow")).toBe("POST");
  });
});
