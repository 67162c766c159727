// A validly signed activity reaches the inbox and is accepted (202) and dropped, as the first slice promises;
// a forged one (body changed after signing, or signed with another key) is refused (401). The "remote" server
// is this one: its member's key signs, and Fedify fetches that member's actor to verify, which needs the
// development setting for private peers (FEDERATION_ALLOW_PRIVATE_PEERS) and outbound fetches to our origin
// routed back to the Worker.
import { env, SELF } from "cloudflare:test";
import { generateCryptoKeyPair, importJwk, signRequest } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { insertUsers } from "../helpers/accounts";
import { ORIGIN } from "../helpers/client";
import { deliverToApp, routeOwnOriginToWorker } from "../helpers/federation";

const BASE = env.BASE_URL;
const AS = "application/activity+json";

const post = deliverToApp;

// Fedify's key fetch to our own origin goes back into the Worker, as another server's request would.
beforeEach(routeOwnOriginToWorker);
afterEach(() => vi.restoreAllMocks());

/** A member (the sender) with their stored private key, and another member (the recipient). */
async function sender() {
  const [from, to] = await insertUsers(2, "signer");
  // Fetching the actor makes the key pair.
  expect((await SELF.fetch(`${ORIGIN}/users/${from!.id}`, { headers: { Accept: AS } })).status).toBe(200);
  const row = await env.DB.prepare("SELECT private_key_jwk AS k FROM actor_keys WHERE user_id = ?").bind(from!.id).first<{ k: string }>();
  const privateKey = await importJwk(JSON.parse(row!.k), "private");
  const actor = `${BASE}/users/${from!.id}`;
  const body = JSON.stringify({
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${actor}#follows/${crypto.randomUUID()}`,
    type: "Follow",
    actor,
    object: `${BASE}/users/${to!.id}`,
  });
  const inbox = `${ORIGIN}/users/${to!.id}/inbox`;
  return { privateKey, keyId: new URL(`${actor}#main-key`), body, inbox };
}

const unsigned = (inbox: string, body: string) => new Request(inbox, { method: "POST", headers: { "Content-Type": AS }, body });

describe("a signed inbox POST", () => {
  it("is accepted (202) and dropped when the signature, digest and key owner check out", { timeout: 60_000 }, async () => {
    const s = await sender();
    const signed = await signRequest(unsigned(s.inbox, s.body), s.privateKey, s.keyId);
    const res = await post(signed);
    expect(res.status).toBe(202);
  });

  it("is refused (401) when the body changed after signing (digest mismatch)", { timeout: 60_000 }, async () => {
    const s = await sender();
    const signed = await signRequest(unsigned(s.inbox, s.body), s.privateKey, s.keyId);
    const tampered = new Request(signed.url, { method: "POST", headers: signed.headers, body: s.body.replace("Follow", "Like") });
    expect((await post(tampered)).status).toBe(401);
  });

  it("is refused (401) when signed with a key that is not the actor's", { timeout: 60_000 }, async () => {
    const s = await sender();
    const other = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
    const forged = await signRequest(unsigned(s.inbox, s.body), other.privateKey, s.keyId);
    expect((await post(forged)).status).toBe(401);
  });

  it("is refused (401) when the key's owner is not the activity's actor", { timeout: 60_000 }, async () => {
    const s = await sender();
    const [someoneElse] = await insertUsers(1, "impersonated");
    const body = s.body.replace(/"actor":"[^"]+"/, `"actor":"${BASE}/users/${someoneElse!.id}"`);
    expect(body).not.toBe(s.body);
    const claimed = await signRequest(unsigned(s.inbox, body), s.privateKey, s.keyId);
    expect((await post(claimed)).status).toBe(401);
  });

  it.each([
    ["13 hours old", -13],
    ["13 hours ahead", 13],
  ])("is refused (401) when its Date is %s", { timeout: 60_000 }, async (_, hours) => {
    const s = await sender();
    const currentTime = Temporal.Now.instant().add({ hours });
    const stale = await signRequest(unsigned(s.inbox, s.body), s.privateKey, s.keyId, { currentTime });
    expect((await post(stale)).status).toBe(401);
  });

  it("is accepted with a Date 11 hours old (within the window)", { timeout: 60_000 }, async () => {
    const s = await sender();
    const currentTime = Temporal.Now.instant().subtract({ hours: 11 });
    const late = await signRequest(unsigned(s.inbox, s.body), s.privateKey, s.keyId, { currentTime });
    expect((await post(late)).status).toBe(202);
  });

  it("is refused (401) without the development setting: a private-address key is never fetched", { timeout: 60_000 }, async () => {
    const s = await sender();
    const signed = await signRequest(unsigned(s.inbox, s.body), s.privateKey, s.keyId);
    expect((await post(signed, env)).status).toBe(401);
  });
});
