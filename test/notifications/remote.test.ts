// Notifications from people on other servers (issue 13): a remote Follow, reply, Like, boost (Announce) and
// mention reach our inboxes signed as Mastodon signs them (helpers/fake-fediverse.ts), and raise the same kinds
// as local ones, grouped with them, shown with the remote handle linking to their profile there and Roost's
// generated picture. The page stays 2 D1 round trips with local and remote actors mixed, the digest mails them,
// and the remote actor's removal (their Delete, a server block) takes their notifications along.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { HOUR } from "../../src/config";
import { sendDigests } from "../../src/features/notifications";
import announceFixture from "../federation/fixtures/mastodon-announce.json";
import likeFixture from "../federation/fixtures/mastodon-like.json";
import replyFixture from "../federation/fixtures/mastodon-reply.json";
import { type Account, confirmedUser } from "../helpers/accounts";
import { countOf as count } from "../helpers/db";
import { deliver, filled, followOf, type Remote, remote, useFakeFediverse } from "../helpers/fake-fediverse";
import { d1Queries } from "../helpers/http";
import { insertPost } from "../helpers/posts";

const BASE = env.BASE_URL;
useFakeFediverse();

let status = 213_000;
const actorOf = (member: Account) => `${BASE}/users/${member.id}`;
/** Mastodon's Create of a status of `from`'s replying to `inReplyTo` and tagging `tagged` (a Mention). */
const noteOf = (from: Remote, inReplyTo: string, tagged: Account, content = "<p>hi there</p>") =>
  filled(replyFixture.create, { actor: from.uri, status: String(++status), inReplyTo, inReplyToAuthor: actorOf(tagged), content });
const likeOf = (from: Remote, object: string) => filled(likeFixture.activity, { actor: from.uri, object });
const boostOf = (from: Remote, object: string, author: Account) =>
  filled(announceFixture, { actor: from.uri, status: String(++status), object, objectAuthor: actorOf(author) }).announce;

/** The notification lines of a member's page: text (tags stripped) and raw HTML; and the response. */
async function pageOf(member: Account) {
  const res = await member.client.get("/notifications");
  expect(res.status).toBe(200);
  const html = await res.text();
  const items = [...html.matchAll(/<li class="notification[^"]*">([\s\S]*?)<\/li>/g)].map((m) => m[1]!);
  const text = items.map((h) =>
    h
      .replace(/<[^>]+>/g, "")
      .replace(/&quot;/g, '"')
      .replace(/\s+/g, " ")
      .replace(/\s*(just now|\d+ \w+ ago)$/, "")
      .replace(/^New: /, "")
      .trim(),
  );
  return { res, items, text };
}

const handleOf = (r: Remote) => `@${r.name}@${r.host}`;
const profileOf = (r: Remote) => `https://${r.host}/@${r.name}`;

describe("notifications from other servers", { timeout: 90_000 }, () => {
  it("a remote Follow tells the member, with the handle linking to their profile there and the generated picture; grouped with local follows", async () => {
    const alice = await confirmedUser("rnfa");
    const bob = await remote("mastodon.example");
    expect((await deliver(bob, followOf(bob, alice), `/users/${alice.id}/inbox`)).status).toBe(202);
    let page = await pageOf(alice);
    expect(page.text).toEqual([`${handleOf(bob)} followed you`]);
    expect(page.items[0]).toContain(`<a href="${profileOf(bob)}" class="remote-author" rel="nofollow noopener">${handleOf(bob)}</a>`);
    expect(page.items[0]).toMatch(/<img class="avatar" src="\/avatars\//);
    // The same Follow again (a retry, a new id) does not tell her twice.
    await deliver(bob, followOf(bob, alice), `/users/${alice.id}/inbox`);
    // A local follow after reading starts a line; another remote follower joins it.
    const carol = await confirmedUser("rnfc");
    expect((await carol.client.post(`/follow/${alice.username}`)).status).toBe(303);
    const dan = await remote("other.example");
    await deliver(dan, followOf(dan, alice), "/inbox");
    page = await pageOf(alice);
    expect(page.text).toEqual([`${handleOf(dan)} and 1 other followed you`, `${handleOf(bob)} followed you`]);
  });

  it("a remote reply tells the post's author (comment) and everyone else who commented (reply)", async () => {
    const alice = await confirmedUser("rnra");
    const carol = await confirmedUser("rnrc");
    const postId = await insertPost(alice.id, "Reply to me", Date.now());
    expect((await carol.client.post(`/post/${postId}/comments`, { body: "first!" })).status).toBe(303);
    const bob = await remote("mastodon.example");
    expect((await deliver(bob, noteOf(bob, `${BASE}/post/${postId}`, alice), "/inbox")).status).toBe(202);
    const a = await pageOf(alice);
    expect(a.text).toEqual([`${handleOf(bob)} and 1 other commented on your post: "Reply to me"`]);
    expect(a.items[0]).toContain(`<a href="/post/${postId}#comments"> and 1 other commented on your post`);
    expect((await pageOf(carol)).text).toEqual([`${handleOf(bob)} also commented on a post you commented on: "Reply to me"`]);
  });

  it("a remote Like groups with local likes; a boost (Announce) is its own kind", async () => {
    const alice = await confirmedUser("rnla");
    const fan = await confirmedUser("rnlf");
    const postId = await insertPost(alice.id, "Like me", Date.now());
    const post = `${BASE}/post/${postId}`;
    expect((await fan.client.post(`/post/${postId}/like`)).status).toBe(303);
    const bob = await remote("mastodon.example");
    expect((await deliver(bob, likeOf(bob, post), "/inbox")).status).toBe(202);
    expect((await deliver(bob, boostOf(bob, post, alice), "/inbox")).status).toBe(202);
    const page = await pageOf(alice);
    expect(page.text).toEqual([`${handleOf(bob)} boosted your post: "Like me"`, `${handleOf(bob)} and 1 other liked your post: "Like me"`]);
    expect(await count("SELECT count(*) AS n FROM notifications WHERE user_id = ?", alice.id)).toBe(2);
  });

  it("a note that tags a member (not a reply to our posts) tells them, linking to the note; a reply to our post is a comment, not also a mention", async () => {
    const alice = await confirmedUser("rnma");
    const bob = await remote("mastodon.example");
    const note = noteOf(bob, "https://elsewhere.example/statuses/1", alice);
    expect((await deliver(bob, note, "/inbox")).status).toBe(202);
    const page = await pageOf(alice);
    expect(page.text).toEqual([`${handleOf(bob)} mentioned you`]);
    expect(page.items[0]).toContain(`<a href="${note.object.url}" rel="nofollow noopener"> mentioned you</a>`);
    // Nothing else was stored: no comment, no remote post.
    expect(await count("SELECT count(*) AS n FROM comments WHERE remote_actor_id IS NOT NULL AND note_uri = ?", note.object.id)).toBe(0);
    const postId = await insertPost(alice.id, "Mine", Date.now());
    await deliver(bob, noteOf(bob, `${BASE}/post/${postId}`, alice), "/inbox");
    expect(await count("SELECT count(*) AS n FROM notifications WHERE user_id = ? AND kind = 'mention'", alice.id)).toBe(1);
    expect(await count("SELECT count(*) AS n FROM notifications WHERE user_id = ? AND kind = 'comment'", alice.id)).toBe(1);
  });

  it("the page costs the same 2 D1 round trips with local and remote actors mixed", async () => {
    const alice = await confirmedUser("rnqa");
    const carol = await confirmedUser("rnqc");
    const postId = await insertPost(alice.id, "Mixed", Date.now());
    expect((await carol.client.post(`/follow/${alice.username}`)).status).toBe(303);
    const localOnly = await pageOf(alice);
    expect(d1Queries(localOnly.res)).toBe(2);
    for (let i = 0; i < 3; i++) {
      const r = await remote(`s${i}.example`);
      await deliver(r, followOf(r, alice), "/inbox");
      await deliver(r, likeOf(r, `${BASE}/post/${postId}`), "/inbox");
    }
    expect((await carol.client.post(`/post/${postId}/like`)).status).toBe(303);
    const mixed = await pageOf(alice);
    expect(mixed.text).toHaveLength(3);
    expect(mixed.text[0]).toMatch(/^rnqc\S* and 3 others liked your post/);
    expect(mixed.text[1]).toMatch(/^@bob\S+@s2\.example and 2 others followed you$/);
    expect(d1Queries(mixed.res)).toBe(2);
  });

  it("the digest mails remote ones too", async () => {
    const alice = await confirmedUser("rnda");
    expect((await alice.client.post("/notifications/settings", { mail_follow: "y", mail_like: "y" })).status).toBe(303);
    const bob = await remote("mastodon.example");
    await deliver(bob, followOf(bob, alice), "/inbox");
    await sendDigests(env, Date.now() + HOUR);
    const mail = await env.DB.prepare(`SELECT text FROM mail_outbox WHERE "to" = ? AND kind = 'notification_digest'`)
      .bind(alice.email)
      .first<{ text: string }>();
    expect(mail!.text).toContain(`${handleOf(bob)} followed you.`);
  });

  it("the remote actor's removal (their Delete, a server block) takes their notifications and their place in groups", async () => {
    const alice = await confirmedUser("rnxa");
    const carol = await confirmedUser("rnxc");
    const postId = await insertPost(alice.id, "Gone", Date.now());
    const bob = await remote("gone.example");
    await deliver(bob, followOf(bob, alice), "/inbox");
    await deliver(bob, likeOf(bob, `${BASE}/post/${postId}`), "/inbox");
    expect((await carol.client.post(`/post/${postId}/like`)).status).toBe(303);
    expect((await pageOf(alice)).text[0]).toMatch(/^rnxc\S* and 1 other liked/);
    await env.DB.prepare("DELETE FROM remote_actors WHERE uri = ?").bind(bob.uri).run();
    expect(await count("SELECT count(*) AS n FROM notifications WHERE user_id = ? AND remote_actor_id IS NOT NULL", alice.id)).toBe(0);
    expect(
      await count(
        "SELECT count(*) AS n FROM notification_actors WHERE remote_actor_id IS NOT NULL AND notification_id IN (SELECT id FROM notifications WHERE user_id = ?)",
        alice.id,
      ),
    ).toBe(0);
  });
});
