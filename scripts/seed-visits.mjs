// Fake analytics for one site: `seedVisits(db, { visits: N })` writes N raw visits spread over the last 30 days
// (weekly and daily rhythm, a few popular pages, referrers, countries, browsers, custom events) straight into the
// local D1, then rebuilds that site's rollups in bulk with the app's own SQL (src/features/sites/ingest.ts), so the
// reports agree with the raw rows exactly as if every visit had come through the beacon and the queue.
//
// Fast by design: rows are generated INSIDE SQLite, one INSERT … WITH RECURSIVE statement per hour of traffic (no
// JSON shipped per row, no 100-parameter chunks), in time order with append-only uids, so both indexes grow at
// their right edge. `npm run seed -- --visits N` calls seedVisits; this file also runs on its own:
//
//   node scripts/seed-visits.mjs --visits 1000000 [--days 30] [--site ID] [--persist-to DIR]
//
// It also exports what `npm run bench` needs for its analytics rows: visitsFixture(db) and beaconRequest(fixture).
import { createHash, randomInt } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const root = path.resolve(import.meta.dirname, "..");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const DEMO_BASE_URL = "https://demo.roost.example";
/** A real browser's user agent: the beacon drops bots (and autocannon's default agent is one). */
export const BENCH_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

// Pools the generator picks from; earlier entries are picked more often (see `skewed` in the SQL below).
const PATHS = [
  "/",
  "/blog",
  "/pricing",
  "/about",
  "/blog/hello-world",
  "/docs",
  "/docs/getting-started",
  "/contact",
  "/blog/edge-analytics",
  "/docs/api",
  "/careers",
  "/blog/privacy-first",
  "/features",
  "/changelog",
  "/docs/install",
  "/login",
  "/signup",
  "/terms",
  "/privacy",
  "/blog/htmx-4",
  "/docs/faq",
  "/status",
  "/blog/d1-at-scale",
  "/press",
  "/blog/queues",
  "/docs/snippet",
  "/security",
  "/blog/rollups",
  "/partners",
  "/docs/events",
  "/community",
  "/blog/workers",
  "/events",
  "/team",
  "/blog/why-no-cookies",
  "/docs/csv",
  "/integrations",
  "/blog/2025-review",
  "/jobs/engineer",
  "/404",
];
const REFERRERS = [
  "google.com",
  "news.ycombinator.com",
  "duckduckgo.com",
  "twitter.com",
  "github.com",
  "reddit.com",
  "bing.com",
  "linkedin.com",
  "lobste.rs",
  "mastodon.social",
];
const EVENTS = ["signup", "download", "outbound-link", "newsletter"];
// [browser, os, device], repeated by weight.
const AGENTS = [
  ...Array(8).fill(["Chrome", "Windows", "desktop"]),
  ...Array(5).fill(["Safari", "iOS", "mobile"]),
  ...Array(4).fill(["Chrome", "Android", "mobile"]),
  ...Array(3).fill(["Safari", "macOS", "desktop"]),
  ...Array(2).fill(["Firefox", "Windows", "desktop"]),
  ...Array(2).fill(["Edge", "Windows", "desktop"]),
  ["Firefox", "Linux", "desktop"],
  ["Chrome", "macOS", "desktop"],
  ["Samsung Internet", "Android", "mobile"],
  ["Safari", "iOS", "tablet"],
  ["Chrome", "ChromeOS", "desktop"],
];
// [country, region, city, latitude, longitude], repeated by weight; one unknown.
const PLACES = [
  ...Array(6).fill(["US", "California", "San Francisco", 37.7749, -122.4194]),
  ...Array(4).fill(["US", "New York", "New York", 40.7128, -74.006]),
  ...Array(4).fill(["DE", "Berlin", "Berlin", 52.52, 13.405]),
  ...Array(3).fill(["GB", "England", "London", 51.5072, -0.1276]),
  ...Array(2).fill(["FR", "Île-de-France", "Paris", 48.8566, 2.3522]),
  ...Array(2).fill(["IN", "Karnataka", "Bengaluru", 12.9716, 77.5946]),
  ["JP", "Tokyo", "Tokyo", 35.6762, 139.6503],
  ["BR", "São Paulo", "São Paulo", -23.5558, -46.6396],
  ["NZ", "Wellington", "Wellington", -41.2866, 174.7756],
  ["CA", "Ontario", "Toronto", 43.6532, -79.3832],
  ["AU", "New South Wales", "Sydney", -33.8688, 151.2093],
  [null, null, null, null, null],
];
// Share of a day's traffic per UTC hour: quiet at night, busy in the (European/American) afternoon.
const HOURS = [2, 1.5, 1, 1, 1, 1.5, 2.5, 4, 5.5, 6.5, 7, 7.5, 7.5, 8, 8, 7.5, 7, 6.5, 6, 5.5, 5, 4, 3.5, 2.5];

/** Splits `total` over `weights` in whole numbers that add up exactly (largest remainder). */
export function apportion(total, weights) {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i]).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k][1]] += 1;
  return out;
}

/** Traffic per day, oldest first, each split into hours: a weekly rhythm, slow growth, the daily curve. */
function plan(visits, days, now) {
  const end = now - (now % HOUR); // the current hour is left empty, so nothing lands in the future
  const start = end - days * DAY;
  const dayWeights = Array.from({ length: days }, (_, d) => {
    const weekday = new Date(start + d * DAY).getUTCDay();
    return (weekday === 0 || weekday === 6 ? 0.65 : 1) * (0.8 + (0.4 * d) / Math.max(1, days - 1));
  });
  let offset = 0;
  return apportion(visits, dayWeights).map((total, d) => {
    const dayStart = start + d * DAY;
    const firstHour = new Date(dayStart).getUTCHours();
    const hours = [];
    apportion(
      total,
      Array.from({ length: 24 }, (_, h) => HOURS[(firstHour + h) % 24]),
    ).forEach((count, h) => {
      if (count > 0) hours.push([dayStart + h * HOUR, count, offset]);
      offset += count;
    });
    // About three pageviews per visitor and day.
    return { day: d, total, pool: Math.max(1, Math.round(total / 3)), hours };
  });
}

// One day of visits, generated in SQLite in one statement: each hour bucket [start, count, offset] expands to
// `count` rows spread evenly over its hour. g = the visit's number in this run, v = its visitor's number in the
// day; cheap multiplicative hashes of them pick pages, events, referrers (per hit) and agent and place (per
// visitor, as a real visitor id is one browser on one network). Pools are small CTE tables built from JSON.
// Numbers bound from Node arrive as REAL, so they are cast once (x % y on REALs is a REAL, which breaks picks).
const DAY_SQL = `
INSERT INTO visits (uid, site_id, ts, path, referrer_host, event, browser, os, device, country, region, city, latitude, longitude, visitor)
WITH RECURSIVE
  arg(run, site, pool, day) AS (SELECT CAST(?1 AS INTEGER), CAST(?2 AS INTEGER), CAST(?3 AS INTEGER), CAST(?4 AS INTEGER)),
  buckets(hour, cnt, off) AS MATERIALIZED (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?5)),
  n(i) AS MATERIALIZED (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < (SELECT max(cnt) FROM buckets)),
  paths(k, v) AS MATERIALIZED (SELECT key, value FROM json_each(?6)),
  refs(k, v) AS MATERIALIZED (SELECT key, value FROM json_each(?7)),
  events(k, v) AS MATERIALIZED (SELECT key, value FROM json_each(?8)),
  agents(k, browser, os, device) AS MATERIALIZED (SELECT key, value ->> 0, value ->> 1, value ->> 2 FROM json_each(?9)),
  places(k, country, region, city, lat, lon) AS MATERIALIZED (SELECT key, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(?10)),
  hits AS (
    SELECT b.hour + (n.i * ${HOUR}) / b.cnt AS ts, b.off + n.i AS g, ((b.off + n.i) * 2654435761 + arg.run) % arg.pool AS v
    FROM buckets b JOIN n ON n.i < b.cnt JOIN arg)
SELECT
  printf('s%08x%010x', arg.run, h.g),
  arg.site,
  h.ts,
  (SELECT v FROM paths WHERE k = ((h.g * 40503 + arg.run) % 97) * ((h.g * 69069 + 7) % 97) * ${PATHS.length} / 9409),
  CASE WHEN (h.g * 1103515245 + 12345) % 100 < 55 THEN NULL
       ELSE (SELECT v FROM refs WHERE k = ((h.g * 22695477 + 1) % 31) * ((h.g * 214013 + 3) % 31) * ${REFERRERS.length} / 961) END,
  CASE WHEN (h.g * 134775813 + 1) % 100 < 92 THEN 'pageview'
       ELSE (SELECT v FROM events WHERE k = (h.g * 1664525 + 5) % ${EVENTS.length}) END,
  a.browser, a.os, a.device,
  p.country, p.region, p.city, p.lat, p.lon,
  printf('%016x%016x', arg.run, arg.day * 4294967296 + h.v)
FROM hits h
JOIN arg
JOIN agents a ON a.k = (h.v * 2246822519 + arg.day) % ${AGENTS.length}
JOIN places p ON p.k = (h.v * 3266489917 + arg.day) % ${PLACES.length}
ORDER BY h.g`;

async function importRebuild() {
  const { tsImport } = await import("tsx/esm/api");
  return tsImport(path.join(root, "src/features/sites/ingest.ts"), import.meta.url);
}

/** The seeded members' shared password hash is the most common one; the first of them owns the demo site. */
async function defaultOwner(db) {
  const row = await db
    .prepare(
      `SELECT id, email FROM users WHERE confirmed = 1 AND password_hash =
         (SELECT password_hash FROM users WHERE confirmed = 1 GROUP BY password_hash ORDER BY count(*) DESC LIMIT 1)
       ORDER BY id LIMIT 1`,
    )
    .first();
  return row ?? createDemoOwner(db);
}

/** With no seeded members at all, a confirmed one to own the demo site (password "password", like the seed's). */
async function createDemoOwner(db) {
  const { tsImport } = await import("tsx/esm/api");
  const { hashPassword } = await tsImport(path.join(root, "src/lib/password.ts"), import.meta.url);
  const email = "demo-owner@example.com";
  const now = Date.now();
  await db
    .prepare(
      `INSERT OR IGNORE INTO users (email, username, password_hash, role_id, confirmed, member_since, last_seen, avatar_hash)
       VALUES (?, 'demo_owner', ?, (SELECT id FROM roles WHERE is_default = 1), 1, ?, ?, ?)`,
    )
    .bind(email, await hashPassword("password"), now, now, createHash("md5").update(email).digest("hex"))
    .run();
  const row = await db.prepare("SELECT id, email FROM users WHERE email = ?").bind(email).first();
  await db.prepare("INSERT OR IGNORE INTO follows (follower_id, followed_id, created_at) VALUES (?1, ?1, ?2)").bind(row.id, now).run();
  return row;
}

async function demoSite(db, opts) {
  if (opts.siteId) {
    const site = await db
      .prepare("SELECT s.id, s.base_url AS baseUrl, u.email FROM sites s JOIN users u ON u.id = s.user_id WHERE s.id = ?")
      .bind(opts.siteId)
      .first();
    if (!site) throw new Error(`there is no site ${opts.siteId}`);
    return site;
  }
  const owner = opts.ownerId ? await db.prepare("SELECT id, email FROM users WHERE id = ?").bind(opts.ownerId).first() : await defaultOwner(db);
  if (!owner) throw new Error(`there is no user ${opts.ownerId}`);
  await db
    .prepare("INSERT OR IGNORE INTO sites (user_id, name, base_url, created_at) VALUES (?, 'Demo site', ?, ?)")
    .bind(owner.id, DEMO_BASE_URL, opts.now - opts.days * DAY)
    .run();
  const site = await db.prepare("SELECT id, base_url AS baseUrl FROM sites WHERE user_id = ? AND base_url = ?").bind(owner.id, DEMO_BASE_URL).first();
  return { ...site, email: owner.email };
}

/**
 * Adds `visits` visits over the last `days` days to a site (default: a "Demo site" of the first seeded member,
 * created if needed) and rebuilds its rollups. `onProgress(n)` is called with the rows written so far.
 * Returns { siteId, baseUrl, ownerEmail, inserted, insertMs, rollupMs }.
 */
export async function seedVisits(db, { visits, days = 30, siteId = null, ownerId = null, now = Date.now(), onProgress = () => {} }) {
  if (!Number.isInteger(visits) || visits < 1) throw new Error("--visits must be a positive whole number");
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new Error("--days must be between 1 and 366");
  const { rebuildRollupStatements } = await importRebuild();
  const site = await demoSite(db, { siteId, ownerId, days, now });
  const run = randomInt(2 ** 31);
  const pools = [PATHS, REFERRERS, EVENTS, AGENTS, PLACES].map((p) => JSON.stringify(p));
  const started = performance.now();
  let written = 0;
  // One statement (one transaction) per day: local D1 spends ~10 ms per statement and more per batch, so
  // fewer, bigger statements are what makes this fast.
  for (const d of plan(visits, days, now)) {
    if (d.total === 0) continue;
    await db
      .prepare(DAY_SQL)
      .bind(run, site.id, d.pool, d.day, JSON.stringify(d.hours), ...pools)
      .run();
    written += d.total;
    onProgress(written);
  }
  const insertMs = performance.now() - started;
  const today = now - (now % DAY);
  await db.batch(rebuildRollupStatements(db, site.id, today - 2 * DAY));
  const rollupMs = performance.now() - started - insertMs;
  return { siteId: site.id, baseUrl: site.baseUrl, ownerEmail: site.email, inserted: written, insertMs, rollupMs };
}

/** For the bench: the site with the most visits (by its rollups) and its owner, or null without analytics data. */
export async function visitsFixture(db) {
  const hasTable = await db.prepare("SELECT 1 AS ok FROM sqlite_master WHERE type = 'table' AND name = 'visit_dims'").first();
  if (!hasTable) return null;
  return db
    .prepare(
      `SELECT s.id AS siteId, s.base_url AS baseUrl, u.email AS ownerEmail, t.n AS visits
       FROM (SELECT site_id, sum(n) AS n FROM visit_dims WHERE dim = 'event' GROUP BY site_id ORDER BY n DESC LIMIT 1) t
       JOIN sites s ON s.id = t.site_id JOIN users u ON u.id = s.user_id`,
    )
    .first();
}

/** The request a tracked page's script sends (sendBeacon: text/plain JSON), for autocannon. */
export function beaconRequest(fixture) {
  return {
    path: `/sites/${fixture.siteId}/visit`,
    method: "POST",
    headers: { "content-type": "text/plain;charset=UTF-8", "user-agent": BENCH_USER_AGENT, origin: fixture.baseUrl },
    body: JSON.stringify({ url: `${fixture.baseUrl}/pricing`, referrer: "https://news.ycombinator.com/", event: "pageview" }),
    rotateIp: true,
  };
}

/** The report page over the whole seeded period; `filters` (e.g. ["country:is:DE"]) as the dashboard's f= parameters. */
export function reportPath(fixture, filters = []) {
  return `/sites/${fixture.siteId}?period=30d${filters.map((f) => `&f=${encodeURIComponent(f)}`).join("")}`;
}

// --- Running on its own ------------------------------------------------------------------------------------------

async function main(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      visits: { type: "string" },
      days: { type: "string", default: "30" },
      site: { type: "string" },
      "persist-to": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help || !values.visits) {
    console.log(
      "Usage: node scripts/seed-visits.mjs --visits N [--days 30] [--site ID] [--persist-to DIR]\n" +
        "Adds N visits over the last D days to a site of the local D1 (default: a Demo site of the first seeded member).",
    );
    return;
  }
  const whole = (name, v) => {
    if (!/^\d+$/.test(v ?? "")) throw new Error(`--${name} must be a whole number`);
    return Number(v);
  };
  const { spawnSync } = await import("node:child_process");
  const { Miniflare } = await import("miniflare");
  const { readDatabaseId } = await import("./lib/local-d1.mjs");
  const persistRoot = path.resolve(values["persist-to"] ?? path.join(root, ".wrangler", "state"));
  const env = {
    ...process.env,
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_SEND_ERROR_REPORTS: "false",
    WRANGLER_HIDE_BANNER: "true",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    CI: "true",
  };
  const migrate = spawnSync(path.join(root, "node_modules", ".bin", "wrangler"), ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistRoot], {
    cwd: root,
    env,
    encoding: "utf8",
  });
  if (migrate.status !== 0) throw new Error(`applying migrations failed:\n${migrate.stdout}${migrate.stderr}`);
  const mf = new Miniflare({ script: "", modules: true, d1Databases: { DB: readDatabaseId("DB") }, d1Persist: path.join(persistRoot, "v3", "d1") });
  try {
    const db = await mf.getD1Database("DB");
    const visits = whole("visits", values.visits);
    let lastShown = 0;
    const result = await seedVisits(db, {
      visits,
      days: whole("days", values.days),
      siteId: values.site ? whole("site", values.site) : null,
      onProgress: (n) => {
        if (n - lastShown >= visits / 10 || n === visits) {
          lastShown = n;
          console.log(`  visits ${n.toLocaleString("en-US")} / ${visits.toLocaleString("en-US")}`);
        }
      },
    });
    const s = (ms) => `${(ms / 1000).toFixed(1)}s`;
    console.log(
      `site ${result.siteId} (${result.baseUrl}, owner ${result.ownerEmail}): ${result.inserted.toLocaleString("en-US")} visits in ${s(result.insertMs)}, ` +
        `rollups rebuilt in ${s(result.rollupMs)} — ${Math.round(result.inserted / ((result.insertMs + result.rollupMs) / 1000)).toLocaleString("en-US")} visits/s overall`,
    );
  } finally {
    await mf.dispose();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href && existsSync(root)) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`seed-visits: ${error.message}`);
    process.exitCode = 1;
  });
}
