// `node scripts/lib/miniflare-server.mjs <script> <wrangler.toml> <port> [env-file]`: serves a bundled Worker
// through Miniflare's own HTTP server — the same workerd and local D1/KV/Queues/cache as `wrangler dev`, over the
// same state directory, but without wrangler's proxy runtime in front. The bindings come from the config through
// wrangler's own reader (unstable_getMiniflareWorkerOptions), so both servers run the same Worker the same way.
// Started by dev-server.mjs `startMiniflare` (the benchmark, the two-instance federation test); prints
// "ready <origin>" once it answers. Env: ROOST_PERSIST_ROOT (a state directory other than the project's
// .wrangler/state: its v3/ holds D1, KV, queues), ROOST_MIGRATE=1 (apply the D1 migrations first, in this
// workerd, as d1-migrate.mjs does for the browser tests' server).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { applyMigrations } from "./d1-migrate.mjs";

const [script, config, port, envFile] = process.argv.slice(2);
const processStarted = performance.now();
const HOST = "127.0.0.1";
const origin = `http://${HOST}:${port}`;
const projectRoot = path.dirname(path.dirname(path.dirname(new URL(import.meta.url).pathname)));
const persistRoot = path.join(process.env.ROOST_PERSIST_ROOT || path.join(projectRoot, ".wrangler", "state"), "v3");

/** KEY=value lines (.dev.vars); quotes around a value are dropped. */
function readEnvFile(file) {
  if (!file || !existsSync(file)) return {};
  const vars = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) vars[m[1]] = m[2].replace(/^(["'])(.*)\1$/, "$2");
  }
  return vars;
}

const { workerOptions } = unstable_getMiniflareWorkerOptions(config);
const mf = new Miniflare({
  ...workerOptions,
  name: "roost",
  modules: true,
  scriptPath: script,
  // Module names are paths relative to this root: a bundle outside the project (a temporary directory) would
  // otherwise be named "../…", which workerd refuses.
  modulesRoot: path.dirname(script),
  host: HOST,
  port: Number(port),
  defaultPersistRoot: persistRoot,
  bindings: {
    ...workerOptions.bindings,
    ...(process.env.SECRET_KEY ? { SECRET_KEY: process.env.SECRET_KEY } : {}),
    ...readEnvFile(envFile),
    // Extra vars from startMiniflare (as wrangler dev's --var), e.g. the benchmark's federation settings.
    ...JSON.parse(process.env.ROOST_EXTRA_VARS || "{}"),
    BASE_URL: origin,
  },
});
await mf.ready;
console.log(`workerd answering after ${Math.round(performance.now() - processStarted)} ms`);
if (process.env.ROOST_MIGRATE === "1") {
  const started = performance.now();
  const count = await applyMigrations(await mf.getD1Database("DB"));
  console.log(`applied ${count} migrations in ${Math.round(performance.now() - started)} ms`);
}
console.log(`ready ${origin}`);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => mf.dispose().finally(() => process.exit(0)));
