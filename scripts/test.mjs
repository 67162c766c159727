// `npm test`: everything CI checks, in order, stopping at the first failing stage: install (when stale), assets,
// typecheck (the binding types generated when stale, then tsc), lint + format (biome), the dependency rule
// (dependency-cruiser), deploy checks (bundle size), the scripts' own tests (node --test scripts/lib/), unit + integration tests (vitest-pool-workers),
// browser tests (@playwright/test, playwright.config.ts).
// Prints each stage's time and ends with one "tests: N passed, N failed, N skipped" line.
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { bin, copyAssets, ensureInstall, ensureTypes, fail, formatSeconds, log, root, run } from "./common.mjs";

const resultsDir = path.join(root, "test-results");
const timings = [];
const totals = { passed: 0, failed: 0, skipped: 0, ran: false };

/** Adds up the counts from vitest's JSON reporter; false when vitest wrote no report (it crashed first). */
function countResults(file) {
  if (!existsSync(file)) return false;
  const report = JSON.parse(readFileSync(file, "utf8"));
  totals.ran = true;
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  return true;
}

/**
 * The same from Playwright's JSON reporter: `expected` passed (or failed as marked), `unexpected` failed,
 * `flaky` passed only on a retry (the config allows none, so this stays 0; counted as failed if it ever is not).
 */
function countPlaywrightResults(file) {
  if (!existsSync(file)) return false;
  const { stats = {} } = JSON.parse(readFileSync(file, "utf8"));
  totals.ran = true;
  totals.passed += stats.expected ?? 0;
  totals.failed += (stats.unexpected ?? 0) + (stats.flaky ?? 0);
  totals.skipped += stats.skipped ?? 0;
  return true;
}

/** The same from Node's test runner's TAP summary ("# pass N", "# fail N", "# skipped N", "# todo N"). */
function countNodeTestResults(file) {
  if (!existsSync(file)) return false;
  const tap = readFileSync(file, "utf8");
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, "m").exec(tap)?.[1] ?? 0);
  totals.ran = true;
  totals.passed += count("pass");
  totals.failed += count("fail") + count("cancelled");
  totals.skipped += count("skipped") + count("todo");
  return true;
}

function vitestArgs(name, extra = []) {
  const report = path.join(resultsDir, `${name}.json`);
  rmSync(report, { force: true });
  // passed-only: the app's per-request JSON logs would bury the results; a failing test still shows its logs.
  const args = ["run", ...extra, "--silent=passed-only", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`];
  return { report, args };
}

const stages = [
  [
    "install",
    async () => {
      await ensureInstall();
      return 0;
    },
  ],
  [
    "assets",
    async () => {
      copyAssets();
      return 0;
    },
  ],
  // The binding types are generated (from wrangler.toml), not committed: made here when missing or stale.
  ["typecheck", async () => (await ensureTypes()) || run(bin("tsc"), ["--noEmit", "-p", "tsconfig.json"])],
  // Format, lint and import order (biome.json); then the dependency rule: no cycles, features only through
  // their front doors, framework-free src/lib (.dependency-cruiser.cjs).
  ["lint", () => run(bin("biome"), ["check", "--max-diagnostics=50", "."])],
  ["deps", () => run(process.execPath, [path.join(root, "scripts", "check-deps.mjs")])],
  ["deploy-check", () => run(process.execPath, [path.join(root, "scripts", "deploy-check.mjs")])],
  [
    // Plain-Node tests of the seed/bench helpers (scripts/lib/*.test.mjs): the list on screen, TAP to a file.
    "scripts",
    async () => {
      const report = path.join(resultsDir, "scripts.tap");
      rmSync(report, { force: true });
      const args = ["--test", "--test-reporter=spec", "--test-reporter-destination=stdout", "--test-reporter=tap", `--test-reporter-destination=${report}`];
      const code = await run(process.execPath, [...args, "scripts/lib/"]);
      countNodeTestResults(report);
      return code;
    },
  ],
  [
    "unit",
    async () => {
      const { report, args } = vitestArgs("unit");
      const code = await run(bin("vitest"), args);
      countResults(report);
      return code;
    },
  ],
  [
    "e2e",
    async () => {
      const report = path.join(resultsDir, "e2e.json");
      rmSync(report, { force: true });
      const code = await run(bin("playwright"), ["test", "--reporter=list,json"], { env: { PLAYWRIGHT_JSON_OUTPUT_FILE: report } });
      countPlaywrightResults(report);
      return code;
    },
  ],
];

function summary() {
  console.log("\nStage times:");
  for (const [name, ms, ok] of timings) console.log(`  ${ok ? "✓" : "✗"} ${name.padEnd(10)} ${formatSeconds(ms)}`);
  if (totals.ran) console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
}

mkdirSync(resultsDir, { recursive: true });
const started = performance.now();
for (const [name, stage] of stages) {
  log(`stage: ${name}`);
  const stageStarted = performance.now();
  let code;
  try {
    code = await stage();
  } catch (error) {
    console.error(error);
    code = 1;
  }
  timings.push([name, performance.now() - stageStarted, code === 0]);
  if (code !== 0) {
    summary();
    fail(`npm test FAILED at stage "${name}" (exit ${code}) after ${formatSeconds(performance.now() - started)}`);
    process.exit(1);
  }
}
log(`all stages passed in ${formatSeconds(performance.now() - started)}`);
summary();
