// `node scripts/bench-ingest.mjs [--batches N] [--batch-size 100]`: the visits consumer's throughput. Stores N queue
// batches of realistic visits (many visitors, pages, countries, a few events) through the consumer's own ingest
// (src/features/sites/ingest.ts: one db.batch per queue batch, every rollup included) into a fresh local D1 with
// the project's migrations, and prints visits stored per second. A fresh database per run, so runs compare.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const root = path.resolve(import.meta.dirname, "..");
const DAY = 86_400_000;
const COUNTRIES = ["US", "DE", "GB", "FR", "IN", "JP", "BR", "NZ", "CA", "AU", null];
const AGENTS = [
  ["Chrome", "Windows", "desktop"],
  ["Safari", "iOS", "mobile"],
  ["Chrome", "Android", "mobile"],
  ["Safari", "macOS", "desktop"],
  ["Firefox", "Linux", "desktop"],
  ["Edge", "Windows", "desktop"],
];
const PATHS = ["/", "/blog", "/pricing", "/about", "/blog/hello-world", "/docs", "/docs/api", "/contact", "/blog/rollups", "/signup"];

/** `n` visits of one site over the current UTC day, in time order: visitor v keeps its agent and country. */
function makeVisits(siteId, n, start, seq) {
  const day = Date.now() - (Date.now() % DAY);
  return Array.from({ length: n }, (_, i) => {
    const g = start + i;
    const v = (g * 2654435761) % 5000;
    const [browser, osName, device] = AGENTS[v % AGENTS.length];
    return {
      uid: `bench-${seq}-${g}`,
      siteId,
      ts: day + g * 50,
      path: PATHS[(g * 7) % PATHS.length],
      referrerHost: g % 3 ? null : "news.example",
      event: g % 12 ? "pageview" : "signup",
      browser,
      os: osName,
      device,
      country: COUNTRIES[v % COUNTRIES.length],
      region: null,
      city: null,
      latitude: null,
      longitude: null,
      visitor: v.toString(16).padStart(32, "0"),
      utmSource: g % 10 ? null : "newsletter",
      utmMedium: null,
      utmCampaign: null,
      utmTerm: null,
      utmContent: null,
    };
  });
}

/**
 * The project's migrations, applied to a fresh database in-process (each file's statements split as wrangler splits
 * them, one batch per file, as the tests' applyD1Migrations does): spawning `wrangler d1 migrations apply` starts a
 * whole second runtime and took most of the run's time on a busy machine.
 */
async function applyMigrationsTo(db) {
  const { unstable_splitSqlQuery: split } = await import("wrangler");
  const dir = path.join(root, "migrations");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10));
  for (const f of files) await db.batch(split(readFileSync(path.join(dir, f), "utf8")).map((q) => db.prepare(q)));
}

/** Visits stored per second at `batchSize` per queue batch, over `batches` batches (after one warm-up batch). */
export async function measureIngest({ batches = 50, batchSize = 100 } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "roost-ingest-"));
  try {
    const { Miniflare } = await import("miniflare");
    const { tsImport } = await import("tsx/esm/api");
    const { ingestVisits } = await tsImport(path.join(root, "src/features/sites/ingest.ts"), import.meta.url);
    const mf = new Miniflare({ script: "", modules: true, d1Databases: ["DB"], d1Persist: dir });
    try {
      const db = await mf.getD1Database("DB");
      await applyMigrationsTo(db);
      await db.prepare("INSERT INTO roles (name, is_default, permissions) SELECT 'Bench', 0, 7 WHERE NOT EXISTS (SELECT 1 FROM roles)").run();
      await db
        .prepare(
          "INSERT INTO users (email, username, password_hash, role_id, confirmed, member_since, last_seen, avatar_hash) VALUES ('bench@example.com', 'bench', 'x', (SELECT min(id) FROM roles), 1, 0, 0, 'x')",
        )
        .run();
      const site = await db
        .prepare(
          "INSERT INTO sites (user_id, name, base_url, created_at) VALUES ((SELECT id FROM users LIMIT 1), 'Bench', 'https://bench.example', 0) RETURNING id",
        )
        .first();
      await ingestVisits(db, makeVisits(site.id, batchSize, 0, "warm"));
      let stored = 0;
      const started = performance.now();
      for (let b = 0; b < batches; b++) stored += await ingestVisits(db, makeVisits(site.id, batchSize, (b + 1) * batchSize, "run"));
      const seconds = (performance.now() - started) / 1000;
      return { stored, seconds, visitsPerSecond: stored / seconds, msPerBatch: (seconds * 1000) / batches };
    } finally {
      await mf.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { batches: { type: "string", default: "50" }, "batch-size": { type: "string", default: "100" } } });
  const r = await measureIngest({ batches: Number(values.batches), batchSize: Number(values["batch-size"]) });
  console.log(
    `consumer: ${r.stored} visits in ${r.seconds.toFixed(2)} s at batch ${values["batch-size"]}: ${Math.round(r.visitsPerSecond)} visits/s, ${r.msPerBatch.toFixed(1)} ms per batch (load ${os.loadavg()[0].toFixed(1)})`,
  );
}
