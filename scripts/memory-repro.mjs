// `npm run memory -- [--requests N] [--connections C] [--only NAME]`: does local workerd's memory grow per D1
// request, and is it ours? Serves a minimal Worker (scripts/memory/worker.ts) through Miniflare — the pinned
// miniflare/workerd that `wrangler dev` and the benchmark use — over a throwaway D1 with 100 rows, in five variants:
// no query at all, one query through the plain binding, through a D1 session (withSession), and each of those
// through Roost's D1 wrapper (src/db: the counting Proxy + Drizzle). For each it sends N requests and prints the
// workerd process's resident memory every N/5 requests and its growth per 1,000 requests. If the raw binding
// grows like the wrapper, the growth is the local emulator's, not Roost's (docs/memory.md has the findings).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
// esbuild comes with wrangler (the same pinned version bundles the app).
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { log, root } from "./common.mjs";
import { workerdMemory } from "./lib/dev-server.mjs";

const VARIANTS = [
  { name: "no query", QUERY: "0", SESSION: "0", WRAPPER: "raw" },
  { name: "no query, 20 KB body", QUERY: "0", SESSION: "0", WRAPPER: "raw", BODY: "1" },
  { name: "no query, a log line", QUERY: "0", SESSION: "0", WRAPPER: "raw", LOG: "1" },
  { name: "binding, raw", QUERY: "1", SESSION: "0", WRAPPER: "raw" },
  { name: "withSession, raw", QUERY: "1", SESSION: "1", WRAPPER: "raw" },
  { name: "binding, Roost wrapper", QUERY: "1", SESSION: "0", WRAPPER: "roost" },
  { name: "withSession, Roost wrapper", QUERY: "1", SESSION: "1", WRAPPER: "roost" },
];

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "5000" },
    connections: { type: "string", default: "10" },
    only: { type: "string" },
  },
});
const total = Number(values.requests);
const connections = Number(values.connections);

async function bundle() {
  const result = await build({
    entryPoints: [path.join(root, "scripts", "memory", "worker.ts")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

const rssKb = () => workerdMemory(process.pid).reduce((sum, m) => sum + m.rssKb, 0);

async function load(url, n) {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next += 1;
      const res = await fetch(url);
      if (!res.ok) throw new Error(`${url} answered ${res.status}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
}

async function run(script, variant) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "roost-memory-"));
  const mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: "2026-04-20",
    d1Databases: { DB: "memory-repro" },
    d1Persist: dir,
    bindings: { QUERY: variant.QUERY, SESSION: variant.SESSION, WRAPPER: variant.WRAPPER, BODY: variant.BODY ?? "0", LOG: variant.LOG ?? "0" },
    host: "127.0.0.1",
    port: 0,
  });
  try {
    const url = await mf.ready;
    const db = await mf.getD1Database("DB");
    await db.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
    await db
      .prepare("INSERT INTO items (body) SELECT printf('item %d', value) FROM json_each(?)")
      .bind(JSON.stringify([...Array(100).keys()]))
      .run();
    await load(url, 200); // warm-up: JIT, first pages of SQLite
    const samples = [rssKb()];
    const step = Math.max(1, Math.floor(total / 5));
    for (let done = 0; done < total; done += step) {
      await load(url, Math.min(step, total - done));
      samples.push(rssKb());
    }
    return samples;
  } finally {
    await mf.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

const mb = (kb) => (kb / 1024).toFixed(0);
const script = await bundle();
log(`${total} requests per variant, ${connections} connections, samples every ${Math.floor(total / 5)} requests (workerd RSS, MB)`);
const rows = [];
for (const variant of VARIANTS.filter((v) => !values.only || v.name.includes(values.only))) {
  const started = performance.now();
  const samples = await run(script, variant);
  const perThousand = ((samples.at(-1) - samples[0]) / 1024 / (total / 1000)).toFixed(1);
  rows.push({ name: variant.name, samples, perThousand, seconds: ((performance.now() - started) / 1000).toFixed(0) });
  console.log(
    `${variant.name.padEnd(28)} ${samples.map(mb).join(" → ").padEnd(40)} ${perThousand.padStart(6)} MB per 1,000 requests (${rows.at(-1).seconds} s)`,
  );
}
