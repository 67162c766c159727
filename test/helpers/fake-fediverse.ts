// A fake fediverse at the network edge for federation tests (issue 13): remote servers whose actor documents
// and WebFinger answers a fetch spy serves, recording what is POSTed to their inboxes; a recording stand-in for
// FEDERATION_QUEUE whose messages `drain` hands to the real consumer, so each step is observable; signed
// deliveries from a remote person to our inboxes; a member's form POST through the app with that queue.
//
// @example useFakeFediverse(); // at the top of a test file
import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF, waitOnExecutionContext } from "cloudflare:test";
import { type DocumentLoader, exportSpki, generateCryptoKeyPair, getDocumentLoader, signRequest, verifyRequest } from "@fedify/fedify";
import { afterEach, beforeAll, beforeEach, vi } from "vitest";
import { createApp } from "../../src/app";
import { FEDERATION_QUEUE_NAME, handleFederationBatch } from "../../src/features/federation";
import type { Account } from "./accounts";
import { ORIGIN } from "./client";

export const BASE = env.BASE_URL;
export const AS = "application/activity+json";
const app = createApp();

// biome-ignore lint/suspicious/noExplicitAny: ActivityPub documents are read field by field in the assertions
export type Json = Record<string, any>;

/** A fixture's activity with its {{placeholders}} filled in (values JSON-escaped: they land inside strings). */
export function filled(activity: Json, fill: Record<string, string>): Json {
  let json = JSON.stringify(activity);
  for (const [k, v] of Object.entries(fill)) json = json.replaceAll(`{{${k}}}`, JSON.stringify(v).slice(1, -1));
  return JSON.parse(json);
}

/** What the Worker put on FEDERATION_QUEUE, in order; drained by `drain`. */
export const queued: unknown[] = [];
const recordingQueue = {
  send: async (body: unknown) => void queued.push(body),
  sendBatch: async (requests: { body: unknown }[]) => void queued.push(...requests.map((r) => r.body)),
};
export const testEnv = { ...env, FEDERATION_QUEUE: recordingQueue } as unknown as Env;

/** The remote servers: actor documents by URL, POSTs received, and the status an inbox answers with. */
export const documents = new Map<string, Json>();
export const received: { url: string; headers: Headers; body: Json; raw: string }[] = [];
export const inboxStatus = new Map<string, number>();

/** The remote servers answer at the network edge (call in beforeEach). */
export function installFakeFediverse(): void {
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
}

/** Forgets what was queued and received (call in afterEach). */
export function resetFakeFediverse(): void {
  vi.restoreAllMocks();
  queued.length = 0;
  received.length = 0;
}

/** Our own actor documents, as a remote server would fetch them to check a signature. */
export const ourDocuments: DocumentLoader = async (url) => ({
  contextUrl: null,
  documentUrl: url,
  document: await (await SELF.fetch(url.replace(BASE, ORIGIN), { headers: { Accept: AS } })).json(),
});

let seq = 0;
/** A number no other call in this file returned (unique names and activity ids). */
export const nextSeq = () => ++seq;
export type Remote = { uri: string; name: string; host: string; inbox: string; sharedInbox: string; privateKey: CryptoKey; keyId: URL };

// One RSA key pair for every remote person of a test file: generating one takes about a second on a busy
// machine, and a file makes up to 30 people. Each still publishes it under their own actor and key id, so what
// the inbox decides by (the key id's owner must be the activity's actor) is as before; that a signature by a key
// other than the claimed key id's is refused is inbox-signed.test.ts's, with keys of its own.
let sharedPair: Promise<CryptoKeyPair> | undefined;

/** A person on another server, with a key pair and an actor document that server serves. */
export async function remote(host: string, opts: { inbox?: string } = {}): Promise<Remote> {
  const name = `bob${nextSeq()}x${Date.now() % 100000}`;
  const uri = `https://${host}/users/${name}`;
  sharedPair ??= generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
  const pair = await sharedPair;
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
  documents.set(`https://${host}/.well-known/webfinger?resource=${encodeURIComponent(`acct:${name}@${host}`)}`, {
    subject: `acct:${name}@${host}`,
    links: [
      { rel: "http://webfinger.net/rel/profile-page", type: "text/html", href: `https://${host}/@${name}` },
      { rel: "self", type: AS, href: uri },
    ],
  });
  return { uri, name, host, inbox, sharedInbox, privateKey: pair.privateKey, keyId: new URL(`${uri}#main-key`) };
}

export async function call(req: Request) {
  const ctx = createExecutionContext();
  const res = await app.fetch(req, testEnv, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** `from` POSTs `activity` to `inbox` (a member's or the shared one), signed with their key. */
export async function deliver(from: Remote, activity: Json, inbox: string) {
  const req = new Request(`${ORIGIN}${inbox}`, { method: "POST", headers: { "Content-Type": AS }, body: JSON.stringify(activity) });
  return call(await signRequest(req, from.privateKey, from.keyId));
}

export const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
const CONTEXT = "https://www.w3.org/ns/activitystreams";

/** A public Note by `from` (a minute old), as Mastodon writes one; `extra` overrides any field. */
export function noteBy(from: Remote, content: string, extra: Json = {}): Json {
  const n = nextSeq();
  return {
    id: `${from.uri}/statuses/${Date.now()}${n}`,
    type: "Note",
    attributedTo: from.uri,
    content,
    url: `https://${from.host}/@${from.name}/${n}`,
    published: new Date(Date.now() - 60_000).toISOString(),
    to: [PUBLIC],
    cc: [`${from.uri}/followers`],
    ...extra,
  };
}

/** An activity of `type` by `from` (a fresh id) about `object`. */
export const activity = (type: string, from: Remote, object: Json | string) => ({
  "@context": CONTEXT,
  id: `${from.uri}#${type.toLowerCase()}-${crypto.randomUUID()}`,
  type,
  actor: from.uri,
  object,
});

export const followOf = (from: Remote, member: { id: number }) => ({
  "@context": "https://www.w3.org/ns/activitystreams",
  id: `${from.uri}#follows/${crypto.randomUUID()}`,
  type: "Follow",
  actor: from.uri,
  object: `${BASE}/users/${member.id}`,
});

/** The member's browser: a form POST with their session, through the app with the recording queue. */
export function memberPost(member: Account, path: string, form: Record<string, string>) {
  const cookie = [...member.client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return call(
    new Request(`${ORIGIN}${path}`, {
      method: "POST",
      body: new URLSearchParams(form),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: cookie },
      redirect: "manual",
    }),
  );
}

/** Runs the consumer on what is queued (taking it off the queue); returns acks and retries with delays. */
export async function drain(attempts = 1) {
  const messages = queued.splice(0).map((body) => ({ id: `m-${nextSeq()}`, timestamp: new Date(), attempts, body }));
  const batch = createMessageBatch(FEDERATION_QUEUE_NAME, messages as never);
  const delays: number[] = [];
  for (const msg of batch.messages) {
    const retry = msg.retry.bind(msg);
    vi.spyOn(msg, "retry").mockImplementation((options) => {
      delays.push(options?.delaySeconds ?? 0);
      retry(options);
    });
  }
  const ctx = createExecutionContext();
  await handleFederationBatch(batch, testEnv);
  const result = await getQueueResult(batch, ctx);
  return { acked: result.explicitAcks.length, retried: result.retryMessages.length, delays };
}

/** Registers the fake fediverse around each test, and loads Fedify once (its first import outlasts a test's 5 s). */
export function useFakeFediverse(): void {
  beforeEach(installFakeFediverse);
  afterEach(resetFakeFediverse);
  beforeAll(async () => {
    await import("../../src/features/federation/federation");
  }, 60_000);
}

/** The key id whose signature on a POST the remote server received verifies against our published actor, if any. */
export async function verifiedKeyId(sent: { url: string; headers: Headers; raw: string }): Promise<string | undefined> {
  const asSent = new Request(sent.url, { method: "POST", headers: sent.headers, body: sent.raw });
  const key = await verifyRequest(asSent, { documentLoader: ourDocuments, contextLoader: getDocumentLoader() });
  return key?.id?.href;
}
