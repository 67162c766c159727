// Replies, likes, boosts and deletes from other servers (issue 13): Mastodon-shaped activities (fixtures/),
// signed by a fake remote person whose server lives at the network edge (helpers/fake-fediverse.ts), reach our
// inboxes; a reply to one of our posts becomes a comment under it with the remote author's handle, likes and
// boosts become counts, and a deleted actor's traces go. Everything else is ignored (202, nothing stored).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type Account, confirmedUser } from "../helpers/accounts";
import { deliver, filled, type Json, type Remote, remote, useFakeFediverse } from "../helpers/fake-fediverse";
import { insertPost } from "../helpers/posts";
import announceFixture from "./fixtures/mastodon-announce.json";
import deleteActorFixture from "./fixtures/mastodon-delete-actor.json";
import likeFixture from "./fixtures/mastodon-like.json";
import replyFixture from "./fixtures/mastodon-reply.json";

const BASE = env.BASE_URL;
useFakeFediverse();

let status = 113_000;
/** Mastodon's Create / Update / Delete of one status of `from`'s, replying to `inReplyTo`. */
function statusOf(from: Remote, inReplyTo: string, author: Account) {
  const fill = { actor: from.uri, status: String(++status), inReplyTo, inReplyToAuthor: `${BASE}/users/${author.id}` };
  const note = `${from.uri}/statuses/${fill.status}`;
  return {
    note,
    create: (content: string) => filled(replyFixture.create, { ...fill, content }),
    update: (content: string) => filled(replyFixture.update, { ...fill, content }),
    delete: () => filled(replyFixture.delete, fill),
  };
}

const MASTODON_REPLY =
  '<p><span class="h-card" translate="no"><a href="https://roost.example/user/alice" class="u-url mention">@<span>alice</span></a></span> Great post &amp; thanks! See <a href="https://example.com/read" target="_blank" rel="nofollow noopener noreferrer" translate="no"><span class="invisible">https://</span><span class="">example.com/read</span><span class="invisible"></span></a></p><p>Second line</p>';

const commentsOn = (postId: number) =>
  env.DB.prepare(
    "SELECT c.id, c.body, c.body_html AS html, c.author_id AS authorId, c.disabled, c.note_uri AS note, a.uri AS actor FROM comments c LEFT JOIN remote_actors a ON a.id = c.remote_actor_id WHERE c.post_id = ? ORDER BY c.id",
  )
    .bind(postId)
    .all<{ id: number; body: string; html: string; authorId: number | null; disabled: number; note: string | null; actor: string | null }>()
    .then((r) => r.results);

const counts = (postId: number) =>
  env.DB.prepare("SELECT like_count AS likes, boost_count AS boosts FROM posts WHERE id = ?").bind(postId).first<{ likes: number; boosts: number }>();

const likeOf = (from: Remote, object: string) => filled(likeFixture.activity, { actor: from.uri, object });
const boostOf = (from: Remote, object: string, author: Account) =>
  filled(announceFixture, { actor: from.uri, status: String(++status), object, objectAuthor: `${BASE}/users/${author.id}` });

/** A member with a post, and someone on Mastodon. */
async function scene() {
  const alice = await confirmedUser("alice");
  const postId = await insertPost(alice.id, "Hello fediverse", Date.now());
  const bob = await remote("mastodon.example");
  return { alice, postId, post: `${BASE}/post/${postId}`, bob };
}

describe("a reply from Mastodon to one of our posts", () => {
  it("becomes a comment by @user@host, sanitized, counted, and shown under the post", { timeout: 60_000 }, async () => {
    const { alice, postId, post, bob } = await scene();
    const s = statusOf(bob, post, alice);
    expect((await deliver(bob, s.create(MASTODON_REPLY), "/inbox")).status).toBe(202);

    const [comment] = await commentsOn(postId);
    expect(comment).toMatchObject({ authorId: null, note: s.note, actor: bob.uri, disabled: 0 });
    expect(comment!.body).toBe("@alice Great post & thanks! See https://example.com/read\n\nSecond line");
    // Only our own link markup: escaped text, the bare URL as a link with our rel.
    expect(comment!.html).toBe(
      '@alice Great post &amp; thanks! See <a href="https://example.com/read" rel="nofollow ugc noopener">https://example.com/read</a>\n\nSecond line',
    );

    const page = await (await alice.client.get(`/post/${postId}`)).text();
    const name = bob.uri.split("/").pop();
    expect(page).toContain(`href="https://mastodon.example/@${name}"`);
    expect(page).toContain(`@${name}@mastodon.example`);
    expect(page).toContain("Great post &amp; thanks!");
    expect(page).toMatch(/1 comment\b/);
  });

  it("is stored once however often it arrives (a replay, or the same note in a new activity)", { timeout: 60_000 }, async () => {
    const { alice, postId, post, bob } = await scene();
    const s = statusOf(bob, post, alice);
    const create = s.create("<p>Once</p>");
    expect((await deliver(bob, create, "/inbox")).status).toBe(202);
    expect((await deliver(bob, create, `/users/${alice.id}/inbox`)).status).toBe(202);
    expect((await deliver(bob, { ...create, id: `${create.id}-again` }, "/inbox")).status).toBe(202);
    expect(await commentsOn(postId)).toHaveLength(1);
  });

  it("loses script tags and markup, and is ignored when too long or empty", { timeout: 60_000 }, async () => {
    const { alice, postId, post, bob } = await scene();
    await deliver(bob, statusOf(bob, post, alice).create('<p>Hi<script>alert("x")</script><img src=x onerror=alert(1)><b onclick="y">there</b></p>'), "/inbox");
    await deliver(bob, statusOf(bob, post, alice).create(`<p>${"a".repeat(5001)}</p>`), "/inbox");
    await deliver(bob, statusOf(bob, post, alice).create("<p><script>only()</script></p>"), "/inbox");
    const rows = await commentsOn(postId);
    expect(rows.map((r) => r.html)).toEqual(["Hithere"]);
  });

  it.each([
    ["a post that does not exist", (post: string) => `${post}999999`],
    ["a post on another server", () => "https://mastodon.example/users/carol/statuses/1"],
    ["something of ours that is not a post", (_: string, alice: Account) => `${BASE}/users/${alice.id}`],
  ])("to %s is ignored", { timeout: 60_000 }, async (_, target) => {
    const { alice, postId, post, bob } = await scene();
    expect((await deliver(bob, statusOf(bob, target(post, alice), alice).create("<p>Hi</p>"), "/inbox")).status).toBe(202);
    expect(await commentsOn(postId)).toEqual([]);
    const n = await env.DB.prepare("SELECT count(*) AS n FROM comments WHERE note_uri LIKE ?").bind(`${bob.uri}/%`).first<{ n: number }>();
    expect(n?.n).toBe(0);
  });

  it("to a post of a member who left the fediverse is ignored", { timeout: 60_000 }, async () => {
    const { alice, postId, post, bob } = await scene();
    expect((await alice.client.post("/account/fediverse", { choice: "leave" })).status).toBe(303);
    await deliver(bob, statusOf(bob, post, alice).create("<p>Hi</p>"), "/inbox");
    expect(await commentsOn(postId)).toEqual([]);
  });

  it("is ignored when its author is not the one who sends it", { timeout: 60_000 }, async () => {
    const { alice, postId, post, bob } = await scene();
    const mallory = await remote("mastodon.example");
    const create = statusOf(bob, post, alice).create("<p>I am bob</p>");
    // mallory signs and sends bob's note as her own activity
    await deliver(mallory, { ...create, actor: mallory.uri, id: `${mallory.uri}/statuses/1/activity` }, "/inbox");
    expect(await commentsOn(postId)).toEqual([]);
  });

  it("is edited by its author's Update and removed by its author's Delete, not by anyone else's", { timeout: 60_000 }, async () => {
    const { alice, postId, post, bob } = await scene();
    const mallory = await remote("mastodon.example");
    const s = statusOf(bob, post, alice);
    await deliver(bob, s.create("<p>First</p>"), "/inbox");

    // Another actor's Update of bob's note (their own signature, bob's note id) and Delete of it change nothing.
    const forgedUpdate: Json = { ...s.update("<p>Hacked</p>"), actor: mallory.uri, id: `${mallory.uri}#updates/1` };
    forgedUpdate.object = { ...forgedUpdate.object, attributedTo: mallory.uri };
    await deliver(mallory, forgedUpdate, "/inbox");
    await deliver(mallory, { ...s.delete(), actor: mallory.uri, id: `${mallory.uri}#delete-1` }, "/inbox");
    expect((await commentsOn(postId)).map((c) => c.body)).toEqual(["First"]);

    await deliver(bob, s.update("<p>Edited <i>text</i></p>"), "/inbox");
    expect((await commentsOn(postId)).map((c) => c.body)).toEqual(["Edited text"]);

    await deliver(bob, s.delete(), "/inbox");
    expect(await commentsOn(postId)).toEqual([]);
  });

  it("goes through moderation like a local comment", { timeout: 60_000 }, async () => {
    const { alice, postId, post, bob } = await scene();
    const mod = await confirmedUser("mod", { role: "Moderator" });
    await deliver(bob, statusOf(bob, post, alice).create("<p>Rude words</p>"), "/inbox");
    const [comment] = await commentsOn(postId);
    const list = await (await mod.client.get("/moderate")).text();
    expect(list).toContain("Rude words");
    expect((await mod.client.post(`/moderate/disable/${comment!.id}`, { next: "/moderate" })).status).toBe(303);
    const page = await (await alice.client.get(`/post/${postId}`)).text();
    expect(page).not.toContain("Rude words");
    expect(page).toContain("This comment has been disabled by a moderator.");
  });
});

describe("likes and boosts from Mastodon", () => {
  it("count on the post (local + remote), once per person, and Undo takes them back", { timeout: 60_000 }, async () => {
    const { alice, postId, post, bob } = await scene();
    const fan = await confirmedUser("fan");
    expect((await fan.client.post(`/post/${postId}/like`)).status).toBe(303);
    const like = likeOf(bob, post);
    expect((await deliver(bob, like, "/inbox")).status).toBe(202);
    await deliver(bob, { ...like, id: `${like.id}-again` }, "/inbox");
    expect(await counts(postId)).toEqual({ likes: 2, boosts: 0 });
    expect(await (await alice.client.get(`/post/${postId}`)).text()).toMatch(/2 likes/);

    const boost = boostOf(bob, post, alice);
    await deliver(bob, boost.announce, "/inbox");
    expect(await counts(postId)).toEqual({ likes: 2, boosts: 1 });
    // Shown under the post, on its page and in lists (the same row: no query of its own).
    expect(await (await alice.client.get(`/post/${postId}`)).text()).toContain('<span class="boost-count">1 boost</span>');
    expect(await (await alice.client.get(`/user/${alice.username}`)).text()).toContain('<span class="boost-count">1 boost</span>');

    // Someone else's Undo of bob's like changes nothing; bob's own Undo (Mastodon embeds the Like) removes it.
    const mallory = await remote("mastodon.example");
    await deliver(mallory, { "@context": like["@context"], id: `${mallory.uri}#likes/1/undo`, type: "Undo", actor: mallory.uri, object: like.id }, "/inbox");
    expect(await counts(postId)).toEqual({ likes: 2, boosts: 1 });
    await deliver(bob, { "@context": like["@context"], id: `${like.id}/undo`, type: "Undo", actor: bob.uri, object: like }, "/inbox");
    await deliver(bob, boost.undo, "/inbox");
    expect(await counts(postId)).toEqual({ likes: 1, boosts: 0 });
  });

  it("of something that is not our post are ignored", { timeout: 60_000 }, async () => {
    const { postId, bob } = await scene();
    await deliver(bob, likeOf(bob, `${BASE}/post/99999999`), "/inbox");
    await deliver(bob, likeOf(bob, "https://mastodon.example/users/carol/statuses/1"), "/inbox");
    expect(await counts(postId)).toEqual({ likes: 0, boosts: 0 });
    const n = await env.DB.prepare("SELECT count(*) AS n FROM remote_reactions r JOIN remote_actors a ON a.id = r.remote_actor_id WHERE a.uri = ?")
      .bind(bob.uri)
      .first<{ n: number }>();
    expect(n?.n).toBe(0);
  });
});

describe("a Delete of the actor", () => {
  it("removes their replies, likes, boosts and follows; another actor's Delete of them does nothing", { timeout: 60_000 }, async () => {
    const { alice, postId, post, bob } = await scene();
    const mallory = await remote("mastodon.example");
    await deliver(
      bob,
      { "@context": "https://www.w3.org/ns/activitystreams", id: `${bob.uri}#follows/1`, type: "Follow", actor: bob.uri, object: `${BASE}/users/${alice.id}` },
      "/inbox",
    );
    await deliver(bob, statusOf(bob, post, alice).create("<p>Hi</p>"), "/inbox");
    await deliver(bob, likeOf(bob, post), "/inbox");
    await deliver(bob, boostOf(bob, post, alice).announce, "/inbox");
    const deleteBob = filled(deleteActorFixture.activity, { actor: bob.uri });

    await deliver(mallory, { ...deleteBob, actor: mallory.uri, id: `${mallory.uri}#delete` }, "/inbox");
    expect(await commentsOn(postId)).toHaveLength(1);
    expect(await counts(postId)).toEqual({ likes: 1, boosts: 1 });

    expect((await deliver(bob, deleteBob, "/inbox")).status).toBe(202);
    expect(await commentsOn(postId)).toEqual([]);
    expect(await counts(postId)).toEqual({ likes: 0, boosts: 0 });
    const left = await env.DB.prepare(
      "SELECT (SELECT count(*) FROM remote_actors WHERE uri = ?1) AS actors, (SELECT count(*) FROM remote_followers WHERE user_id = ?2) AS follows",
    )
      .bind(bob.uri, alice.id)
      .first();
    expect(left).toEqual({ actors: 0, follows: 0 });
  });
});
