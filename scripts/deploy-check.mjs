// `npm run check:deploy`: what a deploy would hit, checked without an account or network. Builds the
// production bundle with `wrangler deploy --dry-run`, prints its gzipped size and fails over 1 MiB
// (the Workers free-plan limit). The binding types cannot drift from wrangler.toml: they are generated from
// it before every typecheck (scripts/types.mjs), not committed.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { bin, fail, log, offlineEnv, run } from "./common.mjs";

const LIMIT = 1024 * 1024;
const env = { ...process.env, ...offlineEnv };
const outdir = mkdtempSync(path.join(tmpdir(), "roost-bundle-"));

/** Stops with a non-zero exit (common.mjs's fail() only prints). */
function die(message) {
  fail(message);
  rmSync(outdir, { recursive: true, force: true });
  process.exit(1);
}

try {
  const built = await run(bin("wrangler"), ["deploy", "--dry-run", "--outdir", outdir, "--env", "production"], { env });
  if (built !== 0) die("wrangler deploy --dry-run failed: the production bundle does not build");
  const bundle = readFileSync(path.join(outdir, "index.js"));
  const gzipped = gzipSync(bundle, { level: 9 }).length;
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  log(`bundle: ${kib(bundle.length)} raw, ${kib(gzipped)} gzipped (limit ${kib(LIMIT)})`);
  if (gzipped > LIMIT) die(`the gzipped bundle is over ${kib(LIMIT)}`);
  log("deploy checks passed");
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
