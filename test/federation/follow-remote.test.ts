// A member follows someone elsewhere (issue 13): "Follow someone elsewhere" takes @bob@mastodon.example (or a
// profile URL), looks him up by WebFinger, stores a pending follow and delivers a signed Follow from her actor;
// his server's signed Accept makes it count; his public notes (Create) then appear in her Followed feed, merged
// by time with local posts, edits (Update) and deletions (Delete) follow; Unfollow delivers Undo(Follow). The
// remote server lives at the network edge (test/helpers/fake-fediverse.ts).
import { env, SELF } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { type Account, confirmedUser, unconfirmedUser } from "../helpers/accounts";
import { ORIGIN } from "../helpers/client";
import * as fediverse from "../helpers/fake-fediverse";
import { d1Queries } from "../helpers/http";
import { insertPosts } from "../helpers/posts";

const { activity, BASE, deliver, documents, drain, memberPost, noteBy, queued, received, remote, verifiedKeyId } = fediverse;
type Json = fediverse.Json;
type Remote = fediverse.Remote;
fediverse.useFakeFediverse();

const CONTEXT = "https://www.w3.org/ns/activitystreams";

type FollowRow = { uri: string; handle: string; acceptedAt: number | null; followId: string };
const follows = (memberId: number) =>
  env.DB.prepare(
    "SELECT a.uri, a.handle, f.accepted_at AS acceptedAt, f.follow_activity_id AS followId FROM remote_follows f JOIN remote_actors a ON a.id = f.remote_actor_id WHERE f.user_id = ?",
  )
    .bind(memberId)
    .all<FollowRow>()
    .then((r) => r.results);

const remotePosts = (actorUri: string) =>
  env.DB.prepare("SELECT p.uri, p.content_html AS html FROM remote_posts p JOIN remote_actors a ON a.id = p.remote_actor_id WHERE a.uri = ? ORDER BY p.id")
    .bind(actorUri)
    .all<{ uri: string; html: string }>()
    .then((r) => r.results);

/** The member's Followed feed, as her browser sees it. */
async function followedFeed(member: Account, query = ""): Promise<{ res: Response; html: string }> {
  await member.client.get("/followed");
  const res = await member.client.get(`/${query}`);
  return { res, html: await res.text() };
}

/** `member` follows `from` through the form and `from`'s server accepts; the Follow as delivered. */
async function followAccepted(member: Account, from: Remote): Promise<Json> {
  expect((await memberPost(member, "/fediverse/follow", { handle: `@${from.name}@${from.host}` })).status).toBe(303);
  await drain();
  const follow = received.find((r) => r.body.type === "Follow")?.body;
  expect(follow).toBeDefined();
  expect((await deliver(from, activity("Accept", from, follow!), `/users/${member.id}/inbox`)).status).toBe(202);
  received.length = 0;
  return follow!;
}

describe("following someone elsewhere", () => {
  it("delivers a signed Follow, counts it on Accept, shows their notes in the Followed feed, and Undoes it", { timeout: 120_000 }, async () => {
    const alice = await confirmedUser("alice");
    const bob = await remote("mastodon.example");

    const res = await memberPost(alice, "/fediverse/follow", { handle: `@${bob.name}@${bob.host}` });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/fediverse/follow");
    const [row] = await follows(alice.id);
    expect(row).toMatchObject({ uri: bob.uri, handle: `@${bob.name}@mastodon.example`, acceptedAt: null });

    // One queued delivery: the Follow, POSTed to bob's inbox and signed with alice's published key.
    expect(queued).toHaveLength(1);
    expect(await drain()).toMatchObject({ acked: 1, retried: 0 });
    expect(received).toHaveLength(1);
    const sent = received[0]!;
    expect(sent.url).toBe(bob.inbox);
    expect(sent.body).toMatchObject({ type: "Follow", id: row!.followId, actor: `${BASE}/users/${alice.id}`, object: bob.uri });
    expect(await verifiedKeyId(sent)).toBe(`${BASE}/users/${alice.id}#main-key`);

    // Before the Accept, bob's notes are not kept.
    const early = noteBy(bob, "<p>too early</p>");
    expect((await deliver(bob, activity("Create", bob, early), "/inbox")).status).toBe(202);
    expect(await remotePosts(bob.uri)).toHaveLength(0);

    // His server accepts (Mastodon echoes the Follow).
    expect((await deliver(bob, activity("Accept", bob, sent.body), `/users/${alice.id}/inbox`)).status).toBe(202);
    expect((await follows(alice.id))[0]!.acceptedAt).toBeGreaterThan(0);
    const page = await SELF.fetch(`${ORIGIN}/fediverse/follow`, { headers: { Cookie: `__Host-session=${alice.client.session()}` } });
    const listed = await page.text();
    expect(listed).toContain(`@${bob.name}@mastodon.example`);
    expect(listed).not.toContain("waiting for their server");

    // A public note: sanitized, in alice's Followed feed with his name, a link to the original, marked as remote.
    const note = noteBy(bob, '<p>Hello from <b>Mastodon</b><script>alert("x")</script> <a href="javascript:alert(1)" onclick="x()">link</a></p>');
    expect((await deliver(bob, activity("Create", bob, note), "/inbox")).status).toBe(202);
    const [stored] = await remotePosts(bob.uri);
    expect(stored).toEqual({ uri: note.id, html: "<p>Hello from <b>Mastodon</b> <a>link</a></p>" });
    let feed = await followedFeed(alice);
    expect(feed.html).toContain("<p>Hello from <b>Mastodon</b> <a>link</a></p>");
    expect(feed.html).toContain(`href="${note.url}"`);
    expect(feed.html).toContain(`href="https://mastodon.example/@${bob.name}"`);
    expect(feed.html).toContain('class="post post-remote"');
    expect(feed.html).not.toContain("<script>alert");
    expect(feed.html).not.toContain("javascript:");

    // The same note again (a second Create with another id) is stored once.
    expect((await deliver(bob, activity("Create", bob, note), "/inbox")).status).toBe(202);
    expect(await remotePosts(bob.uri)).toHaveLength(1);

    // An edit replaces the content; a delete by someone else changes nothing; his own delete removes it.
    const edited = { ...note, content: "<p>Edited on Mastodon</p>", updated: new Date().toISOString() };
    expect((await deliver(bob, activity("Update", bob, edited), "/inbox")).status).toBe(202);
    feed = await followedFeed(alice);
    expect(feed.html).toContain("Edited on Mastodon");
    expect(feed.html).not.toContain("Hello from");
    const mallory = await remote("mastodon.example");
    expect((await deliver(mallory, activity("Delete", mallory, note.id), "/inbox")).status).toBe(202);
    expect(await remotePosts(bob.uri)).toHaveLength(1);
    expect((await deliver(bob, activity("Delete", bob, { id: note.id, type: "Tombstone" }), "/inbox")).status).toBe(202);
    expect(await remotePosts(bob.uri)).toHaveLength(0);
    expect((await followedFeed(alice)).html).not.toContain("Edited on Mastodon");

    // Unfollow: the row goes, an Undo(Follow) naming the Follow is delivered, and later notes are ignored.
    received.length = 0;
    const un = await memberPost(alice, "/fediverse/unfollow", { actor: bob.uri });
    expect(un.status).toBe(303);
    expect(await follows(alice.id)).toHaveLength(0);
    await drain();
    expect(received).toHaveLength(1);
    expect(received[0]!.url).toBe(bob.inbox);
    expect(received[0]!.body).toMatchObject({
      type: "Undo",
      actor: `${BASE}/users/${alice.id}`,
      object: { type: "Follow", id: row!.followId, object: bob.uri },
    });
    expect((await deliver(bob, activity("Create", bob, noteBy(bob, "<p>after</p>")), "/inbox")).status).toBe(202);
    expect(await remotePosts(bob.uri)).toHaveLength(0);
  });

  it("takes a profile URL too, and a Reject removes the pending follow", { timeout: 60_000 }, async () => {
    const alice = await confirmedUser("alice");
    const bob = await remote("mastodon.example");
    expect((await memberPost(alice, "/fediverse/follow", { handle: bob.uri })).status).toBe(303);
    await drain();
    const follow = received.find((r) => r.body.type === "Follow")!.body;
    expect(await follows(alice.id)).toHaveLength(1);
    // A Reject naming another Follow id, or from someone else, changes nothing.
    const carol = await remote("other.example");
    await deliver(carol, activity("Reject", carol, follow), `/users/${alice.id}/inbox`);
    await deliver(bob, activity("Reject", bob, { ...follow, id: `${follow.id}-other` }), `/users/${alice.id}/inbox`);
    expect(await follows(alice.id)).toHaveLength(1);
    expect((await deliver(bob, activity("Reject", bob, follow), `/users/${alice.id}/inbox`)).status).toBe(202);
    expect(await follows(alice.id)).toHaveLength(0);
  });

  it("takes an Accept that echoes the Follow without its id", { timeout: 60_000 }, async () => {
    const alice = await confirmedUser("alice");
    const bob = await remote("mastodon.example");
    expect((await memberPost(alice, "/fediverse/follow", { handle: `@${bob.name}@${bob.host}` })).status).toBe(303);
    const echoed = { type: "Follow", actor: `${BASE}/users/${alice.id}`, object: bob.uri };
    expect((await deliver(bob, activity("Accept", bob, echoed), "/inbox")).status).toBe(202);
    expect((await follows(alice.id))[0]!.acceptedAt).toBeGreaterThan(0);
  });

  it("keeps only public notes by the followed actor that are not replies to our posts", { timeout: 60_000 }, async () => {
    const alice = await confirmedUser("alice");
    const bob = await remote("mastodon.example");
    await followAccepted(alice, bob);
    const carol = await remote("other.example");
    const cases: [string, Remote, Json][] = [
      ["followers only", bob, noteBy(bob, "<p>secret</p>", { to: [`${bob.uri}/followers`], cc: [] })],
      ["a reply to one of our posts", bob, noteBy(bob, "<p>reply</p>", { inReplyTo: `${BASE}/post/1` })],
      ["attributed to someone else", bob, noteBy(bob, "<p>forged</p>", { attributedTo: carol.uri })],
      ["an id on another server", bob, { ...noteBy(bob, "<p>elsewhere</p>"), id: `https://other.example/notes/${crypto.randomUUID()}` }],
      ["by someone nobody here follows", carol, noteBy(carol, "<p>stranger</p>")],
    ];
    for (const [name, from, note] of cases) {
      expect((await deliver(from, activity("Create", from, note), "/inbox")).status, name).toBe(202);
    }
    expect(await remotePosts(bob.uri)).toHaveLength(0);
    expect(await remotePosts(carol.uri)).toHaveLength(0);
    // A note that claims the future is kept at "now", not above everything else.
    const future = noteBy(bob, "<p>from the future</p>", { published: "2999-01-01T00:00:00Z" });
    await deliver(bob, activity("Create", bob, future), "/inbox");
    const row = await env.DB.prepare("SELECT published_at AS at FROM remote_posts WHERE uri = ?").bind(future.id).first<{ at: number }>();
    expect(row!.at).toBeLessThanOrEqual(Date.now());
  });

  it("merges remote notes with local posts by time, pages correctly, and costs the same queries per page", { timeout: 60_000 }, async () => {
    const alice = await confirmedUser("alice");
    const bob = await remote("mastodon.example");
    await followAccepted(alice, bob);
    const actor = await env.DB.prepare("SELECT id FROM remote_actors WHERE uri = ?").bind(bob.uri).first<{ id: number }>();
    // 15 local posts and 15 remote notes, interleaved a second apart (local at even seconds, remote at odd).
    const start = Date.now() - 3_600_000;
    await insertPosts(alice.id, 15, start);
    await env.DB.batch(
      Array.from({ length: 15 }, (_, i) =>
        env.DB.prepare("INSERT INTO remote_posts (uri, remote_actor_id, content_html, url, published_at, updated_at) VALUES (?, ?, ?, NULL, ?, ?)").bind(
          `${bob.uri}/statuses/merge-${i}`,
          actor!.id,
          `<p>remote number ${i}</p>`,
          start + i * 1000 + 500,
          start + i * 1000 + 500,
        ),
      ),
    );
    const first = await followedFeed(alice);
    const order = (html: string) => [...html.matchAll(/<p>(post|remote) number (\d+)/g)].map((m) => `${m[1]}${m[2]}`);
    const page1 = order(first.html);
    expect(page1).toHaveLength(20);
    expect(page1.slice(0, 4)).toEqual(["remote14", "post14", "remote13", "post13"]);
    const older = first.html.match(/href="(\/\?page=2&amp;before=[^"]+)"/)?.[1]?.replaceAll("&amp;", "&");
    expect(older).toBeDefined();
    const second = await alice.client.get(older!);
    const page2 = order(await second.text());
    expect(page2).toHaveLength(10);
    expect(page2.at(-1)).toBe("post0");
    expect(new Set([...page1, ...page2]).size).toBe(30);
    // Blocking bob's server takes his notes out of the feed at once.
    await env.DB.prepare("INSERT INTO blocked_servers (host, reason, created_at) VALUES ('mastodon.example', NULL, ?)").bind(Date.now()).run();
    const blocked = order((await followedFeed(alice)).html);
    await env.DB.prepare("DELETE FROM blocked_servers WHERE host = 'mastodon.example'").run();
    expect(blocked.filter((x) => x.startsWith("remote"))).toEqual([]);
    expect(blocked).toHaveLength(15);
    // A bare ?page=2 (offset) shows the same posts as the cursor link.
    expect(order((await followedFeed(alice, "?page=2")).html)).toEqual(page2);
    // Pages cost what the feed cost before remote notes: the same number of D1 round trips on page 1 and 2.
    expect(d1Queries(second)).toBe(d1Queries(first.res));
  });
});

describe("the HTML profile", () => {
  it("counts and lists remote followers and (accepted) remote follows beside local ones, linking to their profiles", { timeout: 90_000 }, async () => {
    const alice = await confirmedUser("alice");
    const fan = await confirmedUser("fan");
    await fan.client.post(`/follow/${alice.username}`);
    const [bob, carol, dave] = [await remote("mastodon.example"), await remote("other.example"), await remote("third.example")];
    await followAccepted(alice, bob!);
    // dave's server has not answered yet: not counted or listed.
    expect((await memberPost(alice, "/fediverse/follow", { handle: `@${dave!.name}@${dave!.host}` })).status).toBe(303);
    // carol follows alice from her server.
    const follow = {
      "@context": CONTEXT,
      id: `${carol!.uri}#follows/${crypto.randomUUID()}`,
      type: "Follow",
      actor: carol!.uri,
      object: `${BASE}/users/${alice.id}`,
    };
    expect((await deliver(carol!, follow, `/users/${alice.id}/inbox`)).status).toBe(202);

    const profile = await (await SELF.fetch(`${ORIGIN}/user/${alice.username}`)).text();
    expect(profile).toContain("2 followers");
    expect(profile).toContain("1 following");
    const followers = await (await SELF.fetch(`${ORIGIN}/followers/${alice.username}`)).text();
    expect(followers).toContain("2 people follow");
    expect(followers).toContain(`href="/user/${fan.username}"`);
    expect(followers).toContain(`href="https://other.example/@${carol!.name}" rel="nofollow noopener"`);
    expect(followers).toContain(`@${carol!.name}@other.example`);
    const following = await (await SELF.fetch(`${ORIGIN}/followed_by/${alice.username}`)).text();
    expect(following).toContain(`href="https://mastodon.example/@${bob!.name}"`);
    expect(following).not.toContain(dave!.name);
  });
});

describe("Follow someone elsewhere: bad input", () => {
  it.each([
    ["empty", 422, "Enter a handle such as", ""],
    ["blank", 422, "Enter a handle such as", "   "],
    ["garbage", 422, "Enter a handle (@bob@mastodon.example)", "not a handle"],
    ["1,000 characters", 422, "at most 500 characters", `@${"b".repeat(990)}@mastodon.example`],
    ["another scheme", 422, "Enter a handle (@bob@mastodon.example)", "ftp://mastodon.example/@bob"],
    ["our own host's handle", 422, "That account is on this site", "@alice@127.0.0.1:8787"],
    ["a private address", 422, "not on the public internet", "@bob@10.0.0.1"],
    ["a metadata URL", 422, "not on the public internet", "https://169.254.169.254/users/bob"],
    ["an unknown account (WebFinger 404)", 404, "There is no account @nobody@mastodon.example", "@nobody@mastodon.example"],
    ["a URL that is no actor", 404, "No fediverse account was found", "https://mastodon.example/about"],
  ])("%s → %i with a message", { timeout: 60_000 }, async (_name, status, message, handle) => {
    const member = await confirmedUser("follower");
    const res = await memberPost(member, "/fediverse/follow", { handle });
    expect(res.status).toBe(status);
    expect(await res.text()).toContain(message.replaceAll("'", "&#39;"));
    expect(await follows(member.id)).toHaveLength(0);
    expect(queued).toHaveLength(0);
  });

  it("links our own members' handles to their profile here", { timeout: 30_000 }, async () => {
    const member = await confirmedUser("follower");
    const html = await (await memberPost(member, "/fediverse/follow", { handle: "@Alice@127.0.0.1:8787" })).text();
    expect(html).toContain('href="/user/Alice"');
  });

  it.each([
    [
      "a blocked server (or its subdomain)",
      "@bob@social.blocked.example",
      "social.blocked.example is blocked on this site",
      async () => {
        await env.DB.prepare("INSERT OR IGNORE INTO blocked_servers (host, reason, created_at) VALUES ('blocked.example', NULL, ?)").bind(Date.now()).run();
      },
    ],
    [
      "a member who left the fediverse (no actor to follow from)",
      "@bob@mastodon.example",
      "You left the fediverse",
      async (member: Account) => {
        await env.DB.prepare("UPDATE users SET left_fediverse_at = ? WHERE id = ?").bind(Date.now(), member.id).run();
      },
    ],
  ])("refuses %s with 422, fetching nothing", { timeout: 30_000 }, async (_name, handle, message, setUp) => {
    const member = await confirmedUser("follower");
    await setUp(member);
    vi.mocked(globalThis.fetch).mockClear();
    const res = await memberPost(member, "/fediverse/follow", { handle });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain(message);
    expect(globalThis.fetch).not.toHaveBeenCalled();
  });

  it("says so when the server names an actor it does not serve (422, nothing stored)", { timeout: 30_000 }, async () => {
    const member = await confirmedUser("follower");
    const bob = await remote("flaky.example");
    documents.delete(bob.uri);
    const res = await memberPost(member, "/fediverse/follow", { handle: `@${bob.name}@${bob.host}` });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("flaky.example did not answer as a fediverse server");
    expect(await follows(member.id)).toHaveLength(0);
  });

  it("answers a second follow of the same person with 409", { timeout: 60_000 }, async () => {
    const alice = await confirmedUser("alice");
    const bob = await remote("mastodon.example");
    expect((await memberPost(alice, "/fediverse/follow", { handle: `${bob.name}@${bob.host}` })).status).toBe(303);
    const again = await memberPost(alice, "/fediverse/follow", { handle: `@${bob.name}@${bob.host}` });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain(`You already follow @${bob.name}@mastodon.example`);
    expect(queued).toHaveLength(1);
  });

  it("sends visitors to the login page and unconfirmed members to confirm, and refuses other sites' forms", { timeout: 30_000 }, async () => {
    const visitor = await SELF.fetch(`${ORIGIN}/fediverse/follow`, {
      method: "POST",
      body: new URLSearchParams({ handle: "@bob@mastodon.example" }),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
      redirect: "manual",
    });
    expect(visitor.status).toBe(303);
    expect(visitor.headers.get("Location")).toMatch(/^\/auth\/login/);
    const pending = await unconfirmedUser("pending", { login: true });
    const unconfirmed = await pending.client.post("/fediverse/follow", { handle: "@bob@mastodon.example" });
    expect(unconfirmed.headers.get("Location")).toBe("/auth/unconfirmed");
    const member = await confirmedUser("member");
    const forged = await member.client.post("/fediverse/follow", { handle: "@bob@mastodon.example" }, { Origin: "https://evil.example" });
    expect(forged.status).toBe(403);
    expect(await follows(member.id)).toHaveLength(0);
  });

  it("unfollowing someone not followed is 404, and a GET changes nothing", { timeout: 30_000 }, async () => {
    const member = await confirmedUser("member");
    const res = await memberPost(member, "/fediverse/unfollow", { actor: "https://mastodon.example/users/nobody" });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("You do not follow that account.");
    expect((await memberPost(member, "/fediverse/unfollow", { actor: "x".repeat(5000) })).status).toBe(404);
    expect((await member.client.get("/fediverse/unfollow")).status).toBe(405);
    expect(queued).toHaveLength(0);
  });
});
