// A member likes and replies to a note by someone elsewhere from their Followed feed (issue 13, outbound): the
// Like, Undo(Like) and Create(Note) inReplyTo that reach the author's server (the fake fediverse at the network
// edge), signed with the member's published key; the toggles and their idempotence; every bad input. Then the
// Roost ↔ Roost check: the same activities, as another Roost would send them, are what our own inbox turns into a
// like count and a comment (an Update of the reply edits it, a Delete takes it away). A member edits or deletes a
// reply they sent: Update(Note) or Delete(Tombstone) to the same servers, someone else's reply untouchable. And the `following` collection lists
// accepted follows of people elsewhere.
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { type Account, confirmedUser, setPermissions, unconfirmedUser } from "../helpers/accounts";
import { ORIGIN } from "../helpers/client";
import * as fediverse from "../helpers/fake-fediverse";
import { insertPost } from "../helpers/posts";

const { activity, AS, BASE, deliver, drain, followOf, memberPost, noteBy, queued, received, remote, testEnv, verifiedKeyId } = fediverse;
type Json = fediverse.Json;
type Remote = fediverse.Remote;
fediverse.useFakeFediverse();

const OFFSET = 1_000_000_000_000;
const HX = { "HX-Request": "true", "HX-Request-Type": "partial" };

/** `member` follows `from` (accepted by their server); then `from` posts a note: its remote_posts id. */
async function followedNote(member: Account, from: Remote, content = "<p>Hello from elsewhere</p>"): Promise<{ id: number; note: Json }> {
  expect((await memberPost(member, "/fediverse/follow", { handle: `@${from.name}@${from.host}` })).status).toBe(303);
  await drain();
  const follow = received.find((r) => r.body.type === "Follow" && r.body.actor === `${BASE}/users/${member.id}`)?.body;
  expect(follow).toBeDefined();
  expect((await deliver(from, activity("Accept", from, follow!), `/users/${member.id}/inbox`)).status).toBe(202);
  const note = noteBy(from, content);
  expect((await deliver(from, activity("Create", from, note), "/inbox")).status).toBe(202);
  const row = await env.DB.prepare("SELECT id FROM remote_posts WHERE uri = ?").bind(note.id).first<{ id: number }>();
  expect(row).not.toBeNull();
  received.length = 0;
  return { id: row!.id, note };
}

/**
 * alice, followed by carol from elsewhere, follows bob's note and sends it `bodies` as replies (without
 * JavaScript); the deliveries so far are drained and forgotten.
 */
async function aliceRepliedTo(bodies: string[]) {
  const alice = await confirmedUser("alice");
  const bob = await remote("mastodon.example");
  const carol = await remote("other.example");
  // carol follows alice from elsewhere (her server gets alice's public replies, as a follower's does).
  expect((await deliver(carol, followOf(carol, alice), `/users/${alice.id}/inbox`)).status).toBe(202);
  await drain();
  const { id, note } = await followedNote(alice, bob);
  for (const body of bodies) expect((await send(alice, `/fediverse/notes/${id}/reply`, { body })).status).toBe(303);
  const sent = await replies(alice.id);
  await drain();
  received.length = 0;
  return { alice, bob, carol, me: `${BASE}/users/${alice.id}`, id, note, sent };
}

/** A form POST with the member's session; `headers` adds htmx's or overrides Origin. */
function send(member: Account, path: string, form: Record<string, string> = {}, headers: Record<string, string> = {}, extraEnv: Record<string, string> = {}) {
  const cookie = [...member.client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const req = new Request(`${ORIGIN}${path}`, {
    method: "POST",
    body: new URLSearchParams(form),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: cookie, ...headers },
    redirect: "manual",
  });
  return callWith(req, extraEnv);
}

const app = createApp();
async function callWith(req: Request, extraEnv: Record<string, string>) {
  const ctx = createExecutionContext();
  const res = await app.fetch(req, { ...testEnv, ...extraEnv }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

async function followedFeedHtml(member: Account): Promise<string> {
  await member.client.get("/followed");
  return (await member.client.get("/")).text();
}

const likes = (memberId: number) =>
  env.DB.prepare("SELECT remote_post_id AS noteId, activity_id AS activityId FROM remote_post_likes WHERE user_id = ?")
    .bind(memberId)
    .all<{ noteId: number; activityId: string }>()
    .then((r) => r.results);
const replies = (memberId: number) =>
  env.DB.prepare("SELECT id, body, body_html AS bodyHtml FROM remote_replies WHERE user_id = ? ORDER BY id")
    .bind(memberId)
    .all<{ id: number; body: string; bodyHtml: string }>()
    .then((r) => r.results);

describe("liking a note from elsewhere", () => {
  it("delivers a signed Like to its author, shows it liked, and Undo(Like) takes it back; both are idempotent", { timeout: 120_000 }, async () => {
    const alice = await confirmedUser("alice");
    const bob = await remote("mastodon.example");
    const { id, note } = await followedNote(alice, bob);
    const me = `${BASE}/users/${alice.id}`;

    let feed = await followedFeedHtml(alice);
    expect(feed).toContain(`action="/fediverse/notes/${id}/like"`);
    expect(feed).toContain(`action="/fediverse/notes/${id}/reply"`);
    // The author's picture is Roost's drawing for their handle, and it is served (not a broken image).
    const picture = `/avatars/${encodeURIComponent(`@${bob.name}@mastodon.example`.toLowerCase())}.svg`;
    expect(feed).toContain(`src="${picture}"`);
    const drawn = await SELF.fetch(`${ORIGIN}${picture}`);
    expect(drawn.status).toBe(200);
    expect(drawn.headers.get("Content-Type")).toContain("image/svg+xml");

    // Without JavaScript: a POST and a redirect back to the note in the Followed feed.
    const res = await send(alice, `/fediverse/notes/${id}/like`);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/followed#remote-post-${id + OFFSET}`);
    const [liked] = await likes(alice.id);
    expect(liked).toMatchObject({ noteId: id });
    expect(liked!.activityId).toMatch(new RegExp(`^${me}#likes/[0-9a-f-]{36}$`));

    expect(queued).toHaveLength(1);
    expect(await drain()).toMatchObject({ acked: 1, retried: 0 });
    expect(received).toHaveLength(1);
    const sent = received[0]!;
    expect(sent.url).toBe(bob.inbox);
    expect(sent.body).toMatchObject({ type: "Like", id: liked!.activityId, actor: me, object: note.id });
    expect(await verifiedKeyId(sent)).toBe(`${me}#main-key`);

    feed = await followedFeedHtml(alice);
    expect(feed).toContain(`action="/fediverse/notes/${id}/unlike"`);
    expect(feed).toMatch(/aria-pressed="true"[^>]*>♥ Liked/);

    // A second like changes nothing and sends nothing.
    expect((await send(alice, `/fediverse/notes/${id}/like`)).status).toBe(303);
    expect(queued).toHaveLength(0);
    expect(await likes(alice.id)).toHaveLength(1);

    // With htmx: the new button in place; the Undo names the Like.
    received.length = 0;
    const unliked = await send(alice, `/fediverse/notes/${id}/unlike`, {}, HX);
    expect(unliked.status).toBe(200);
    const fragment = await unliked.text();
    expect(fragment).toContain(`action="/fediverse/notes/${id}/like"`);
    expect(fragment).toContain('aria-pressed="false"');
    expect(fragment).not.toContain("<html");
    expect(await likes(alice.id)).toHaveLength(0);
    await drain();
    expect(received).toHaveLength(1);
    expect(received[0]!.body).toMatchObject({
      type: "Undo",
      actor: me,
      object: { type: "Like", id: liked!.activityId, actor: me, object: note.id },
    });
    expect(await verifiedKeyId(received[0]!)).toBe(`${me}#main-key`);

    // Unliking what is not liked sends nothing.
    expect((await send(alice, `/fediverse/notes/${id}/unlike`)).status).toBe(303);
    expect(queued).toHaveLength(0);
    // Liking again is a new Like (a new id: the old one was undone).
    expect((await send(alice, `/fediverse/notes/${id}/like`, {}, HX)).status).toBe(200);
    const [again] = await likes(alice.id);
    expect(again!.activityId).not.toBe(liked!.activityId);
  });
});

describe("replying to a note from elsewhere", () => {
  it("stores the reply and delivers Create(Note) inReplyTo the note to its author and the member's followers elsewhere", { timeout: 120_000 }, async () => {
    const { alice, bob, carol, me, id, note } = await aliceRepliedTo([]);

    // With htmx: the box answers in place with what was sent.
    const res = await send(alice, `/fediverse/notes/${id}/reply`, { body: "Nice **post**, <script>x</script>" }, HX);
    expect(res.status).toBe(200);
    const box = await res.text();
    expect(box).toContain(`id="remote-reply-${id}"`);
    expect(box).toContain(`Reply sent to @${bob.name}@mastodon.example.`);
    expect(box).toContain("<strong>post</strong>");
    expect(box).not.toContain("<script>x");
    const [stored] = await replies(alice.id);
    expect(stored).toMatchObject({ body: "Nice **post**, <script>x</script>" });

    await drain();
    const byUrl = new Map(received.map((r) => [r.url, r]));
    // Each server once, at its shared inbox.
    expect([...byUrl.keys()].sort()).toEqual([bob.sharedInbox, carol.sharedInbox].sort());
    const create = byUrl.get(bob.sharedInbox)!;
    const noteId = `${me}/replies/${stored!.id}`;
    expect(create.body).toMatchObject({
      type: "Create",
      id: `${noteId}#create`,
      actor: me,
      object: {
        type: "Note",
        id: noteId,
        attributedTo: me,
        inReplyTo: note.id,
        content: stored!.bodyHtml,
        // Fedify compacts Public inside an array to "as:Public", which Mastodon and Roost read as Public.
        to: ["as:Public", bob.uri],
        cc: `${me}/followers`,
        tag: { type: "Mention", href: bob.uri, name: `@${bob.name}@mastodon.example` },
      },
    });
    expect(await verifiedKeyId(create)).toBe(`${me}#main-key`);
    expect(byUrl.get(carol.sharedInbox)!.body.object.id).toBe(noteId);

    // The Note's id answers with the same Note (a server that fetches it by id); other ids are 404.
    const fetched = await SELF.fetch(noteId.replace(BASE, ORIGIN), { headers: { Accept: AS } });
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get("Content-Type")).toContain("application/activity+json");
    const { "@context": _, ...sentNote } = create.body.object;
    expect(await fetched.json()).toMatchObject(sentNote);
    const stranger = await confirmedUser("stranger");
    for (const path of [`/users/${alice.id}/replies/${stored!.id + 1000}`, `/users/${stranger.id}/replies/${stored!.id}`, `/users/${alice.id}/replies/x`]) {
      expect((await SELF.fetch(`${ORIGIN}${path}`, { headers: { Accept: AS } })).status, path).toBe(404);
    }

    // Without JavaScript: a redirect back; the feed counts the member's replies.
    const plain = await send(alice, `/fediverse/notes/${id}/reply`, { body: "Second thought" });
    expect(plain.status).toBe(303);
    expect(plain.headers.get("Location")).toBe(`/followed#remote-post-${id + OFFSET}`);
    expect(await replies(alice.id)).toHaveLength(2);
    expect(await followedFeedHtml(alice)).toContain("Reply (2 sent)");
  });
});

describe("Roost ↔ Roost", () => {
  it("another Roost's Like and reply, shaped as ours are sent, become a like count and a comment on our post", { timeout: 120_000 }, async () => {
    // Here alice plays the member of "Roost A" and bob's note stands for a post on "Roost B" (this instance).
    const alice = await confirmedUser("alice");
    const bob = await remote("mastodon.example");
    const { id, note } = await followedNote(alice, bob);
    expect((await send(alice, `/fediverse/notes/${id}/like`)).status).toBe(303);
    expect((await send(alice, `/fediverse/notes/${id}/reply`, { body: "Hello from *Roost A*" })).status).toBe(303);
    await drain();
    const like = received.find((r) => r.body.type === "Like")!;
    const create = received.find((r) => r.body.type === "Create")!;

    // Roost A's member as another server sees her: the same activities with her actor on A's host, about a
    // post of this instance (B). Only the ids change; every field is what Roost sends.
    const b = await confirmedUser("bpost");
    const postId = await insertPost(b.id, "A post on Roost B", Date.now() - 1000);
    const postUrl = `${BASE}/post/${postId}`;
    const roostA = await remote("roost-a.example");
    const asFromA = (raw: string): Json => {
      const body = JSON.parse(raw.replaceAll(`${BASE}/users/${alice.id}`, roostA.uri).replaceAll(note.id, postUrl));
      delete body.signature; // the Linked Data signature covered the original ids
      delete body.proof;
      return body;
    };
    expect((await deliver(roostA, asFromA(like.raw), "/inbox")).status).toBe(202);
    expect((await deliver(roostA, asFromA(create.raw), "/inbox")).status).toBe(202);
    const post = await env.DB.prepare("SELECT like_count AS likes FROM posts WHERE id = ?").bind(postId).first<{ likes: number }>();
    expect(post!.likes).toBe(1);
    const comment = await env.DB.prepare("SELECT c.body, a.uri FROM comments c JOIN remote_actors a ON a.id = c.remote_actor_id WHERE c.post_id = ?")
      .bind(postId)
      .first<{ body: string; uri: string }>();
    expect(comment).toEqual({ body: "Hello from Roost A", uri: roostA.uri });

    // Alice edits her reply: the Update she sends changes the comment on the other Roost.
    const [sentReply] = await replies(alice.id);
    received.length = 0;
    expect((await send(alice, `/fediverse/replies/${sentReply!.id}/edit`, { body: "Hello again from *Roost A*" })).status).toBe(303);
    await drain();
    const update = received.find((r) => r.body.type === "Update")!;
    expect(update).toBeDefined();
    expect((await deliver(roostA, asFromA(update.raw), "/inbox")).status).toBe(202);
    const edited = await env.DB.prepare("SELECT body FROM comments WHERE post_id = ?").bind(postId).first<{ body: string }>();
    expect(edited!.body).toBe("Hello again from Roost A");

    // Alice deletes her reply: the Delete she sends takes the comment away on the other Roost.
    received.length = 0;
    expect((await send(alice, `/fediverse/replies/${sentReply!.id}/delete`)).status).toBe(303);
    await drain();
    const del = received.find((r) => r.body.type === "Delete")!;
    expect(del).toBeDefined();
    expect((await deliver(roostA, asFromA(del.raw), "/inbox")).status).toBe(202);
    const left = await env.DB.prepare("SELECT count(*) AS n FROM comments WHERE post_id = ?").bind(postId).first<{ n: number }>();
    expect(left!.n).toBe(0);
  });
});

describe("editing a reply sent elsewhere", () => {
  it("stores the new text and sends Update(Note) with its time to the author and followers elsewhere; the Note's id shows the edit", {
    timeout: 120_000,
  }, async () => {
    const {
      alice,
      bob,
      carol,
      me,
      id,
      note,
      sent: [reply],
    } = await aliceRepliedTo(["First tkae"]);

    // The replies page offers the text to edit.
    const page = await (await alice.client.get(`/fediverse/notes/${id}/replies`)).text();
    expect(page).toContain(`action="/fediverse/replies/${reply!.id}/edit"`);
    expect(page).toMatch(/<textarea[^>]*>First tkae<\/textarea>/);

    // With htmx: the box again with the new text, marked edited, and the status line.
    const res = await send(alice, `/fediverse/replies/${reply!.id}/edit`, { body: "First *take*" }, HX);
    expect(res.status).toBe(200);
    const box = await res.text();
    expect(box).not.toContain("<html");
    expect(box).toContain(`Reply edited; @${bob.name}@mastodon.example&#39;s server is told.`);
    expect(box).toContain("First <em>take</em>");
    expect(box).toContain("Edited");
    const row = await env.DB.prepare("SELECT body, body_html AS bodyHtml, updated_at AS updatedAt FROM remote_replies WHERE id = ?")
      .bind(reply!.id)
      .first<{ body: string; bodyHtml: string; updatedAt: number }>();
    expect(row).toMatchObject({ body: "First *take*" });
    expect(row!.bodyHtml).toContain("<em>take</em>");
    expect(row!.updatedAt).toBeGreaterThan(0);

    await drain();
    const byUrl = new Map(received.map((r) => [r.url, r]));
    expect([...byUrl.keys()].sort()).toEqual([bob.sharedInbox, carol.sharedInbox].sort());
    const noteId = `${me}/replies/${reply!.id}`;
    const sent = byUrl.get(bob.sharedInbox)!;
    expect(sent.body).toMatchObject({
      type: "Update",
      id: `${noteId}#update-${row!.updatedAt}`,
      actor: me,
      object: { type: "Note", id: noteId, attributedTo: me, inReplyTo: note.id, content: row!.bodyHtml, updated: new Date(row!.updatedAt).toISOString() },
    });
    expect(await verifiedKeyId(sent)).toBe(`${me}#main-key`);
    // A server that fetches the Note by its id gets the edited text.
    const fetched = await SELF.fetch(noteId.replace(BASE, ORIGIN), { headers: { Accept: AS } });
    expect(await fetched.json()).toMatchObject({ id: noteId, content: row!.bodyHtml, updated: new Date(row!.updatedAt).toISOString() });

    // Without JavaScript: back to the replies page. A second edit is a new Update (its own id: not a replay).
    received.length = 0;
    await new Promise((r) => setTimeout(r, 5));
    const plain = await send(alice, `/fediverse/replies/${reply!.id}/edit`, { body: "First take, again" });
    expect(plain.status).toBe(303);
    expect(plain.headers.get("Location")).toBe(`/fediverse/notes/${id}/replies`);
    await drain();
    const second = received.find((r) => r.url === bob.sharedInbox)!;
    expect(second.body.type).toBe("Update");
    expect(second.body.id).not.toBe(sent.body.id);
  });

  it("refuses empty, too long and rate-limited edits with the text kept, someone else's reply, GETs and a role without COMMENT; nothing changes or is sent", {
    timeout: 120_000,
  }, async () => {
    const {
      alice,
      sent: [reply],
    } = await aliceRepliedTo(["Original"]);
    const mallory = await confirmedUser("mallory");
    const path = `/fediverse/replies/${reply!.id}/edit`;

    const cases: [Record<string, string>, string][] = [
      [{ body: "" }, "Write a reply first."],
      [{ body: "   " }, "Write a reply first."],
      [{}, "Write a reply first."],
      [{ body: "y".repeat(1001) }, "Replies can be at most 1,000 characters."],
    ];
    for (const [form, message] of cases) {
      const res = await send(alice, path, form, HX);
      expect(res.status, JSON.stringify(form)).toBe(422);
      const html = await res.text();
      expect(html).toContain(message);
      // That reply's edit form is open again with what was typed.
      expect(html).toMatch(/<details class="remote-reply-edit" open/);
      if (form.body) expect(html).toContain(form.body.slice(0, 50));
      expect((await send(alice, path, form)).status).toBe(422);
    }
    for (const target of [String(reply!.id), String(reply!.id + 1000), "abc", "0"]) {
      const res = await send(mallory, `/fediverse/replies/${target}/edit`, { body: "Mallory was here" }, HX);
      expect(res.status, target).toBe(404);
      expect(await res.text()).toContain("That reply is not yours, or it is deleted already.");
    }
    const get = await alice.client.get(path);
    expect(get.status).toBe(405);
    expect(get.headers.get("Allow")).toBe("POST");
    expect((await send(alice, path, { body: "forged" }, { Origin: "https://evil.example" })).status).toBe(403);
    await setPermissions(alice.id, "FollowOnly", 1);
    expect((await send(alice, path, { body: "no comment permission" })).status).toBe(403);
    await setPermissions(alice.id, "User7", 7);
    expect(queued).toHaveLength(0);
    expect((await replies(alice.id))[0]).toMatchObject({ body: "Original" });

    // The reply itself took one of the two slots of the minute (edits count like replies).
    const limited = { RATE_COMMENTS_PER_MINUTE: "2" };
    expect((await send(alice, path, { body: "one edit" }, HX, limited)).status).toBe(200);
    const res = await send(alice, path, { body: "two edits, kept" }, HX, limited);
    expect(res.status).toBe(429);
    expect(res.headers.get("Retry-After")).toBeTruthy();
    const html = await res.text();
    expect(html).toContain("You are commenting very fast.");
    expect(html).toContain("two edits, kept");
    expect((await replies(alice.id))[0]).toMatchObject({ body: "one edit" });
    queued.length = 0;

    // No session: to the login page. A member who left the fediverse: 422. Neither changes the reply.
    const visitor = await SELF.fetch(`${ORIGIN}${path}`, {
      method: "POST",
      body: new URLSearchParams({ body: "anonymous" }),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
      redirect: "manual",
    });
    expect(visitor.status).toBe(303);
    expect(visitor.headers.get("Location")).toMatch(/^\/auth\/login/);
    expect((await send(alice, "/account/fediverse", { choice: "leave" })).status).toBe(303);
    queued.length = 0;
    const left = await send(alice, path, { body: "after leaving" });
    expect(left.status).toBe(422);
    expect(await left.text()).toContain("You left the fediverse");
    expect(queued).toHaveLength(0);
    expect((await replies(alice.id))[0]).toMatchObject({ body: "one edit" });
  });
});

describe("deleting a reply sent elsewhere", () => {
  it("lists the member's replies with a Delete each; deleting sends Delete(Tombstone) to the author and followers elsewhere, once", {
    timeout: 120_000,
  }, async () => {
    const {
      alice,
      bob,
      carol,
      me,
      id,
      sent: [first, second],
    } = await aliceRepliedTo(["First *take*", "Second take"]);

    // The feed links to the replies; that page lists each with its own Delete form.
    expect(await followedFeedHtml(alice)).toContain(`href="/fediverse/notes/${id}/replies"`);
    const page = await alice.client.get(`/fediverse/notes/${id}/replies`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<em>take</em>");
    expect(html).toContain(`<h1>Your replies to @${bob.name}@mastodon.example</h1>`);
    expect(html).toContain(`href="/followed#remote-post-${id + OFFSET}"`);
    expect(html).toContain(`action="/fediverse/replies/${first!.id}/delete"`);
    expect(html).toContain(`action="/fediverse/replies/${second!.id}/delete"`);

    // With htmx: the box again, without the deleted reply, and the status line.
    const res = await send(alice, `/fediverse/replies/${first!.id}/delete`, {}, HX);
    expect(res.status).toBe(200);
    const box = await res.text();
    expect(box).not.toContain("<html");
    expect(box).toContain(`Reply deleted; @${bob.name}@mastodon.example&#39;s server is told.`); // escaped: an apostrophe in HTML text
    expect(box).not.toContain(`remote-reply-sent-${first!.id}`);
    expect(box).toContain(`remote-reply-sent-${second!.id}`);
    expect(box).toContain("Reply (1 sent)");
    expect((await replies(alice.id)).map((r) => r.id)).toEqual([second!.id]);

    await drain();
    const byUrl = new Map(received.map((r) => [r.url, r]));
    expect([...byUrl.keys()].sort()).toEqual([bob.sharedInbox, carol.sharedInbox].sort());
    const noteId = `${me}/replies/${first!.id}`;
    const sent = byUrl.get(bob.sharedInbox)!;
    expect(sent.body).toMatchObject({ type: "Delete", id: `${noteId}#delete`, actor: me, object: { type: "Tombstone", id: noteId } });
    expect(await verifiedKeyId(sent)).toBe(`${me}#main-key`);
    // The Note's id no longer answers.
    expect((await SELF.fetch(noteId.replace(BASE, ORIGIN), { headers: { Accept: AS } })).status).toBe(404);

    // A second delete finds nothing and sends nothing.
    const again = await send(alice, `/fediverse/replies/${first!.id}/delete`, {}, HX);
    expect(again.status).toBe(404);
    expect(await again.text()).toContain("That reply is not yours, or it is deleted already.");
    expect(queued).toHaveLength(0);

    // Without JavaScript: a redirect to the replies page with the message. After an unfollow the reply is still
    // hers to delete, and she goes back to the Followed feed.
    expect((await send(alice, "/fediverse/unfollow", { actor: bob.uri })).status).toBe(303);
    await drain();
    received.length = 0;
    const plain = await send(alice, `/fediverse/replies/${second!.id}/delete`);
    expect(plain.status).toBe(303);
    expect(plain.headers.get("Location")).toBe("/followed");
    expect(await replies(alice.id)).toHaveLength(0);
    await drain();
    expect(received.map((r) => r.body.type)).toEqual(expect.arrayContaining(["Delete"]));
  });

  it("is 404 for someone else's reply or no reply, and refuses visitors, GETs, other sites' forms and members who left; nothing changes", {
    timeout: 120_000,
  }, async () => {
    const {
      alice,
      id,
      sent: [reply],
    } = await aliceRepliedTo(["Mine"]);
    const mallory = await confirmedUser("mallory");

    for (const target of [String(reply!.id), String(reply!.id + 1000), "abc", "0", "-1"]) {
      const res = await send(mallory, `/fediverse/replies/${target}/delete`, {}, HX);
      expect(res.status, target).toBe(404);
      expect(await res.text()).toContain("That reply is not yours, or it is deleted already.");
    }
    // Nor may mallory list alice's replies: the note is not in her feed. A malformed or unknown note is 404 too.
    expect((await mallory.client.get(`/fediverse/notes/${id}/replies`)).status).toBe(404);
    for (const target of ["abc", "0", String(id + 1000)]) {
      const res = await alice.client.get(`/fediverse/notes/${target}/replies`);
      expect(res.status, target).toBe(404);
      expect(await res.text()).toContain("That note is not in your Followed feed.");
    }

    const visitor = await SELF.fetch(`${ORIGIN}/fediverse/replies/${reply!.id}/delete`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
      redirect: "manual",
    });
    expect(visitor.status).toBe(303);
    expect(visitor.headers.get("Location")).toMatch(/^\/auth\/login/);
    const anonymousList = await SELF.fetch(`${ORIGIN}/fediverse/notes/${id}/replies`, { redirect: "manual" });
    expect(anonymousList.status).toBe(303);

    const get = await alice.client.get(`/fediverse/replies/${reply!.id}/delete`);
    expect(get.status).toBe(405);
    expect(get.headers.get("Allow")).toBe("POST");
    expect((await send(alice, `/fediverse/replies/${reply!.id}/delete`, {}, { Origin: "https://evil.example" })).status).toBe(403);

    expect((await send(alice, "/account/fediverse", { choice: "leave" })).status).toBe(303);
    queued.length = 0;
    const left = await send(alice, `/fediverse/replies/${reply!.id}/delete`);
    expect(left.status).toBe(422);
    expect(await left.text()).toContain("You left the fediverse");

    expect(queued).toHaveLength(0);
    expect(await replies(alice.id)).toHaveLength(1);
  });
});

describe("bad input", () => {
  it("refuses empty, too long and rate-limited replies with the text kept, and sends nothing", { timeout: 120_000 }, async () => {
    const alice = await confirmedUser("alice");
    const { id } = await followedNote(alice, await remote("mastodon.example"));
    const cases: [Record<string, string>, string][] = [
      [{ body: "" }, "Write a reply first."],
      [{ body: "   " }, "Write a reply first."],
      [{}, "Write a reply first."],
      [{ body: "x".repeat(1001) }, "Replies can be at most 1,000 characters."],
    ];
    for (const [form, message] of cases) {
      const res = await send(alice, `/fediverse/notes/${id}/reply`, form, HX);
      expect(res.status, JSON.stringify(form)).toBe(422);
      expect(await res.text()).toContain(message);
      const page = await send(alice, `/fediverse/notes/${id}/reply`, form);
      expect(page.status).toBe(422);
      expect(await page.text()).toContain("<html");
    }
    const limited = { RATE_COMMENTS_PER_MINUTE: "1" };
    expect((await send(alice, `/fediverse/notes/${id}/reply`, { body: "one" }, HX, limited)).status).toBe(200);
    const res = await send(alice, `/fediverse/notes/${id}/reply`, { body: "two, kept" }, HX, limited);
    expect(res.status).toBe(429);
    expect(res.headers.get("Retry-After")).toBeTruthy();
    const html = await res.text();
    expect(html).toContain("You are commenting very fast.");
    expect(html).toContain("two, kept");
    expect(await replies(alice.id)).toHaveLength(1);
    queued.length = 0;
  });

  it("is 404 for a note outside the member's Followed feed: someone else's, unfollowed, blocked, missing or malformed", { timeout: 120_000 }, async () => {
    const alice = await confirmedUser("alice");
    const carol = await confirmedUser("carol");
    const bob = await remote("mastodon.example");
    const dave = await remote("blocked.example");
    const { id: bobsNote } = await followedNote(alice, bob);
    const { id: carolsNote } = await followedNote(carol, await remote("elsewhere.example"));
    const { id: blockedNote } = await followedNote(alice, dave);
    await env.DB.prepare("INSERT INTO blocked_servers (host, reason, created_at) VALUES ('blocked.example', NULL, ?)").bind(Date.now()).run();
    expect(await followedFeedHtml(alice)).not.toContain(`/fediverse/notes/${blockedNote}/`);
    queued.length = 0;

    for (const target of [String(carolsNote), String(blockedNote), "999999999", "abc", "0", String(bobsNote + OFFSET)]) {
      for (const action of ["like", "unlike", "reply"]) {
        const res = await send(alice, `/fediverse/notes/${target}/${action}`, { body: "hi" });
        expect(res.status, `${target}/${action}`).toBe(404);
        expect(await res.text()).toContain("That note is not in your Followed feed.");
      }
    }
    // After unfollowing bob his note is no longer hers to act on.
    expect((await send(alice, "/fediverse/unfollow", { actor: bob.uri })).status).toBe(303);
    queued.length = 0;
    expect((await send(alice, `/fediverse/notes/${bobsNote}/like`)).status).toBe(404);
    expect(queued).toHaveLength(0);
    expect(await likes(alice.id)).toHaveLength(0);
    expect(await replies(alice.id)).toHaveLength(0);
  });

  it("sends visitors to log in, unconfirmed members to confirm; refuses other sites' forms, a role without COMMENT, GETs, and members who left", {
    timeout: 120_000,
  }, async () => {
    const alice = await confirmedUser("alice");
    const { id } = await followedNote(alice, await remote("mastodon.example"));
    queued.length = 0;

    const visitor = await SELF.fetch(`${ORIGIN}/fediverse/notes/${id}/like`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
      redirect: "manual",
    });
    expect(visitor.status).toBe(303);
    expect(visitor.headers.get("Location")).toMatch(/^\/auth\/login/);

    const pending = await unconfirmedUser("pending", { login: true });
    const unconfirmed = await pending.client.post(`/fediverse/notes/${id}/reply`, { body: "hi" });
    expect(unconfirmed.headers.get("Location")).toBe("/auth/unconfirmed");

    const forged = await send(alice, `/fediverse/notes/${id}/like`, {}, { Origin: "https://evil.example" });
    expect(forged.status).toBe(403);

    const get = await alice.client.get(`/fediverse/notes/${id}/like`);
    expect(get.status).toBe(405);
    expect(get.headers.get("Allow")).toBe("POST");

    // A role that may follow but not comment may like, not reply.
    await setPermissions(alice.id, "FollowOnly", 1);
    expect((await send(alice, `/fediverse/notes/${id}/reply`, { body: "hi" })).status).toBe(403);
    expect((await send(alice, `/fediverse/notes/${id}/like`)).status).toBe(303);
    await setPermissions(alice.id, "User7", 7);
    expect((await send(alice, `/fediverse/notes/${id}/reply`, { body: "before leaving" })).status).toBe(303);
    const [reply] = await replies(alice.id);

    // A member who left the fediverse has no actor to send from.
    expect((await send(alice, "/account/fediverse", { choice: "leave" })).status).toBe(303);
    queued.length = 0;
    const left = await send(alice, `/fediverse/notes/${id}/unlike`);
    expect(left.status).toBe(422);
    expect(await left.text()).toContain("You left the fediverse");
    // Her reply's Note is gone with her actor (410, as the actor is).
    const gone = await SELF.fetch(`${ORIGIN}/users/${alice.id}/replies/${reply!.id}`, { headers: { Accept: AS } });
    expect(gone.status).toBe(410);
    expect(await gone.json()).toMatchObject({ type: "Tombstone", formerType: "Note" });
    expect(queued).toHaveLength(0);
    expect(await likes(alice.id)).toHaveLength(1);
    expect(await replies(alice.id)).toHaveLength(1);
  });
});

describe("the following collection", () => {
  it("lists accepted follows of people elsewhere after the local ones, paged, and counts them", { timeout: 60_000 }, async () => {
    const alice = await confirmedUser("alice");
    const star = await confirmedUser("star");
    const t = Date.now();
    await env.DB.prepare("INSERT INTO follows (follower_id, followed_id, created_at) VALUES (?, ?, ?)").bind(alice.id, star.id, t).run();
    const statements = [];
    for (let i = 0; i < 53; i++) {
      const uri = `https://m${i % 3}.example/users/f${alice.id}x${i}`;
      statements.push(
        env.DB.prepare("INSERT INTO remote_actors (uri, inbox, handle, name, host, fetched_at) VALUES (?, ?, ?, ?, ?, ?)").bind(
          uri,
          `${uri}/inbox`,
          `@f${i}@m.example`,
          "F",
          `m${i % 3}.example`,
          t,
        ),
        env.DB.prepare(
          "INSERT INTO remote_follows (user_id, remote_actor_id, follow_activity_id, accepted_at, created_at) SELECT ?, id, ?, ?, ? FROM remote_actors WHERE uri = ?",
        ).bind(alice.id, `${BASE}/users/${alice.id}#follows/${i}`, i === 52 ? null : t, t + i, uri),
      );
    }
    await env.DB.batch(statements);

    const json = async (url: string): Promise<Json> => {
      const res = await SELF.fetch(url.replace(BASE, ORIGIN), { headers: { Accept: AS } });
      expect(res.status, url).toBe(200);
      return res.json();
    };
    const following = await json(`${BASE}/users/${alice.id}/following`);
    expect(following.totalItems).toBe(1 + 52); // the pending follow is not counted
    let page = await json(following.first);
    let items: string[] = page.orderedItems ?? [];
    while (page.next) {
      page = await json(page.next);
      items = [...items, ...(page.orderedItems ?? [])];
    }
    expect(items).toHaveLength(53);
    expect(items[0]).toBe(`${BASE}/users/${star.id}`);
    expect(items[1]).toBe(`https://m0.example/users/f${alice.id}x51`); // newest first
    expect(items).not.toContain(`https://m1.example/users/f${alice.id}x52`);
    expect(new Set(items).size).toBe(53);

    const bad = await SELF.fetch(`${ORIGIN}/users/${alice.id}/following?cursor=rnonsense`, { headers: { Accept: AS } });
    expect(bad.status).toBe(404);
  });
});
