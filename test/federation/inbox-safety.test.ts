// Inbox safety (issue 13): a signature table over Mastodon-shaped deliveries (fixtures/: Mastodon's Follow and
// Like, signed the way Mastodon signs: draft-cavage rsa-sha256 over (request-target) host date digest
// content-type), replayed activity ids processed once, blocked servers refused before any processing, a rate
// limit per remote server, and the known-servers count. The "remote" server is this Worker: its member's key
// signs, and Fedify fetches that member's actor to verify (the development setting for private peers, and
// outbound fetches to our origin routed back into the Worker).
import { env, SELF } from "cloudflare:test";
import { generateCryptoKeyPair, importJwk } from "@fedify/fedify";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { BLOCKED_SERVER, INBOX_RATE_LIMIT } from "../../src/features/federation/inbox-guard";
import { insertUsers } from "../helpers/accounts";
import { ORIGIN } from "../helpers/client";
import { deliverToApp, PEERS, routeOwnOriginToWorker } from "../helpers/federation";
import { insertPost } from "../helpers/posts";
import follow from "./fixtures/mastodon-follow.json";
import like from "./fixtures/mastodon-like.json";
import mastodon from "./fixtures/mastodon-signature.json";

const BASE = env.BASE_URL;
const SENDER_HOST = new URL(BASE).hostname;

const deliver = deliverToApp;

beforeAll(async () => {
  // Fedify is imported by the first federation request; that first import takes longer than a test's 5 s.
  await (await SELF.fetch(`${ORIGIN}/.well-known/nodeinfo`)).arrayBuffer();
}, 60_000);

// Fedify's key fetch to our own origin goes back into the Worker, as another server's request would.
beforeEach(routeOwnOriginToWorker);
afterEach(() => vi.restoreAllMocks());

const b64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
const sha256 = (text: string) => crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));

/** A fixture's activity with its placeholders filled in (and, unless kept, a fresh id). */
function activityOf(fixture: { activity: Record<string, string> }, fill: Record<string, string>, freshId = true): string {
  let json = JSON.stringify(fixture.activity);
  for (const [k, v] of Object.entries(fill)) json = json.replaceAll(`{{${k}}}`, v);
  const activity = JSON.parse(json);
  if (freshId) activity.id = activity.id.replace(/[0-9a-f-]{36}$|\d+$/, crypto.randomUUID());
  return JSON.stringify(activity);
}

type SignOptions = { key: CryptoKey; keyId: string; date?: Date; digestOf?: string; drop?: string[] };

/** A POST signed as Mastodon signs one (fixtures/mastodon-signature.json), then optionally spoiled. */
async function mastodonPost(inbox: string, body: string, o: SignOptions): Promise<Request> {
  const url = new URL(inbox);
  const headers: Record<string, string> = {
    host: url.host,
    date: (o.date ?? new Date()).toUTCString(),
    digest: `SHA-256=${b64(await sha256(o.digestOf ?? body))}`,
    "content-type": mastodon.contentType,
  };
  const signed = mastodon.headers.map((h) => (h === "(request-target)" ? `(request-target): post ${url.pathname}` : `${h}: ${headers[h]}`)).join("\n");
  const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", o.key, new TextEncoder().encode(signed));
  headers.signature = `keyId="${o.keyId}",algorithm="${mastodon.algorithm}",headers="${mastodon.headers.join(" ")}",signature="${b64(signature)}"`;
  for (const h of o.drop ?? []) delete headers[h];
  return new Request(inbox, { method: "POST", headers, body });
}

/** A sender (a member of this Worker, with their private key) and a recipient with a post. */
async function parties() {
  const [from, to] = await insertUsers(2, "safety");
  expect((await SELF.fetch(`${ORIGIN}/users/${from!.id}`, { headers: { Accept: "application/activity+json" } })).status).toBe(200);
  const row = await env.DB.prepare("SELECT private_key_jwk AS k FROM actor_keys WHERE user_id = ?").bind(from!.id).first<{ k: string }>();
  const actor = `${BASE}/users/${from!.id}`;
  const postId = await insertPost(to!.id, "a post to like", Date.now());
  return {
    key: await importJwk(JSON.parse(row!.k), "private"),
    keyId: `${actor}${mastodon.keyIdSuffix}`,
    actor,
    object: `${BASE}/users/${to!.id}`,
    postUrl: `${BASE}/post/${postId}`,
    inbox: `${ORIGIN}/users/${to!.id}/inbox`,
    sharedInbox: `${ORIGIN}/inbox`,
  };
}

const knownCount = async () =>
  (await env.DB.prepare("SELECT activities AS n FROM known_servers WHERE host = ?").bind(SENDER_HOST).first<{ n: number }>())?.n ?? 0;

describe("the signature table (Mastodon's Follow, signed as Mastodon signs)", () => {
  type Case = [string, (p: Awaited<ReturnType<typeof parties>>, body: string) => Promise<Request>, number];
  const cases: Case[] = [
    ["valid: accepted", (p, body) => mastodonPost(p.inbox, body, p), 202],
    ["valid on the shared inbox: accepted", (p, body) => mastodonPost(p.sharedInbox, body, p), 202],
    [
      "signed with the wrong key: refused",
      async (p, body) => mastodonPost(p.inbox, body, { ...p, key: (await generateCryptoKeyPair("RSASSA-PKCS1-v1_5")).privateKey }),
      401,
    ],
    ["a Digest of another body: refused", (p, body) => mastodonPost(p.inbox, body, { ...p, digestOf: body.replace("Follow", "Block") }), 401],
    ["a Date 13 hours old: refused", (p, body) => mastodonPost(p.inbox, body, { ...p, date: new Date(Date.now() - 13 * 3_600_000) }), 401],
    ["a Date 13 hours ahead: refused", (p, body) => mastodonPost(p.inbox, body, { ...p, date: new Date(Date.now() + 13 * 3_600_000) }), 401],
    ["a Date 11 hours old: accepted (within the window)", (p, body) => mastodonPost(p.inbox, body, { ...p, date: new Date(Date.now() - 11 * 3_600_000) }), 202],
    ["no Signature header: refused", (p, body) => mastodonPost(p.inbox, body, { ...p, drop: ["signature"] }), 401],
    ["no Date header: refused", (p, body) => mastodonPost(p.inbox, body, { ...p, drop: ["date"] }), 401],
    ["no Digest header: refused", (p, body) => mastodonPost(p.inbox, body, { ...p, drop: ["digest"] }), 401],
  ];

  it.each(cases)("%s", { timeout: 60_000 }, async (_, request, status) => {
    const p = await parties();
    const before = await knownCount();
    const res = await deliver(await request(p, activityOf(follow, { origin: BASE, actor: p.actor, object: p.object })));
    expect(res.status).toBe(status);
    // Only an accepted (verified) delivery counts its server as one Roost talks to.
    expect(await knownCount()).toBe(status === 202 ? before + 1 : before);
  });

  it("refuses a key whose owner is not the activity's actor (401)", { timeout: 60_000 }, async () => {
    const p = await parties();
    const [someoneElse] = await insertUsers(1, "impersonated");
    const body = activityOf(follow, { origin: BASE, actor: `${BASE}/users/${someoneElse!.id}`, object: p.object });
    expect((await deliver(await mastodonPost(p.inbox, body, p))).status).toBe(401);
  });

  it("processes a replayed activity id once: the second delivery is acknowledged (202) and dropped", { timeout: 60_000 }, async () => {
    const p = await parties();
    const body = activityOf(like, { actor: p.actor, object: p.postUrl }, false);
    const first = await deliver(await mastodonPost(p.sharedInbox, body, p));
    expect(first.status).toBe(202);
    expect(await first.text()).not.toContain("already been processed");
    // The same activity again, freshly signed (a retry, or a replay), to the shared and to a personal inbox.
    for (const inbox of [p.sharedInbox, p.inbox]) {
      const again = await deliver(await mastodonPost(inbox, body, p));
      expect(again.status).toBe(202);
      expect(await again.text()).toContain(`Activity <${JSON.parse(body).id}> has already been processed.`);
    }
  });
});

describe("blocked servers", () => {
  it("refuses a blocked server's validly signed POST (403) before any processing, and accepts it again once unblocked", { timeout: 60_000 }, async () => {
    const p = await parties();
    await env.DB.prepare("INSERT INTO blocked_servers (host, reason, created_at) VALUES (?, 'test', 1)").bind(SENDER_HOST).run();
    try {
      const before = await knownCount();
      const keyFetches = vi.mocked(globalThis.fetch).mock.calls.length;
      const res = await deliver(await mastodonPost(p.inbox, activityOf(follow, { origin: BASE, actor: p.actor, object: p.object }), p));
      expect(res.status).toBe(403);
      expect((await res.json<{ message: string }>()).message).toBe(BLOCKED_SERVER);
      // Refused from the headers alone: the sender's key was not even fetched.
      expect(vi.mocked(globalThis.fetch).mock.calls.length).toBe(keyFetches);
      expect(await knownCount()).toBe(before);
    } finally {
      await env.DB.prepare("DELETE FROM blocked_servers WHERE host = ?").bind(SENDER_HOST).run();
    }
    expect((await deliver(await mastodonPost(p.inbox, activityOf(follow, { origin: BASE, actor: p.actor, object: p.object }), p))).status).toBe(202);
  });

  it("refuses an activity whose claimed actor is on a blocked server, whoever signed it", { timeout: 60_000 }, async () => {
    const p = await parties();
    await env.DB.prepare("INSERT INTO blocked_servers (host, reason, created_at) VALUES ('evil.example', NULL, 1)").run();
    const body = activityOf(follow, { origin: BASE, actor: "https://a.evil.example/users/troll", object: p.object });
    expect((await deliver(await mastodonPost(p.inbox, body, p))).status).toBe(403);
  });

  it("never fetches a document from a blocked host (Fedify's document loader refuses it)", { timeout: 60_000 }, async () => {
    const { blockAwareLoaders } = await import("../../src/features/federation/federation");
    const { WorkersKvStore } = await import("@fedify/fedify/x/cfworkers");
    await env.DB.prepare("INSERT INTO blocked_servers (host, reason, created_at) VALUES ('keys.example', NULL, 1) ON CONFLICT DO NOTHING").run();
    const load = blockAwareLoaders(env, new WorkersKvStore(env.FEDERATION_KV), false).documentLoaderFactory();
    const calls = vi.mocked(globalThis.fetch).mock.calls.length;
    await expect(load("https://social.keys.example/users/bob#main-key")).rejects.toThrow("This server is blocked.");
    expect(vi.mocked(globalThis.fetch).mock.calls.length).toBe(calls);
  });
});

describe("the rate limit per remote server", () => {
  it("answers 429 with Retry-After once a server used its minute, counting nothing", { timeout: 60_000 }, async () => {
    const p = await parties();
    const now = Date.now();
    // Fill the sender's window as INBOX_RATE_LIMIT.max deliveries would.
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO rate_events (bucket, key, created_at) SELECT 'inbox', ?, ? FROM n`,
    )
      .bind(INBOX_RATE_LIMIT.max, SENDER_HOST, now)
      .run();
    try {
      const before = await knownCount();
      const res = await deliver(await mastodonPost(p.inbox, activityOf(follow, { origin: BASE, actor: p.actor, object: p.object }), p));
      expect(res.status).toBe(429);
      const wait = Number(res.headers.get("Retry-After"));
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(INBOX_RATE_LIMIT.windowMs / 1000);
      expect(await knownCount()).toBe(before);
    } finally {
      await env.DB.prepare("DELETE FROM rate_events WHERE bucket = 'inbox' AND key = ?").bind(SENDER_HOST).run();
    }
  });

  it("takes its size from RATE_INBOX_PER_MINUTE", { timeout: 60_000 }, async () => {
    const p = await parties();
    const roomier = { ...PEERS, RATE_INBOX_PER_MINUTE: String(INBOX_RATE_LIMIT.max + 1) };
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO rate_events (bucket, key, created_at) SELECT 'inbox', ?, ? FROM n`,
    )
      .bind(INBOX_RATE_LIMIT.max, SENDER_HOST, Date.now())
      .run();
    try {
      const send = async () => deliver(await mastodonPost(p.inbox, activityOf(follow, { origin: BASE, actor: p.actor, object: p.object }), p), roomier);
      expect((await send()).status).toBe(202);
      expect((await send()).status).toBe(429);
    } finally {
      await env.DB.prepare("DELETE FROM rate_events WHERE bucket = 'inbox' AND key = ?").bind(SENDER_HOST).run();
    }
  });

  it("counts each server on its own: another server's flood does not limit this one", { timeout: 60_000 }, async () => {
    const p = await parties();
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO rate_events (bucket, key, created_at) SELECT 'inbox', 'flood.example', ? FROM n`,
    )
      .bind(INBOX_RATE_LIMIT.max, Date.now())
      .run();
    expect((await deliver(await mastodonPost(p.inbox, activityOf(follow, { origin: BASE, actor: p.actor, object: p.object }), p))).status).toBe(202);
  });
});
