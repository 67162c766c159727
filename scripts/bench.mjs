// `npm run bench -- [--duration S] [--connections C] [--server both|wrangler|miniflare] [--json [FILE]]`: load-tests
// the main pages of a seeded local Roost (run `npm run seed` first). Serves one snapshot of the Worker twice, one
// server after the other, over the same local state as `npm start`: through an offline `wrangler dev` (its proxy
// runtime in front, as `npm start` runs) and through Miniflare's own HTTP server (the same workerd and local
// D1/KV/Queues/cache, no proxy: the closer to production). For each it logs in as a seeded member, drives each
// route (as a member, and anonymous with a cold and a warm edge cache) with autocannon and prints one table:
// requests/s, p50/p99 latency (also as ratios to the /hello baseline measured in the same run), D1 queries and rows
// read per request and the edge cache's answer (from Server-Timing), response bytes, non-2xx count, and the workerd
// processes' peak memory with the growth per 1,000 requests. Then one row for the visits consumer (no server: its
// own ingest into a fresh local D1, scripts/bench-ingest.mjs): visits stored per second at queue batches of 100.
// Federation (scripts/bench-federation.mjs): a signed inbox POST as a route row, and a post delivered to 1,000 remote
// followers (inboxes on a local sink server) as its own table: time until the queue drained, D1 queries per delivery.
//
// wrangler dev serves a snapshot made at the start (src/ bundled, wrangler.toml and public/ copied), not the project
// itself: wrangler dev reloads on every saved file, and a reload in the middle of a measurement ruins it.
// The numbers compare routes with each other and runs of the same machine; wrangler dev is not production workerd.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import {
  BENCH_FOLLOWERS,
  cleanUpFederation,
  FEDERATION_VARS,
  inboxRoute,
  measureDelivery,
  printDelivery,
  seedFederation,
  startSink,
} from "./bench-federation.mjs";
import { measureIngest } from "./bench-ingest.mjs";
import { copyAssets, fail, formatSeconds, log, root } from "./common.mjs";
import { buildSnapshot, HOST, startMiniflare, startWranglerDev, waitUntilAnswering, workerdMemory } from "./lib/dev-server.mjs";
import { applyMigrations, openLocalD1, tableExists } from "./lib/local-d1.mjs";
import { formatCount } from "./lib/progress.mjs";
import { beaconRequest, reportPath, visitsFixture } from "./seed-visits.mjs";

const PASSWORD = "password"; // every member `npm run seed` creates has it
const PER_PAGE = 20; // posts per list page (src/features/posts/queries.ts); checked against the live page-2 link
const DEEP_PAGE = 500;
/** A route whose single request takes longer than this is measured by that request alone (see measure). */
const TOO_SLOW_MS = 5_000;
/** The consumer row: queue batches of this size (issue 14 asks for 100), this many after a warm-up batch (a few seconds). */
const CONSUMER_BATCH = 100;
const CONSUMER_BATCHES = 20;
/** A route whose single request takes longer than this is loaded through one connection (see measure). */
const SLOW_MS = 1_000;
const LOG_FILE = path.join(root, ".tmp", "bench", "wrangler.log");
const MINIFLARE_LOG_FILE = path.join(root, ".tmp", "bench", "miniflare.log");
const POST_COMMENTS = 30; // the post page is measured with a full page of comments (src/features/comments)
const SERVERS = {
  wrangler: {
    title: "wrangler dev (proxy + workerd, as npm start)",
    logFile: LOG_FILE,
    start: () => startWranglerDev({ logFile: LOG_FILE, snapshot: currentSnapshot, vars: FEDERATION_VARS }),
  },
  miniflare: {
    title: "Miniflare's HTTP server (workerd only, no proxy)",
    logFile: MINIFLARE_LOG_FILE,
    start: () => startMiniflare({ logFile: MINIFLARE_LOG_FILE, snapshot: currentSnapshot, vars: FEDERATION_VARS }),
  },
};
let currentSnapshot;
const SNAPSHOT_DIR = path.join(root, ".tmp", "bench", "snapshot");

const HELP = `Usage: npm run bench -- [options]

Benchmarks a seeded local database (npm run seed first) through its own wrangler dev on 127.0.0.1.

  --duration S      seconds of load per route (default 10; plus 1 s of warm-up)
  --connections C   concurrent connections (default 10)
  --server S        both (default), wrangler or miniflare
  --json [FILE]     also write the results as JSON (default file .tmp/bench/results.json)
  --consumer-only   measure only the visits consumer (a few seconds; no seeded data or server needed)
  --only REGEX      measure only the routes whose name matches (hello always runs: the ratios need it),
                    e.g. --only "explore p1|search"; the federation rows are "inbox POST (signed)" and
                    "deliver to 1,000" (e.g. --only "inbox|deliver")
  -h, --help        this text`;

function parseOptions(argv) {
  // --json takes an optional file name: a bare --json (or one followed by another --flag) means the default file.
  const args = [...argv];
  const j = args.indexOf("--json");
  if (j !== -1 && (j === args.length - 1 || args[j + 1].startsWith("--"))) args.splice(j + 1, 0, path.join(".tmp", "bench", "results.json"));
  const { values } = parseArgs({
    args,
    options: {
      duration: { type: "string", default: "10" },
      connections: { type: "string", default: "10" },
      server: { type: "string", default: "both" },
      json: { type: "string" },
      "consumer-only": { type: "boolean", default: false },
      only: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const positive = (name) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, got ${JSON.stringify(values[name])}`);
    return n;
  };
  const servers = values.server === "both" ? ["wrangler", "miniflare"] : [values.server];
  if (!servers.every((s) => s in SERVERS)) throw new Error(`--server must be both, wrangler or miniflare, got ${JSON.stringify(values.server)}`);
  const only = values.only === undefined ? null : new RegExp(values.only);
  return {
    help: values.help,
    duration: positive("duration"),
    connections: positive("connections"),
    servers,
    json: values.json,
    only,
    consumerOnly: values["consumer-only"],
  };
}

// --- What to request: picked from the database before the server starts ----------------------------------------

/**
 * Reads the fixtures from the local D1 (closing it again before wrangler dev opens the same file): a seeded member
 * to log in as (the one following the most people: the heaviest Followed feed), the most prolific author, a post,
 * and the keyset cursor of the deep explore page (the last post of page DEEP_PAGE - 1, as the app's links carry it).
 */
async function readFixtures() {
  const { db, close } = await openLocalD1();
  try {
    if (!(await tableExists(db, "posts"))) throw new Error("there is no posts table: run npm run seed first");
    const { n: postCount } = await db.prepare("SELECT count(*) AS n FROM posts").first();
    if (postCount === 0)
      throw new Error("the local database has no posts: run npm run seed first (e.g. npm run seed -- --users 10000 --posts 200000 --follows 500000)");
    // Seeded members share one password hash; the most common hash is theirs, so "password" logs in.
    const seedHash = await db.prepare("SELECT password_hash AS h FROM users WHERE confirmed = 1 GROUP BY password_hash ORDER BY count(*) DESC LIMIT 1").first();
    const reader = await db
      .prepare(`SELECT u.email, u.username, count(*) AS follows FROM users u JOIN follows f ON f.follower_id = u.id
        WHERE u.confirmed = 1 AND u.password_hash = ? GROUP BY u.id ORDER BY follows DESC, u.id LIMIT 1`)
      .bind(seedHash?.h ?? "")
      .first();
    if (!reader) throw new Error("no confirmed member to log in as: run npm run seed first");
    const author = await db
      .prepare("SELECT u.username, count(*) AS posts FROM posts p JOIN users u ON u.id = p.author_id GROUP BY p.author_id ORDER BY posts DESC LIMIT 1")
      .first();
    const post = await db
      .prepare("SELECT id FROM posts ORDER BY id LIMIT 1 OFFSET ?")
      .bind(Math.floor(postCount / 2))
      .first();
    // The seed writes no comments: give the measured post a full page of them (once; later runs find them).
    const { n: comments } = await db.prepare("SELECT count(*) AS n FROM comments WHERE post_id = ?").bind(post.id).first();
    const readerId = (await db.prepare("SELECT id FROM users WHERE email = ?").bind(reader.email).first()).id;
    for (let i = comments; i < POST_COMMENTS; i++) {
      await db
        .prepare("INSERT INTO comments (post_id, author_id, body, body_html, created_at, disabled) VALUES (?, ?, ?, ?, ?, 0)")
        .bind(post.id, readerId, `Bench comment ${i + 1}: *well* said.`, `Bench comment ${i + 1}: <em>well</em> said.`, Date.now() - (POST_COMMENTS - i) * 1000)
        .run();
    }
    const cursorAt = (rank) =>
      db
        .prepare("SELECT created_at AS ts, id FROM posts ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?")
        .bind(rank - 1)
        .first();
    // Page N starts after the (N-1)*PER_PAGE newest posts; with fewer posts, take the deepest page there is.
    const deepPage = Math.min(DEEP_PAGE, Math.max(2, Math.ceil(postCount / PER_PAGE)));
    const deep = postCount > PER_PAGE ? await cursorAt((deepPage - 1) * PER_PAGE) : null;
    const page2 = postCount > PER_PAGE ? await cursorAt(PER_PAGE) : null;
    return {
      postCount,
      reader,
      author,
      postId: post.id,
      deepPage,
      deep,
      page2,
      visits: await visitsFixture(db),
      ...(await socialFixtures(db, seedHash?.h ?? "")),
    };
  } finally {
    await close();
  }
}

/** Posts matching one quoted word in the search index (as the app quotes a typed word). */
async function matchCount(db, word) {
  return (await db.prepare("SELECT count(*) AS n FROM posts_fts WHERE posts_fts MATCH ?").bind(`"${word}"`).first()).n;
}

/**
 * What the issue-12 rows need (null where the seed made none): a common and a rare word of the seeded posts, the
 * most used hashtag, and the member with the most notifications (npm run seed's --inbox member). The words come
 * from 500 post bodies evenly spaced by id (URLs and @mentions left out): the word (4+ letters) in the most of them,
 * and among (up to 30 of) the words in the fewest of them, the one that matches the fewest posts in posts_fts.
 */
async function socialFixtures(db, seedHash) {
  const fixtures = { words: null, tag: null, inbox: null };
  if (await tableExists(db, "posts_fts")) {
    // Evenly spaced by id, so the same data gives the same words run after run.
    const span = await db.prepare("SELECT min(id) AS lo, max(id) AS hi FROM posts").first();
    const step = Math.floor((span.hi - span.lo) / 500) + 1;
    const { results } = await db.prepare("SELECT body FROM posts WHERE id >= ? AND (id - ?) % ? = 0 LIMIT 500").bind(span.lo, span.lo, step).all();
    const postsWith = new Map();
    for (const { body } of results) {
      // Words of the text: not URLs ("https"), nor @mentioned usernames (a name would also match a person).
      const text = body
        .toLowerCase()
        .replace(/https?:\/\/\S+/g, " ")
        .replace(/@[\w.]+/g, " ");
      const words = text.match(/\b[a-z]{4,}\b/g) ?? [];
      for (const w of new Set(words)) postsWith.set(w, (postsWith.get(w) ?? 0) + 1);
    }
    const byFrequency = [...postsWith].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    if (byFrequency.length > 0) {
      const common = byFrequency[0][0];
      let rare = null;
      for (const [word] of byFrequency.filter(([, n]) => n === byFrequency.at(-1)[1]).slice(0, 30)) {
        const n = await matchCount(db, word);
        if (n > 0 && (rare === null || n < rare.posts)) rare = { word, posts: n };
      }
      fixtures.words = { common: { word: common, posts: await matchCount(db, common) }, rare };
    }
  }
  if (await tableExists(db, "post_tags")) {
    fixtures.tag = await db.prepare("SELECT tag, count(*) AS posts FROM post_tags GROUP BY tag ORDER BY posts DESC, tag LIMIT 1").first();
  }
  if (await tableExists(db, "notifications")) {
    fixtures.inbox = await db
      .prepare(`SELECT u.email, u.username, count(*) AS notifications FROM notifications n JOIN users u ON u.id = n.user_id
        WHERE u.confirmed = 1 AND u.password_hash = ? GROUP BY n.user_id ORDER BY notifications DESC, n.user_id LIMIT 1`)
      .bind(seedHash)
      .first();
  }
  return fixtures;
}

// --- HTTP helpers -----------------------------------------------------------------------------------------------

/** Cookies set by a response, as "name=value" pairs (attributes dropped: we send them back by hand). */
function setCookies(response) {
  return response.headers.getSetCookie().map((c) => c.split(";")[0]);
}

/**
 * From `Server-Timing: cache;desc="hit", d1;dur=12.3;desc="3 queries", d1-rows;desc="40 rows read", …`: D1 queries,
 * time and rows read, and the edge cache's answer (null fields when absent).
 */
function parseServerTiming(header) {
  const d1 = /(?:^|,)\s*d1;([^,]*)/.exec(header ?? "");
  if (!d1) return null;
  const queries = /desc="(\d+) quer/.exec(d1[1]);
  const dur = /dur=([\d.]+)/.exec(d1[1]);
  const rows = /d1-rows;desc="(\d+) rows/.exec(header);
  const cache = /cache;desc="(\w+)"/.exec(header);
  return { queries: queries ? Number(queries[1]) : null, ms: dur ? Number(dur[1]) : null, rowsRead: rows ? Number(rows[1]) : null, cache: cache?.[1] ?? null };
}

/**
 * Logs in like the browser form does. The session cookie is `__Host-session` (Secure): fetch would not send it back
 * over http, so it is kept and sent by hand. Origin is required by the app's CSRF check.
 */
async function logIn(origin, email) {
  const response = await fetch(`${origin}/auth/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password: PASSWORD }),
  });
  await response.arrayBuffer();
  const session = setCookies(response).find((c) => /^(__Host-)?session=./.test(c));
  if (response.status >= 400 || !session) {
    throw new Error(
      `logging in as ${email} answered ${response.status} without a session cookie: is this a database from npm run seed (password "${PASSWORD}")?`,
    );
  }
  return session;
}

/** Chooses the Followed tab the way the app remembers it (GET /followed sets a cookie); falls back to the known name. */
async function followedTabCookies(origin, session) {
  const response = await fetch(`${origin}/followed`, { redirect: "manual", headers: { Cookie: session } });
  await response.arrayBuffer();
  const cookies = setCookies(response).filter((c) => !/^(__Host-)?session=/.test(c));
  return cookies.length
    ? { cookies, note: null }
    : { cookies: ["feed=followed"], note: `GET /followed answered ${response.status} and set no cookie; sent feed=followed` };
}

/** One request: status, D1 queries (Server-Timing) and, for the explore check, the body. */
async function probe(url, cookie, request = {}) {
  const { sign, ...init } = request;
  const signed = sign?.() ?? {};
  const started = performance.now();
  const response = await fetch(url, {
    redirect: "manual",
    ...init,
    ...signed,
    headers: { ...(cookie ? { Cookie: cookie } : {}), ...request.headers, ...signed.headers },
  });
  const body = await response.text();
  const ms = performance.now() - started;
  return { status: response.status, timing: parseServerTiming(response.headers.get("Server-Timing")), body, bytes: Buffer.byteLength(body), ms };
}

function nextLink(html) {
  for (const tag of html.match(/<a\s[^>]*>/g) ?? []) {
    if (/\brel="next"/.test(tag)) return /\bhref="([^"]*)"/.exec(tag)?.[1]?.replaceAll("&amp;", "&") ?? null;
  }
  return null;
}

/**
 * The deep explore URL. Computed from the database (no 499 requests), after checking that the live page 1's
 * "Older" link matches the same arithmetic; if it does not (another page size or link format), walk the links.
 */
async function deepExploreUrl(origin, fixtures, cookie) {
  if (!fixtures.deep) return { path: "/explore?page=1", note: `only ${fixtures.postCount} posts: no page 2` };
  const page1 = await probe(`${origin}/explore`, cookie);
  const live = nextLink(page1.body);
  const predicted = `/explore?page=2&before=${fixtures.page2.ts}.${fixtures.page2.id}`;
  const note = fixtures.deepPage < DEEP_PAGE ? `only ${formatCount(fixtures.postCount)} posts: page ${fixtures.deepPage} instead of ${DEEP_PAGE}` : null;
  if (live === predicted || page1.status === 404) {
    return { path: `/explore?page=${fixtures.deepPage}&before=${fixtures.deep.ts}.${fixtures.deep.id}`, note };
  }
  log(`page 1's Older link is ${live ?? "missing"}, expected ${predicted}: following the links instead`);
  let url = live;
  for (let page = 2; url && page < fixtures.deepPage; page++) url = nextLink((await probe(`${origin}${url}`, cookie)).body);
  return url ? { path: url, note } : { path: `/explore?page=${fixtures.deepPage}`, note: "no Older link to follow; used a bare ?page= (OFFSET)" };
}

// --- Load ------------------------------------------------------------------------------------------------------

let coldCounter = 0;
/** A URL no request has used before: with `cold`, every request is an edge-cache miss (and fills an entry). */
function coldUrl(path) {
  coldCounter += 1;
  return `${path}${path.includes("?") ? "&" : "?"}cold=${coldCounter}`;
}

/** `request`: method, headers and body for routes that are not a plain GET (the analytics beacon). */
function cannon(url, cookie, opts, duration, request = {}) {
  return autocannon({
    url,
    connections: opts.connections,
    duration,
    ...(request.method ? { method: request.method, body: request.body } : {}),
    headers: { ...(cookie ? { cookie } : {}), ...request.headers },
    // The beacon limits hits per client IP; wrangler dev passes CF-Connecting-IP through, so the load is
    // spread over many documentation-range addresses, as real visitors would be.
    ...(request.rotateIp ? { requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, "cf-connecting-ip": nextIp() } }) }] } : {}),
    ...(request.cold ? { requests: [{ setupRequest: (req) => ({ ...req, path: coldUrl(new URL(url).pathname + new URL(url).search) }) }] } : {}),
    // A signed request (the inbox row): each one gets its own body and signature.
    ...(request.sign ? { requests: [{ setupRequest: (req) => signedRequest(req, request.sign()) }] } : {}),
    warmup: { connections: opts.connections, duration: 1 },
  });
}

function signedRequest(req, { body, headers }) {
  return { ...req, body, headers: { ...req.headers, ...headers } };
}

let ipCounter = 0;
function nextIp() {
  ipCounter += 1;
  return `198.18.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

/** What autocannon would report for one request of `ms`, for a route too slow to put under load. */
function singleRequest(ms) {
  return { requests: { average: 1000 / ms, total: 1 }, latency: { p50: ms, p99: ms }, non2xx: 0, errors: 0, timeouts: 0 };
}

async function measure(origin, route, opts) {
  const url = `${origin}${route.path}`;
  if (!url.startsWith(`http://${HOST}:`)) throw new Error(`refusing to load anything but ${HOST}: ${url}`);
  // A few probes: the query count can differ between requests (e.g. a throttled "last seen" write).
  const probes = [];
  for (let i = 0; i < 3; i++) {
    probes.push(await probe(route.request?.cold ? `${origin}${coldUrl(route.path)}` : url, route.cookie, route.request));
    // A route this slow would queue the load's requests behind each other until they time out (and wedge the
    // local D1 for the routes after it): its single-request figures are the measurement.
    if (probes[0].ms > TOO_SLOW_MS) break;
  }
  const first = probes[0];
  const counts = probes.map((p) => p.timing?.queries).filter((n) => n != null);
  const spread = (values) =>
    values.length ? (Math.min(...values) === Math.max(...values) ? String(values[0]) : `${Math.min(...values)}–${Math.max(...values)}`) : null;
  const d1Queries = spread(counts);
  const rowsRead = spread(probes.map((p) => p.timing?.rowsRead).filter((n) => n != null));
  // The cache's answer to the last probe: what the load then mostly gets (a cold route's are all misses).
  const cache = probes.at(-1).timing?.cache ?? "-";
  process.stdout.write(`  ${route.name.padEnd(20)} ${route.path}\n`);
  const tooSlow = first.ms > TOO_SLOW_MS;
  // Ten connections on a route of seconds per request only queue up behind each other (and time out); one
  // connection measures the route, and the next route starts with an idle D1.
  const slow = !tooSlow && first.ms > SLOW_MS;
  const load = slow ? { ...opts, connections: 1 } : opts;
  const result = tooSlow ? singleRequest(first.ms) : await cannon(url, route.cookie, load, opts.duration, route.request);
  const notes = [
    route.note,
    tooSlow ? `one request took ${(first.ms / 1000).toFixed(1)} s: not load-tested` : null,
    slow ? "1 connection (a request takes over a second)" : null,
    first.status === 404 ? "404: route not built yet?" : first.status >= 300 ? `answers ${first.status}` : null,
    first.status === 200 && route.expect && !route.expect.test(first.body) ? route.expectNote : null,
  ];
  return {
    name: route.name,
    path: route.path,
    as: route.as ?? (route.cookie ? "member" : "anonymous"),
    status: first.status,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    d1Queries,
    rowsRead,
    cache,
    bytes: first.bytes,
    d1Ms: probes.map((p) => p.timing?.ms ?? null),
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    note: notes.filter(Boolean).join("; "),
  };
}

// --- Report ----------------------------------------------------------------------------------------------------

function ratio(value, base) {
  return base > 0 ? `${(value / base).toFixed(value / base >= 10 ? 0 : 2)}×` : "-";
}

function printTable(title, rows, memory, opts) {
  const hello = rows[0];
  const cells = rows.map((r) =>
    [
      r.name,
      r.as,
      `${formatCount(r.rps)} (${ratio(r.rps, hello.rps)})`,
      `${r.p50.toFixed(1)} (${ratio(r.p50, hello.p50)})`,
      `${r.p99.toFixed(1)} (${ratio(r.p99, hello.p99)})`,
      r.d1Queries ?? "-",
      r.rowsRead ?? "-",
      r.cache,
      formatCount(r.bytes),
      formatCount(r.non2xx) + (r.errors ? ` +${r.errors} err` : ""),
      r.note,
    ].map(String),
  );
  const head = ["route", "as", "req/s (× hello)", "p50 ms (× hello)", "p99 ms (× hello)", "D1 q/req", "D1 rows", "cache", "bytes", "non-2xx", "note"];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) =>
    c
      .map((v, i) => (i >= 2 && i <= 9 ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  console.log(`\n${title}: ${opts.connections} connections, ${opts.duration}s per route (after 1s warm-up), on ${HOST}\n`);
  console.log(line(head));
  console.log(widths.map((w) => "─".repeat(w)).join("  "));
  for (const c of cells) console.log(line(c));
  const peak = memory.reduce((sum, m) => sum + m.peakKb, 0);
  const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
  const requests = rows.reduce((sum, r) => sum + r.requests, 0);
  const growth = (m) => (m.startKb && requests ? `, ${((m.rssKb - m.startKb) / 1024 / (requests / 1000)).toFixed(1)} MB per 1,000 requests` : "");
  const parts = memory
    .map((m) => `${m.role} ${mb(m.peakKb)}, RSS ${m.startKb ? mb(m.startKb) : "?"} before load → ${mb(m.rssKb)} after${growth(m)}`)
    .join("; ");
  console.log(
    `\nworkerd peak memory (VmHWM): ${mb(peak)} total${parts ? ` (${parts})` : " (no workerd process found)"} over ${formatCount(requests)} requests`,
  );
  console.log(`load average (1 min) before / after: ${opts.loadBefore.toFixed(2)} / ${opts.loadAfter.toFixed(2)} on ${os.cpus().length} CPUs`);
}

/** The visits consumer's throughput (scripts/bench-ingest.mjs), with the load average it ran under. */
async function measureConsumer() {
  const loadBefore = os.loadavg()[0];
  const r = await measureIngest({ batches: CONSUMER_BATCHES, batchSize: CONSUMER_BATCH });
  return { batchSize: CONSUMER_BATCH, batches: CONSUMER_BATCHES, ...r, loadAverage: { before: loadBefore, after: os.loadavg()[0] } };
}

function printConsumer(c) {
  const head = ["queue consumer", "batch", "visits/s", "ms per batch", "visits", "seconds", "load before / after"];
  const cells = [
    "visits consumer (ingest)",
    String(c.batchSize),
    formatCount(Math.round(c.visitsPerSecond)),
    c.msPerBatch.toFixed(1),
    formatCount(c.stored),
    c.seconds.toFixed(2),
    `${c.loadAverage.before.toFixed(2)} / ${c.loadAverage.after.toFixed(2)}`,
  ];
  const widths = head.map((h, i) => Math.max(h.length, cells[i].length));
  const line = (row) => row.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("  ");
  console.log("\nThe visits consumer: one db.batch per queue batch, every rollup included, into a fresh local D1 (no server)\n");
  console.log(line(head));
  console.log(widths.map((w) => "─".repeat(w)).join("  "));
  console.log(line(cells));
}

// --- Main ------------------------------------------------------------------------------------------------------

async function bench(opts) {
  const started = performance.now();
  if (opts.consumerOnly) {
    log(`measuring the visits consumer: ${CONSUMER_BATCHES} queue batches of ${CONSUMER_BATCH} into a fresh local D1`);
    const consumer = await measureConsumer();
    printConsumer(consumer);
    if (opts.json) writeJson(opts, null, [], consumer);
    log(`bench finished in ${formatSeconds(performance.now() - started)}`);
    return;
  }
  log("applying D1 migrations and reading fixtures from the local database");
  await applyMigrations();
  const fixtures = await readFixtures();
  log(`${formatCount(fixtures.postCount)} posts; logging in as ${fixtures.reader.username} (follows ${formatCount(fixtures.reader.follows - 1)} members)`);

  const federation = await federationSetup(opts, fixtures);
  copyAssets(); // wrangler dev refuses to start without public/
  log("bundling the Worker (a snapshot: edits to the project during the run do not reload it)");
  currentSnapshot = await buildSnapshot(SNAPSHOT_DIR);
  const results = [];
  try {
    for (const kind of opts.servers) {
      results.push(await benchServer(kind, { ...fixtures, federation }, opts));
      if (federation) await federationCleanUp(federation);
    }
  } finally {
    if (federation) await federationCleanUp(federation, { followers: true });
  }
  log(`measuring the visits consumer: ${CONSUMER_BATCHES} queue batches of ${CONSUMER_BATCH} into a fresh local D1`);
  // A failure here must not throw away the routes' minutes of measurements.
  const consumer = await measureConsumer().catch((error) => {
    fail(`the visits consumer could not be measured: ${error.message}`);
    return null;
  });
  for (const r of results) printTable(r.title, r.rows, r.memory, r.opts);
  printDelivery(results);
  if (consumer) printConsumer(consumer);
  if (opts.json) writeJson(opts, fixtures, results, consumer);
  log(`bench finished in ${formatSeconds(performance.now() - started)}`);
}

/** The measured routes: each page as the member, then anonymous with every request a miss (cold) and warm. */
async function routesFor(origin, fixtures) {
  const session = await logIn(origin, fixtures.reader.email);
  const tab = await followedTabCookies(origin, session);
  const member = [session, ...tab.cookies].join("; ");
  const deep = await deepExploreUrl(origin, fixtures, member);
  const pages = [
    { name: "explore p1", path: "/explore" },
    { name: `explore p${fixtures.deepPage} keyset`, path: deep.path, note: deep.note },
    { name: `explore p${fixtures.deepPage} bare`, path: `/explore?page=${fixtures.deepPage}`, note: "OFFSET" },
    { name: "user profile", path: `/user/${encodeURIComponent(fixtures.author.username)}`, note: `${formatCount(fixtures.author.posts)} posts` },
    { name: "post page", path: `/post/${fixtures.postId}`, note: `${POST_COMMENTS} comments` },
    ...socialPages(fixtures),
  ];
  return [
    { name: "hello (baseline)", path: "/hello", cookie: null },
    // The tab markup is the app's (src/features/posts/views.tsx); a mismatch only adds a note.
    {
      name: "home, Followed",
      path: "/",
      cookie: member,
      note: tab.note,
      expect: /<a href="\/followed"[^>]*aria-current="page"/,
      expectNote: "Followed tab not shown as current",
    },
    ...pages.map((p) => ({ ...p, cookie: member })),
    ...(await notificationsRoute(origin, fixtures.inbox)),
    ...pages.map((p) => ({ ...p, cookie: null, as: "anon cold", request: { cold: true } })),
    ...pages.map((p) => ({ ...p, cookie: null, as: "anon warm" })),
    ...(fixtures.federation?.inbox ? [await inboxRoute(origin, fixtures.federation, fixtures.federation.readerId)] : []),
    ...(await analyticsRoutes(origin, fixtures.visits)),
  ];
}

/** The public issue-12 pages (measured as the member and anonymous): search for a common and a rare word, a tag. */
function socialPages({ words, tag }) {
  const search = (label, hit) =>
    hit
      ? [
          {
            name: `search, ${label}`,
            path: `/search?q=${encodeURIComponent(hit.word)}`,
            note: `"${hit.word}": ${formatCount(hit.posts)} post${hit.posts === 1 ? "" : "s"}`,
          },
        ]
      : [];
  if (!words) log("no posts_fts: skipping the search rows");
  if (!tag) log("no hashtags (npm run seed makes them): skipping the tag page row");
  return [
    ...search("common word", words?.common),
    ...search("rare word", words?.rare),
    ...(tag ? [{ name: "tag page", path: `/tags/${encodeURIComponent(tag.tag)}`, note: `#${tag.tag}: ${formatCount(tag.posts)} posts` }] : []),
  ];
}

/** The notifications page of the member who has the most (npm run seed --inbox): members only. */
async function notificationsRoute(origin, inbox) {
  if (!inbox) {
    log("no notifications (npm run seed makes them): skipping the notifications row");
    return [];
  }
  const cookie = await logIn(origin, inbox.email);
  // The first request marks them all read (as opening the page does); the load then reads read ones.
  return [{ name: "notifications", path: "/notifications", cookie, note: `${formatCount(inbox.notifications)} notifications (${inbox.username})` }];
}

async function benchServer(kind, fixtures, baseOpts) {
  const { title, start, logFile } = SERVERS[kind];
  const opts = { ...baseOpts };
  const server = await start();
  stopOnSignals(server);
  try {
    log(`starting ${title} on ${server.origin}`);
    if (!(await waitUntilAnswering(server, `${server.origin}/hello`))) {
      throw new Error(`${kind} did not answer on ${server.origin}; see ${path.relative(root, kind === "wrangler" ? LOG_FILE : MINIFLARE_LOG_FILE)}`);
    }
    const routes = (await routesFor(server.origin, fixtures)).filter((r, i) => i === 0 || !opts.only || opts.only.test(r.name));
    log(`measuring ${routes.length} routes`);
    // Other work on this machine skews every number; the load average at least says when it did.
    opts.loadBefore = os.loadavg()[0];
    const reloadsBefore = countReloads();
    const atStart = new Map(workerdMemory(server.pid).map((m) => [m.pid, m.rssKb]));
    const rows = [];
    for (const route of routes) rows.push(await measure(server.origin, route, opts));
    const delivery = fixtures.federation?.delivery ? await deliveryRow(server.origin, fixtures, logFile) : null;
    const memory = workerdMemory(server.pid).map((m) => ({ ...m, startKb: atStart.get(m.pid) ?? null }));
    const reloads = kind === "wrangler" ? countReloads() - reloadsBefore : 0;
    if (reloads > 0) fail(`wrangler dev reloaded ${reloads} time(s) during the run: numbers are suspect`);
    opts.loadAfter = os.loadavg()[0];
    return { kind, title, rows, memory, opts, delivery };
  } finally {
    await server.stop();
  }
}

/**
 * The analytics rows, when `npm run seed -- --visits N` made a demo site: its owner's 30-day report, the beacon as a
 * tracked page's script sends it, then the filtered reports.
 */
async function analyticsRoutes(origin, visits) {
  if (!visits) {
    log("no analytics data (npm run seed -- --visits 1000000): skipping the site report and beacon rows");
    return [];
  }
  const owner = await logIn(origin, visits.ownerEmail);
  const beacon = beaconRequest(visits);
  return [
    { name: "site report, 30 days", path: reportPath(visits), cookie: owner, note: `${formatCount(visits.visits)} visits` },
    // Before the filtered reports: a slow report's queued requests would still hold the local D1 when the beacon's
    // hits are stored. The few thousand visits it adds do not change the reports' figures.
    { name: "beacon (POST)", path: beacon.path, cookie: null, request: beacon, note: "204; each hit is queued and stored" },
    // Filtered reports (features/sites/filters.ts): issue 14 wants each within 3x the unfiltered median.
    { name: "report, 1 filter", path: reportPath(visits, ["country:is:DE"]), cookie: owner, note: "country is DE" },
    // Two `is` filters on a kept pair of visitor fields (segments.ts SEGMENT_PAIRS): the pair's segment rollups.
    {
      name: "report, 2 filters (pair)",
      path: reportPath(visits, ["country:is:DE", "device:is:mobile"]),
      cookie: owner,
      note: "country is DE, device is mobile",
    },
    // A page filter beside the country: no rollup can count its visitors, so one pass over the matching raw visits.
    { name: "report, 2 filters", path: reportPath(visits, ["country:is:DE", "page:contains:/blog"]), cookie: owner, note: "+ page contains /blog" },
  ];
}

// --- Federation (scripts/bench-federation.mjs) --------------------------------------------------------------------

const INBOX_ROW = "inbox POST (signed)";
const DELIVERY_ROW = `deliver to ${formatCount(BENCH_FOLLOWERS)}`;

/**
 * When a federation row is asked for: starts the sink (the 1,000 remote inboxes) and seeds the local D1 (the fake
 * followers of the logged-in member, a key for the signing member) before any server opens it; null otherwise.
 */
async function federationSetup(opts, fixtures) {
  const inbox = !opts.only || opts.only.test(INBOX_ROW);
  const delivery = !opts.only || opts.only.test(DELIVERY_ROW);
  if (!inbox && !delivery) return null;
  const sink = await startSink();
  const { db, close } = await openLocalD1();
  try {
    const readerId = (await db.prepare("SELECT id FROM users WHERE email = ?").bind(fixtures.reader.email).first()).id;
    log(`federation: ${formatCount(BENCH_FOLLOWERS)} remote followers of ${fixtures.reader.username} with inboxes on the sink ${sink.origin}`);
    return { ...(await seedFederation(db, { readerId, sinkOrigin: sink.origin })), readerId, sink, inbox, delivery };
  } finally {
    await close();
  }
}

/** After a server stopped: the delivery row's post goes; after the last, the fake followers too and the sink closes. */
async function federationCleanUp(federation, { followers = false } = {}) {
  if (followers) await federation.sink.close();
  const { db, close } = await openLocalD1();
  try {
    await cleanUpFederation(db, federation.readerId, { followers });
  } finally {
    await close();
  }
}

async function deliveryRow(origin, fixtures, logFile) {
  log(`federation: posting once as ${fixtures.reader.username}, waiting for ${formatCount(BENCH_FOLLOWERS)} deliveries at the sink`);
  const session = await logIn(origin, fixtures.reader.email);
  const { sink, readerId } = fixtures.federation;
  return measureDelivery({ origin, session, readerId, sink, logFile }).catch((error) => {
    fail(`the delivery row could not be measured: ${error.message}`);
    return null;
  });
}

/** How often wrangler dev has restarted the runtime so far (it logs each reload). */
function countReloads() {
  try {
    return (readFileSync(LOG_FILE, "utf8").match(/Reloading local server/g) ?? []).length;
  } catch {
    return 0;
  }
}

function writeJson(opts, fixtures, results, consumer) {
  const file = path.resolve(root, opts.json);
  mkdirSync(path.dirname(file), { recursive: true });
  const payload = {
    at: new Date().toISOString(),
    options: { duration: opts.duration, connections: opts.connections },
    data: fixtures && {
      posts: fixtures.postCount,
      reader: fixtures.reader.username,
      searchWords: fixtures.words,
      tag: fixtures.tag,
      inbox: fixtures.inbox && { username: fixtures.inbox.username, notifications: fixtures.inbox.notifications },
    },
    servers: results.map(({ kind, rows, memory, opts: o, delivery }) => ({
      server: kind,
      routes: rows.map((r) => ({ ...r, rpsVsHello: r.rps / rows[0].rps, p50VsHello: r.p50 / rows[0].p50, p99VsHello: r.p99 / rows[0].p99 })),
      workerdMemory: memory,
      delivery,
      loadAverage: { before: o.loadBefore, after: o.loadAfter, cpus: os.cpus().length },
    })),
    consumer,
  };
  writeFileSync(file, `${JSON.stringify(payload, null, 2)}\n`);
  log(`wrote ${path.relative(root, file)}`);
}

/**
 * Ctrl-C / SIGTERM: take wrangler and workerd down with us, then exit. npm forwards the terminal's SIGINT too, so
 * one Ctrl-C can arrive twice within a moment; a later, deliberate second signal means "stop now".
 */
function stopOnSignals(server) {
  let firstAt = 0;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, async () => {
      if (firstAt === 0) {
        firstAt = Date.now();
        fail(`${signal}: stopping wrangler dev`);
        await server.stop();
        process.exit(130);
      } else if (Date.now() - firstAt > 1000) {
        server.kill();
        process.exit(130);
      }
    });
  }
}

try {
  const opts = parseOptions(process.argv.slice(2));
  if (opts.help) console.log(HELP);
  else await bench(opts);
} catch (error) {
  fail(error.message);
  process.exitCode = 1;
}
