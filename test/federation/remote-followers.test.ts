// Someone on Mastodon follows a member and sees her posts (issue 13): a signed Follow from a fake remote
// server is stored and answered with an Accept; Undo removes it; a post, its edit and its deletion reach each
// remote server's shared inbox once as Create / Update / Delete; a failing inbox is retried with backoff and,
// after about a day, marked dead and skipped. The remote servers live at the network edge (a fetch spy serving
// their actor documents and recording what is POSTed to their inboxes); the Worker's FEDERATION_QUEUE is a
// recording stand-in whose messages the test hands to the real consumer, so each step is observable.
import { env, SELF } from "cloudflare:test";
import { type DocumentLoader, getDocumentLoader, signRequest, verifyRequest } from "@fedify/fedify";
import { describe, expect, it } from "vitest";
import { RETRY_ATTEMPTS } from "../../src/features/federation/delivery";
import { type Account, confirmedUser, unconfirmedUser } from "../helpers/accounts";
import { ORIGIN } from "../helpers/client";
import {
  AS,
  BASE,
  call,
  deliver,
  drain,
  followOf,
  inboxStatus,
  type Json,
  memberPost,
  nextSeq,
  queued,
  type Remote,
  received,
  remote,
  useFakeFediverse,
  verifiedKeyId,
} from "../helpers/fake-fediverse";

useFakeFediverse();

const followers = (memberId: number) =>
  env.DB.prepare(
    "SELECT a.uri, a.name, a.handle, a.icon_url AS icon, f.follow_activity_id AS followId FROM remote_followers f JOIN remote_actors a ON a.id = f.remote_actor_id WHERE f.user_id = ? ORDER BY a.uri",
  )
    .bind(memberId)
    .all<{ uri: string; name: string; handle: string; icon: string; followId: string }>()
    .then((r) => r.results);

/** Follows `member` from `from` and delivers the Accept, leaving the queue and the inboxes empty. */
async function followed(from: Remote, member: Account) {
  expect((await deliver(from, followOf(from, member), `/users/${member.id}/inbox`)).status).toBe(202);
  await drain();
  received.length = 0;
}

/**
 * What one member action queued (one message, nothing sent yet) became: the fan-out's one message per remote
 * server, then one POST each, to the shared inboxes of mastodon.example and other.example.
 */
async function expectOnePostPerServer() {
  expect(queued).toHaveLength(1);
  expect(received).toHaveLength(0);
  expect(await drain()).toMatchObject({ acked: 1 });
  expect(queued).toHaveLength(2);
  expect(await drain()).toMatchObject({ acked: 2, retried: 0 });
  expect(received.map((r) => r.url).sort()).toEqual(["https://mastodon.example/inbox", "https://other.example/inbox"]);
}

const postIdOf = (res: Response) => Number(res.headers.get("Location")?.match(/\/post\/(\d+)/)?.[1]);

describe("a remote Follow", () => {
  it("is stored (plain-text name) and answered with a signed Accept to the follower's inbox", { timeout: 60_000 }, async () => {
    const alice = await confirmedUser("alice");
    const bob = await remote("mastodon.example");
    const follow = followOf(bob, alice);
    expect((await deliver(bob, follow, `/users/${alice.id}/inbox`)).status).toBe(202);

    const [row] = await followers(alice.id);
    expect(row).toMatchObject({ uri: bob.uri, followId: follow.id, icon: `${new URL(bob.uri).origin}/avatars/${bob.uri.split("/").pop()}.png` });
    expect(row!.name).toBe(`alert(1)Bob ${bob.uri.split("/").pop()}`);
    expect(row!.handle).toBe(`@${bob.uri.split("/").pop()}@mastodon.example`);

    // One message for the Accept; the consumer POSTs it, signed with alice's key.
    expect(queued).toHaveLength(1);
    expect(await drain()).toMatchObject({ acked: 1, retried: 0 });
    expect(received).toHaveLength(1);
    const [accept] = received;
    expect(accept!.url).toBe(bob.inbox);
    expect(accept!.body).toMatchObject({ type: "Accept", actor: `${BASE}/users/${alice.id}` });
    expect(accept!.body.object.id ?? accept!.body.object).toBe(follow.id);
    // Signed as Mastodon verifies (draft-cavage, RSA-SHA256 over at least (request-target) host date digest),
    // and the signature checks out against alice's published key.
    const signature = accept!.headers.get("Signature") ?? "";
    expect(signature).toContain(`keyId="${BASE}/users/${alice.id}#main-key"`);
    expect(signature).toContain('algorithm="rsa-sha256"');
    const signed = signature.match(/headers="([^"]+)"/)?.[1]?.split(" ") ?? [];
    expect(signed).toEqual(expect.arrayContaining(["(request-target)", "host", "date", "digest"]));
    expect(await verifiedKeyId(accept!)).toBe(`${BASE}/users/${alice.id}#main-key`);
  });

  it("is listed in the member's followers collection, after the local followers", { timeout: 60_000 }, async () => {
    const alice = await confirmedUser("alice");
    const fan = await confirmedUser("fan");
    await fan.client.post(`/follow/${alice.username}`);
    const [bob, carol] = [await remote("mastodon.example"), await remote("other.example")];
    await followed(bob!, alice);
    await followed(carol!, alice);
    const get = async (url: string): Promise<Json> => (await SELF.fetch(url.replace(BASE, ORIGIN), { headers: { Accept: AS } })).json();
    const collection = await get(`${BASE}/users/${alice.id}/followers`);
    expect(collection.totalItems).toBe(3);
    let page = await get(collection.first);
    const items: string[] = [...page.orderedItems];
    while (page.next) {
      page = await get(page.next);
      items.push(...page.orderedItems);
    }
    expect(items).toEqual([`${BASE}/users/${fan.id}`, carol!.uri, bob!.uri]);
  });

  it("through the shared inbox works the same, and following again keeps one row", { timeout: 60_000 }, async () => {
    const alice = await confirmedUser("alice");
    const bob = await remote("mastodon.example");
    expect((await deliver(bob, followOf(bob, alice), "/inbox")).status).toBe(202);
    expect((await deliver(bob, followOf(bob, alice), "/inbox")).status).toBe(202);
    expect(await followers(alice.id)).toHaveLength(1);
  });

  it("is undone by Undo(Follow)", { timeout: 60_000 }, async () => {
    const alice = await confirmedUser("alice");
    const bob = await remote("mastodon.example");
    const follow = followOf(bob, alice);
    await deliver(bob, follow, `/users/${alice.id}/inbox`);
    expect(await followers(alice.id)).toHaveLength(1);
    const undo = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${bob.uri}#undo-${crypto.randomUUID()}`,
      type: "Undo",
      actor: bob.uri,
      object: follow,
    };
    expect((await deliver(bob, undo, `/users/${alice.id}/inbox`)).status).toBe(202);
    expect(await followers(alice.id)).toHaveLength(0);
  });

  it("of an unknown or unconfirmed member, or of a post, is ignored (202, nothing stored, nothing sent)", { timeout: 60_000 }, async () => {
    const bob = await remote("mastodon.example");
    const pending = await unconfirmedUser("pending");
    for (const object of [`${BASE}/users/999999999`, `${BASE}/users/${pending.id}`, `${BASE}/post/1`, "https://elsewhere.example/users/x"]) {
      const follow = { ...followOf(bob, { id: 0 }), object };
      expect((await deliver(bob, follow, "/inbox")).status, object).toBe(202);
    }
    const n = await env.DB.prepare("SELECT count(*) AS n FROM remote_followers f JOIN remote_actors a ON a.id = f.remote_actor_id WHERE a.uri = ?")
      .bind(bob.uri)
      .first<{ n: number }>();
    expect(n!.n).toBe(0);
    expect(queued).toHaveLength(0);
  });

  it("from an actor whose inbox is a private address is ignored", { timeout: 60_000 }, async () => {
    const alice = await confirmedUser("alice");
    const sneaky = await remote("sneaky.example", { inbox: "https://169.254.169.254/latest/meta-data" });
    expect((await deliver(sneaky, followOf(sneaky, alice), `/users/${alice.id}/inbox`)).status).toBe(202);
    expect(await followers(alice.id)).toHaveLength(0);
    expect(queued).toHaveLength(0);
  });

  it.each([
    [
      "unsigned",
      401,
      async (body: string, alice: Account) => call(new Request(`${ORIGIN}/users/${alice.id}/inbox`, { method: "POST", headers: { "Content-Type": AS }, body })),
    ],
    [
      "malformed JSON (signed)",
      400,
      async (body: string, alice: Account, bob: Remote) => {
        const req = new Request(`${ORIGIN}/users/${alice.id}/inbox`, { method: "POST", headers: { "Content-Type": AS }, body: body.slice(0, -3) });
        return call(await signRequest(req, bob.privateKey, bob.keyId));
      },
    ],
  ])("%s is refused (%i) and stores nothing", { timeout: 60_000 }, async (_, status, send) => {
    const alice = await confirmedUser("alice");
    const bob = await remote("mastodon.example");
    const res = await send(JSON.stringify(followOf(bob, alice)), alice, bob);
    expect(res.status).toBe(status);
    expect(await followers(alice.id)).toHaveLength(0);
    expect(queued).toHaveLength(0);
  });
});

describe("delivery of a member's posts", () => {
  it("sends Create, Update and Delete once per remote shared inbox", { timeout: 120_000 }, async () => {
    const alice = await confirmedUser("alice");
    // Two followers on one server (one shared inbox), one on another.
    const [bob, carol, dave] = [await remote("mastodon.example"), await remote("mastodon.example"), await remote("other.example")];
    for (const r of [bob!, carol!, dave!]) await followed(r, alice);

    const created = await memberPost(alice, "/", { body: "Hello **fediverse**" });
    expect(created.status).toBe(303);
    const postId =
      postIdOf(created) || Number((await env.DB.prepare("SELECT max(id) AS id FROM posts WHERE author_id = ?").bind(alice.id).first<{ id: number }>())!.id);
    // Posting only enqueued one message; nothing was sent yet. Then one message and one POST per server.
    await expectOnePostPerServer();
    for (const { body } of received) {
      expect(body).toMatchObject({ type: "Create", actor: `${BASE}/users/${alice.id}` });
      expect(body.object).toMatchObject({ type: "Note", id: `${BASE}/post/${postId}` });
      expect(body.object.content).toContain("<strong>fediverse</strong>");
    }

    received.length = 0;
    expect((await memberPost(alice, `/edit/${postId}`, { body: "Hello *edited*" })).status).toBe(303);
    await drain();
    await drain();
    expect(received).toHaveLength(2);
    for (const { body } of received) {
      expect(body.type).toBe("Update");
      expect(body.object.content).toContain("<em>edited</em>");
    }

    received.length = 0;
    expect((await memberPost(alice, `/post/${postId}/delete`, {})).status).toBe(303);
    await drain();
    await drain();
    expect(received).toHaveLength(2);
    for (const { body } of received) {
      expect(body.type).toBe("Delete");
      expect(body.object).toMatchObject({ type: "Tombstone", id: `${BASE}/post/${postId}` });
    }
  });

  it("enqueues nothing for a member without remote followers", { timeout: 60_000 }, async () => {
    const loner = await confirmedUser("loner");
    expect((await memberPost(loner, "/", { body: "Nobody out there" })).status).toBe(303);
    expect(queued).toHaveLength(0);
  });

  /** A member followed from `host`, whose shared inbox answers `status`, and the delivery of a new post to it. */
  async function failingFollower(host: string, status: number) {
    const alice = await confirmedUser("alice");
    const follower = await remote(host);
    await followed(follower, alice);
    inboxStatus.set(follower.sharedInbox, status);
    await memberPost(alice, "/", { body: "Are you there?" });
    await drain();
    const delivery = [...queued];
    expect(delivery).toHaveLength(1);
    return { alice, follower, delivery };
  }

  it("retries a failing inbox with backoff, and marks it dead after about a day", { timeout: 120_000 }, async () => {
    const { alice, follower: erin, delivery } = await failingFollower("flaky.example", 503);
    // First failure: retried in 30 s; the 5th in 30·2⁴ s; never more than 6 h.
    expect(await drain(1)).toMatchObject({ acked: 0, retried: 1, delays: [30] });
    queued.push(...delivery);
    expect(await drain(5)).toMatchObject({ retried: 1, delays: [480] });
    queued.push(...delivery);
    expect(await drain(12)).toMatchObject({ retried: 1, delays: [21600] });
    // The last attempt fails too: acked, and the inbox is dead.
    queued.push(...delivery);
    expect(await drain(RETRY_ATTEMPTS)).toMatchObject({ acked: 1, retried: 0 });
    const dead = await env.DB.prepare("SELECT last_error AS e FROM dead_inboxes WHERE inbox = ?").bind(erin.sharedInbox).first<{ e: string }>();
    expect(dead!.e).toContain("503");

    // Later posts skip it: nothing is fanned out to a dead inbox, and a queued message for it is dropped unsent.
    received.length = 0;
    await memberPost(alice, "/", { body: "Still there?" });
    await drain();
    expect(queued).toHaveLength(0);
    queued.push(...delivery);
    expect(await drain(1)).toMatchObject({ acked: 1, retried: 0 });
    expect(received).toHaveLength(0);

    // A new Follow from that server clears the mark.
    inboxStatus.delete(erin.sharedInbox);
    await followed(erin, alice);
    await memberPost(alice, "/", { body: "Welcome back" });
    await drain();
    expect(queued).toHaveLength(1);
  });

  it("drops a queued delivery to a server an Administrator blocked since, without POSTing", { timeout: 60_000 }, async () => {
    const { delivery } = await failingFollower("soon-blocked.example", 200);
    await env.DB.prepare("INSERT INTO blocked_servers (host, reason, created_at) VALUES ('soon-blocked.example', NULL, 1)").run();
    received.length = 0;
    queued.length = 0;
    queued.push(...delivery);
    expect(await drain(1)).toMatchObject({ acked: 1, retried: 0 });
    expect(received).toHaveLength(0);
  });

  it("does not retry an inbox that refuses (410 Gone)", { timeout: 60_000 }, async () => {
    const { follower } = await failingFollower("gone.example", 410);
    expect(await drain()).toMatchObject({ acked: 1, retried: 0 });
    const dead = await env.DB.prepare("SELECT count(*) AS n FROM dead_inboxes WHERE inbox = ?").bind(follower.sharedInbox).first<{ n: number }>();
    expect(dead!.n).toBe(0);
    inboxStatus.delete(follower.sharedInbox);
  });
});

describe("leaving the fediverse", () => {
  /** Verifies a received POST's signature with the member's key as fetched before they left (a server's cache). */
  async function verifiedWithCachedKey(sent: (typeof received)[number], actorDoc: Json) {
    const cached: DocumentLoader = async (url) => ({ contextUrl: null, documentUrl: url, document: actorDoc });
    const asSent = new Request(sent.url, { method: "POST", headers: sent.headers, body: sent.raw });
    return verifyRequest(asSent, { documentLoader: cached, contextLoader: getDocumentLoader() });
  }

  it("sends one signed Delete of the actor per remote server, then forgets the remote followers", { timeout: 120_000 }, async () => {
    const alice = await confirmedUser("alice");
    const [bob, carol, dave] = [await remote("mastodon.example"), await remote("mastodon.example"), await remote("other.example")];
    for (const r of [bob!, carol!, dave!]) await followed(r, alice);
    const actor = `${BASE}/users/${alice.id}`;
    const actorDoc: Json = await (await SELF.fetch(`${ORIGIN}/users/${alice.id}`, { headers: { Accept: AS } })).json();

    expect((await memberPost(alice, "/account/fediverse", { choice: "leave" })).status).toBe(303);
    // Leaving waits for one queue send; the Deletes go out from the consumer, one per server.
    await expectOnePostPerServer();
    for (const sent of received) {
      expect(sent.body).toMatchObject({ type: "Delete", actor, object: actor });
      expect(sent.headers.get("Signature")).toContain(`keyId="${actor}#main-key"`);
      expect((await verifiedWithCachedKey(sent, actorDoc))?.id?.href).toBe(`${actor}#main-key`);
    }
    // Those servers drop the actor and its follows: so does Roost. New posts go nowhere.
    expect(await followers(alice.id)).toHaveLength(0);
    received.length = 0;
    await memberPost(alice, "/", { body: "Only here now" });
    expect(queued).toHaveLength(0);
  });

  it("sends nothing when the member rejoined before the message was handled, or had no remote followers", { timeout: 60_000 }, async () => {
    const alice = await confirmedUser("alice");
    await followed(await remote("mastodon.example"), alice);
    await memberPost(alice, "/account/fediverse", { choice: "leave" });
    await memberPost(alice, "/account/fediverse", { choice: "rejoin" });
    expect(queued).toHaveLength(1);
    expect(await drain()).toMatchObject({ acked: 1 });
    expect(queued).toHaveLength(0);
    expect(received).toHaveLength(0);
    expect(await followers(alice.id)).toHaveLength(1);

    const loner = await confirmedUser("loner");
    expect((await memberPost(loner, "/account/fediverse", { choice: "leave" })).status).toBe(303);
    expect(queued).toHaveLength(0);
  });
});

describe("blocking a server", () => {
  it("removes its accounts and their follows in the same step, and says how many; posts reach only the others", { timeout: 120_000 }, async () => {
    const admin = await confirmedUser("blockadm", { role: "Administrator" });
    const alice = await confirmedUser("alice");
    const host = `spam${nextSeq()}.example`;
    // Two followers on the server, one on a subdomain of it, one elsewhere (and a look-alike host).
    const [bob, carol, sub, dave, lookalike] = [
      await remote(host),
      await remote(host),
      await remote(`social.${host}`),
      await remote("other.example"),
      await remote(`not${host}`),
    ];
    for (const r of [bob!, carol!, sub!, dave!, lookalike!]) await followed(r, alice);
    expect(await followers(alice.id)).toHaveLength(5);

    const res = await admin.client.post("/admin/servers/block", { host: `https://${host.toUpperCase()}/@someone` });
    expect(res.status).toBe(303);
    const { html } = await admin.client.follow(res);
    expect(html).toContain(`Blocked ${host} and its subdomains. Remote followers removed: 3.`);
    expect(html).toContain("Blocking also removes what Roost stored from it");
    expect((await followers(alice.id)).map((f) => f.uri).sort()).toEqual([dave!.uri, lookalike!.uri].sort());
    const actors = await env.DB.prepare("SELECT count(*) AS n FROM remote_actors WHERE host = ? OR host LIKE ?").bind(host, `%.${host}`).first<{ n: number }>();
    expect(actors!.n).toBe(0);

    await memberPost(alice, "/", { body: "After the block" });
    await drain();
    await drain();
    expect(received.map((r) => r.url).sort()).toEqual(["https://other.example/inbox", `https://not${host}/inbox`].sort());

    // Blocking it again removes nothing more and keeps the first block (409, as before).
    expect((await admin.client.post("/admin/servers/block", { host })).status).toBe(409);
  });

  it("leaves out of the fan-out a follower whose server or inbox host is blocked (rows stored before the block)", { timeout: 120_000 }, async () => {
    const alice = await confirmedUser("alice");
    const n = nextSeq();
    const host = `late${n}.example`;
    const [blockedActor, blockedInbox, fine] = [
      await remote(host),
      await remote(`people${n}.example`, { inbox: `https://relay.${host}/inbox/x` }),
      await remote("fine.example"),
    ];
    for (const r of [blockedActor!, blockedInbox!, fine!]) await followed(r, alice);
    // The blocked server's rows still exist (a block written straight to the table removes nothing).
    await env.DB.prepare("INSERT INTO blocked_servers (host, reason, created_at) VALUES (?, NULL, 1)").bind(host).run();
    // blockedInbox's shared inbox is on people….example; make its delivery inbox the one on the blocked host.
    await env.DB.prepare("UPDATE remote_actors SET shared_inbox = NULL WHERE uri = ?").bind(blockedInbox!.uri).run();
    expect(await followers(alice.id)).toHaveLength(3);

    await memberPost(alice, "/", { body: "Only to the fine one" });
    expect(await drain()).toMatchObject({ acked: 1 });
    // One delivery message: the blocked ones were never queued.
    expect(queued).toHaveLength(1);
    await drain();
    expect(received.map((r) => r.url)).toEqual(["https://fine.example/inbox"]);
  });
});
