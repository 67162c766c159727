// A fake fediverse at the network edge, for inbox tests (issue 13): remote servers whose actor documents a fetch
// spy serves and whose inboxes record what is POSTed to them, people there with key pairs who sign what they
// deliver to our inboxes, and the Worker's FEDERATION_QUEUE replaced by a recording stand-in.
//
// @example
//   useFakeFediverse();
//   const bob = await remote("mastodon.example");
//   expect((await deliver(bob, activity, "/inbox")).status).toBe(202);
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { exportSpki, generateCryptoKeyPair, signRequest } from "@fedify/fedify";
import { afterEach, beforeAll, beforeEach, vi } from "vitest";
import { createApp } from "../../src/app";
import { ORIGIN } from "./client";

export const AS = "application/activity+json";
const app = createApp();

// biome-ignore lint/suspicious/noExplicitAny: ActivityPub documents are read field by field in the assertions
export type Json = Record<string, any>;

/** What the Worker put on FEDERATION_QUEUE, in order. */
export const queued: unknown[] = [];
const recordingQueue = {
  send: async (body: unknown) => void queued.push(body),
  sendBatch: async (requests: { body: unknown }[]) => void queued.push(...requests.map((r) => r.body)),
};
export const testEnv = { ...env, FEDERATION_QUEUE: recordingQueue } as unknown as Env;

/** The remote servers: documents by URL, POSTs received, and the status an inbox answers with. */
export const documents = new Map<string, Json>();
export const received: { url: string; headers: Headers; body: Json; raw: string }[] = [];
export const inboxStatus = new Map<string, number>();

/** Installs the fetch spy for each test and Fedify's first import (slower than a test's 5 s) once. */
export function useFakeFediverse(): void {
  beforeEach(() => {
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const req = new Request(input, init);
      const url = req.url.split("#")[0]!;
      if (req.method === "POST") {
        const raw = await req.text();
        received.push({ url, headers: req.headers, body: JSON.parse(raw), raw });
        return new Response(null, { status: inboxStatus.get(url) ?? 202 });
      }
      const doc = documents.get(url);
      return doc ? Response.json(doc, { headers: { "Content-Type": AS } }) : new Response("not found", { status: 404 });
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    queued.length = 0;
    received.length = 0;
  });
  beforeAll(async () => {
    await import("../../src/features/federation/federation");
  }, 60_000);
}

let seq = 0;
export const nextSeq = () => ++seq;
export type Remote = { uri: string; inbox: string; sharedInbox: string; privateKey: CryptoKey; keyId: URL };

/** A person on another server, with a key pair and an actor document that server serves. */
export async function remote(host: string, opts: { inbox?: string } = {}): Promise<Remote> {
  const name = `bob${nextSeq()}x${Date.now() % 100000}`;
  const uri = `https://${host}/users/${name}`;
  const pair = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
  const inbox = opts.inbox ?? `${uri}/inbox`;
  const sharedInbox = `https://${host}/inbox`;
  documents.set(uri, {
    "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
    id: uri,
    type: "Person",
    preferredUsername: name,
    name: `<script>alert(1)</script><b>Bob</b> ${name}`,
    inbox,
    endpoints: { sharedInbox },
    url: `https://${host}/@${name}`,
    icon: { type: "Image", url: `https://${host}/avatars/${name}.png` },
    publicKey: { id: `${uri}#main-key`, owner: uri, publicKeyPem: await exportSpki(pair.publicKey) },
  });
  return { uri, inbox, sharedInbox, privateKey: pair.privateKey, keyId: new URL(`${uri}#main-key`) };
}

/** The Worker with the recording queue, waiting for its background work. */
export async function call(req: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(req, testEnv, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** `from` POSTs `activity` to `inbox` (a member's or the shared one), signed with their key. */
export async function deliver(from: Remote, activity: Json, inbox: string): Promise<Response> {
  const req = new Request(`${ORIGIN}${inbox}`, { method: "POST", headers: { "Content-Type": AS }, body: JSON.stringify(activity) });
  return call(await signRequest(req, from.privateKey, from.keyId));
}
