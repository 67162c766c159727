// The benchmark's two federation rows (issue 13), used by scripts/bench.mjs; no network beyond 127.0.0.1.
//
// "inbox POST (signed)": a signed `Undo` of a `Follow` that Roost never stored, POSTed to the shared inbox /inbox,
//   each request with a fresh activity id, `Date` and draft-cavage signature (RSA-SHA256 over (request-target) host
//   date digest content-type, as Mastodon signs). The "remote" actor is a second seeded member of the same server,
//   so its key document is resolvable without any other server: Fedify fetches it from the server itself over
//   127.0.0.1 (allowed by FEDERATION_ALLOW_PRIVATE_PEERS=true in development) once, then reads it from its KV
//   cache. What it measures: the inbox guard (block list, rate slot: RATE_INBOX_PER_MINUTE is raised for the run),
//   JSON-LD parsing, the signature and digest check, the replay check and write, the Undo listener (one DELETE
//   that matches nothing) and the known-server upsert: the whole path of a valid delivery, minus a first key fetch.
// "deliver to 1,000": 1,000 remote followers of the logged-in member, each on its own fake host
//   (f<i>.bench-fediverse.invalid, never resolved) whose inbox is a path on a sink HTTP server this script runs
//   (http://127.0.0.1:<port>/f<i>/inbox, no shared inbox: 1,000 inboxes, 1,000 signed POSTs). The member posts
//   once through the home page's form; the row is the time from that POST until the sink has received all 1,000
//   deliveries (the queue drained), and D1 round trips per delivery from the consumer's "federation batch" log
//   lines (src/features/federation/delivery.ts counts each batch's queries).
import { createHash, createPrivateKey, generateKeyPairSync, sign } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import http from "node:http";
import { HOST } from "./lib/dev-server.mjs";

export const FEDERATION_VARS = { FEDERATION_ALLOW_PRIVATE_PEERS: "true", RATE_INBOX_PER_MINUTE: "100000000" };
export const BENCH_FOLLOWERS = 1000;
const FAKE_DOMAIN = "bench-fediverse.invalid";
const AS = "application/activity+json";
/** Longest wait for the sink to receive every delivery. */
const DRAIN_TIMEOUT_MS = 600_000;

/** An HTTP server standing in for 1,000 remote inboxes: counts POSTs per path, answers 202. */
export function startSink() {
  const received = new Map();
  let total = 0;
  let waiter = null;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.method === "POST") {
        received.set(req.url, (received.get(req.url) ?? 0) + 1);
        total += 1;
        if (waiter && received.size >= waiter.n) waiter.resolve();
      }
      res.writeHead(202).end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, HOST, () => {
      resolve({
        origin: `http://${HOST}:${server.address().port}`,
        /** Distinct inboxes reached and POSTs received since the last reset. */
        counts: () => ({ inboxes: received.size, posts: total }),
        reset() {
          received.clear();
          total = 0;
        },
        /** Resolves true once `n` distinct inboxes were POSTed to, false after `ms`. */
        waitFor(n, ms) {
          if (received.size >= n) return Promise.resolve(true);
          return new Promise((done) => {
            const timer = setTimeout(() => done(false), ms);
            waiter = {
              n,
              resolve: () => {
                clearTimeout(timer);
                waiter = null;
                done(true);
              },
            };
          });
        },
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

/**
 * Seeds the federation fixtures in the local D1 (before a server opens it): BENCH_FOLLOWERS remote followers of
 * `readerId` on distinct fake hosts with inboxes on the sink, and a key pair for the signing member (made here, in
 * the format the app stores, when the member has none yet). Returns the signer's id and private key.
 */
export async function seedFederation(db, { readerId, sinkOrigin, now = Date.now() }) {
  const signer = await db
    .prepare("SELECT id FROM users WHERE confirmed = 1 AND id <> ? AND left_fediverse_at IS NULL ORDER BY id LIMIT 1")
    .bind(readerId)
    .first();
  if (!signer) throw new Error("the inbox row needs a second confirmed member: run npm run seed first");
  let keys = await db.prepare("SELECT private_key_jwk AS jwk FROM actor_keys WHERE user_id = ?").bind(signer.id).first();
  if (!keys) {
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 0x10001 });
    const jwk = (key) => JSON.stringify({ ...key.export({ format: "jwk" }), alg: "RS256" });
    await db
      .prepare("INSERT INTO actor_keys (user_id, public_key_jwk, private_key_jwk, created_at) VALUES (?, ?, ?, ?)")
      .bind(signer.id, jwk(pair.publicKey), jwk(pair.privateKey), now)
      .run();
    keys = { jwk: jwk(pair.privateKey) };
  }
  await db
    .prepare(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
      INSERT INTO remote_actors (uri, inbox, shared_inbox, handle, name, icon_url, url, host, fetched_at)
      SELECT 'https://f' || i || '.${FAKE_DOMAIN}/users/bench', ?1 || '/f' || i || '/inbox', NULL, '@bench@f' || i || '.${FAKE_DOMAIN}',
        'Bench follower ' || i, NULL, NULL, 'f' || i || '.${FAKE_DOMAIN}', ?3 FROM n WHERE true
      ON CONFLICT (uri) DO UPDATE SET inbox = excluded.inbox`)
    .bind(sinkOrigin, BENCH_FOLLOWERS, now)
    .run();
  await db
    .prepare(`INSERT INTO remote_followers (user_id, remote_actor_id, follow_activity_id, created_at)
      SELECT ?, id, uri || '#follow', ? FROM remote_actors WHERE host LIKE '%.${FAKE_DOMAIN}' ON CONFLICT DO NOTHING`)
    .bind(readerId, now)
    .run();
  await db.prepare("DELETE FROM dead_inboxes WHERE inbox LIKE 'http://127.0.0.1:%/f%/inbox'").run();
  return { signerId: signer.id, privateKey: createPrivateKey({ key: JSON.parse(keys.jwk), format: "jwk" }) };
}

/**
 * Removes the delivery row's post (after each server: the next one's fixtures, e.g. Explore's cursors, must not
 * see it) and, with `followers`, the fake followers seedFederation added (after the last server).
 */
export async function cleanUpFederation(db, readerId, { followers = false } = {}) {
  await db.prepare("DELETE FROM posts WHERE author_id = ? AND body LIKE 'Bench delivery to %'").bind(readerId).run();
  if (followers) await db.prepare(`DELETE FROM remote_actors WHERE host LIKE '%.${FAKE_DOMAIN}'`).run();
}

let activitySeq = 0;

/** A freshly signed Undo(Follow) from the signer to the reader: body and headers, as Mastodon would send it. */
function signedUndo(origin, { signerId, privateKey }, readerId) {
  activitySeq += 1;
  const actor = `${origin}/users/${signerId}`;
  const tag = `${Date.now()}-${activitySeq}`;
  const body = JSON.stringify({
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${actor}#bench-undo-${tag}`,
    type: "Undo",
    actor,
    object: { id: `${actor}#bench-follow-${tag}`, type: "Follow", actor, object: `${origin}/users/${readerId}` },
  });
  const headers = {
    host: new URL(origin).host,
    date: new Date().toUTCString(),
    digest: `SHA-256=${createHash("sha256").update(body).digest("base64")}`,
    "content-type": AS,
  };
  const names = ["(request-target)", "host", "date", "digest", "content-type"];
  const text = names.map((n) => `${n}: ${n === "(request-target)" ? "post /inbox" : headers[n]}`).join("\n");
  const signature = sign("sha256", Buffer.from(text), privateKey).toString("base64");
  headers.signature = `keyId="${actor}#main-key",algorithm="rsa-sha256",headers="${names.join(" ")}",signature="${signature}"`;
  return { body, headers };
}

/**
 * The inbox row: bench.mjs's route shape, with `request.sign` giving each request its own signature. One signed
 * request first, outside the measurement: it loads Fedify in the isolate and puts the signer's key in its cache
 * (without it the row's first probe takes seconds and the load would run on one connection); it must be accepted.
 */
export async function inboxRoute(origin, signer, readerId) {
  const { body, headers } = signedUndo(origin, signer, readerId);
  const first = await fetch(`${origin}/inbox`, { method: "POST", body, headers });
  const answer = await first.text();
  if (first.status !== 202) throw new Error(`a signed inbox POST answered ${first.status} (expected 202): ${answer.slice(0, 200)}`);
  return {
    name: "inbox POST (signed)",
    path: "/inbox",
    cookie: null,
    as: "remote server",
    note: "Undo(Follow) from a member of this server; key from Fedify's KV cache",
    request: { method: "POST", sign: () => signedUndo(origin, signer, readerId) },
  };
}

/** The "federation batch" lines the consumer logged in `logFile` after byte `from`: D1 queries and deliveries. */
function batchStats(logFile, from) {
  const text = readFileSync(logFile, "utf8").slice(from);
  let queries = 0;
  let deliveries = 0;
  let batches = 0;
  let busyMs = 0;
  for (const m of text.matchAll(/\{"level":"info","msg":"federation batch"[^\n]*?\}/g)) {
    const line = JSON.parse(m[0]);
    queries += line.d1Queries;
    deliveries += line.deliveries;
    batches += 1;
    busyMs += line.ms ?? 0;
  }
  return { queries, deliveries, batches, busyMs };
}

const sizeOf = (file) => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

/**
 * The delivery row: the member (logged in as `session`) posts once; the time until the sink received a POST on
 * every one of the BENCH_FOLLOWERS inboxes, and the consumer's D1 round trips per delivery.
 */
export async function measureDelivery({ origin, session, readerId, sink, logFile }) {
  // The member's key is made on first need (seconds of CPU): make it now, outside the measurement.
  await (await fetch(`${origin}/users/${readerId}`, { headers: { Accept: AS } })).arrayBuffer();
  sink.reset();
  const logFrom = sizeOf(logFile);
  const started = performance.now();
  const response = await fetch(`${origin}/`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: session, Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ body: `Bench delivery to ${BENCH_FOLLOWERS} remote followers, ${new Date().toISOString()}` }),
  });
  await response.arrayBuffer();
  const postMs = performance.now() - started;
  if (response.status !== 303) throw new Error(`posting answered ${response.status} (expected 303): is the member rate-limited?`);
  const drained = await sink.waitFor(BENCH_FOLLOWERS, DRAIN_TIMEOUT_MS);
  const seconds = (performance.now() - started) / 1000;
  // The last batches' log lines are written as they finish: give them a moment.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const stats = batchStats(logFile, logFrom);
  const { inboxes, posts } = sink.counts();
  return {
    followers: BENCH_FOLLOWERS,
    drained,
    seconds,
    postMs,
    inboxes,
    posts,
    deliveriesPerSecond: inboxes / seconds,
    d1PerDelivery: stats.deliveries > 0 ? stats.queries / stats.deliveries : null,
    ...stats,
  };
}

/** The delivery rows of each server as a small table (ms per delivery also as a ratio to that run's hello p50). */
export function printDelivery(results) {
  const rows = results.filter((r) => r.delivery);
  if (rows.length === 0) return;
  const head = [
    "server",
    "followers",
    "drained in s",
    "deliveries/s",
    "ms per delivery (× hello p50)",
    "D1 q/delivery",
    "batches",
    "consumer busy s",
    "POST / ms",
    "note",
  ];
  const cells = rows.map(({ kind, rows: routes, delivery: d }) => {
    const perDelivery = (d.seconds * 1000) / Math.max(d.inboxes, 1);
    const hello = routes[0]?.p50 ?? 0;
    return [
      kind,
      String(d.followers),
      d.seconds.toFixed(1),
      d.deliveriesPerSecond.toFixed(1),
      `${perDelivery.toFixed(1)} (${hello > 0 ? `${(perDelivery / hello).toFixed(1)}×` : "-"})`,
      d.d1PerDelivery === null ? "-" : d.d1PerDelivery.toFixed(2),
      String(d.batches),
      (d.busyMs / 1000).toFixed(1),
      d.postMs.toFixed(0),
      [d.drained ? null : `only ${d.inboxes} of ${d.followers} inboxes reached`, d.posts > d.inboxes ? `${d.posts - d.inboxes} repeated POSTs` : null]
        .filter(Boolean)
        .join("; "),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) =>
    c
      .map((v, i) => (i === 0 || i === c.length - 1 ? v.padEnd(widths[i]) : v.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  console.log(`\nA post delivered to ${BENCH_FOLLOWERS} remote followers (one inbox each, a local sink): from the POST to the last delivery\n`);
  console.log(line(head));
  console.log(widths.map((w) => "─".repeat(w)).join("  "));
  for (const c of cells) console.log(line(c));
}
