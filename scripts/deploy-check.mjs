// `npm run check:deploy`: what a deploy would hit, checked without an account or network. Builds the
// production bundle with `wrangler deploy --dry-run`, prints its gzipped size and fails over 1 MiB
// (the Workers free-plan limit), and fails if src/worker-configuration.d.ts no longer matches
// wrangler.toml's bindings and .dev.vars.example's secrets (run `npm run types` after changing either).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { bin, fail, log, offlineEnv, root, run } from "./common.mjs";

const LIMIT = 1024 * 1024;
const env = { ...process.env, ...offlineEnv };
const outdir = mkdtempSync(path.join(tmpdir(), "roost-bundle-"));
const committedTypes = path.join(root, "src", "worker-configuration.d.ts");
// Beside the real file: the generated types name the Worker's main module by a path relative to themselves.
const freshTypes = path.join(root, "src", ".worker-configuration.check.d.ts");

/** Stops with a non-zero exit (common.mjs's fail() only prints). */
function die(message) {
  fail(message);
  rmSync(outdir, { recursive: true, force: true });
  rmSync(freshTypes, { force: true });
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

  // Regenerate into a scratch file and compare (wrangler's own --check ignores --env-file). The secrets
  // come from .dev.vars.example, never from a developer's .dev.vars, so every machine gets the same types.
  const generated = await run(bin("wrangler"), ["types", freshTypes, "--include-runtime=false", "--env-file", ".dev.vars.example"], { env });
  if (generated !== 0) die("wrangler types failed");
  // Line 2 names the command and a hash that includes the output path; the declarations are what matter.
  const body = (file) => readFileSync(file, "utf8").split("\n").slice(2).join("\n");
  const drifted = body(freshTypes) !== body(committedTypes);
  rmSync(freshTypes, { force: true });
  if (drifted) die("binding types drifted from wrangler.toml: run `npm run types` and commit the result");
  log("deploy checks passed");
} finally {
  rmSync(outdir, { recursive: true, force: true });
  rmSync(freshTypes, { force: true });
}
