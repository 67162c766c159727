// Shared steps for scripts/start.mjs and scripts/test.mjs: install when stale, copy assets, create .dev.vars,
// generate the binding types, run local tools from node_modules/.bin with wrangler kept offline. Plain Node ESM, no dependencies, so it
// works on a fresh clone before `npm install` has run.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// Wrangler phones home (metrics, error reports, the cf-object fetch) unless told not to; the machines this
// runs on reach only the package registries, so those calls would just hang or spam warnings.
export const offlineEnv = {
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  WRANGLER_HIDE_BANNER: "true",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

export function bin(name) {
  return path.join(root, "node_modules", ".bin", name);
}

export function log(message) {
  console.log(`\x1b[36m[roost]\x1b[0m ${message}`);
}

export function fail(message) {
  console.error(`\x1b[31m[roost] ${message}\x1b[0m`);
}

/** Runs a command with inherited stdio; resolves with its exit code (signals count as failure). */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: "inherit", ...options, env: { ...process.env, ...options.env } });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/**
 * Runs a local tool from node_modules/.bin offline and non-interactively (CI=true, no stdin: wrangler answers its
 * own "continue?" prompts), capturing stdout and stderr together for an error message. Resolves with the exit
 * code (signals count as failure) and the output; rejects only when the tool cannot be started at all.
 */
export function runTool(name, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin(name), args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...offlineEnv, CI: "true" } });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (error) => reject(new Error(`could not run ${name} (${error.message}): run npm install first`)));
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output: output.trim() }));
  });
}

function mtime(file) {
  return existsSync(file) ? statSync(file).mtimeMs : undefined;
}

/** True when node_modules is missing or older than package.json / package-lock.json. */
export function installIsStale() {
  const marker = mtime(path.join(root, "node_modules", ".package-lock.json"));
  if (marker === undefined) return true;
  return [path.join(root, "package.json"), path.join(root, "package-lock.json")].some((f) => (mtime(f) ?? 0) > marker);
}

export async function ensureInstall() {
  if (!installIsStale()) return;
  log("node_modules is missing or out of date: running npm install");
  const code = await run("npm", ["install", "--no-audit", "--no-fund"]);
  if (code !== 0) throw new Error(`npm install failed (exit ${code})`);
  // npm leaves the marker untouched when nothing changed; touch it so an edited-but-equivalent
  // package.json does not trigger an install on every start.
  const marker = path.join(root, "node_modules", ".package-lock.json");
  if (existsSync(marker)) {
    const now = new Date();
    utimesSync(marker, now, now);
  }
}

/** Copies htmx from its package into public/ (the app serves it itself, never from a CDN). */
export function copyAssets() {
  const source = path.join(root, "node_modules", "htmx.org", "dist", "htmx.min.js");
  if (!existsSync(source)) throw new Error(`${path.relative(root, source)} not found: run npm install first`);
  // wrangler dev refuses to start when the [assets] directory is missing.
  mkdirSync(path.join(root, "public"), { recursive: true });
  copyFileSync(source, path.join(root, "public", "htmx.min.js"));
}

/** The binding types tsc reads: generated, not committed (see docs/architecture.md, "Generated binding types"). */
export const typesFile = path.join(root, "src", "worker-configuration.d.ts");
// The secrets' names come from .dev.vars.example, never from a developer's .dev.vars, so every machine gets
// the same types. wrangler names the Worker's main module by a path relative to the output file.
export const typesArgs = ["types", path.relative(root, typesFile), "--include-runtime=false", "--env-file", ".dev.vars.example"];

/**
 * Generates src/worker-configuration.d.ts (`wrangler types`, offline, a few seconds) when it is missing or older
 * than what it is made from: wrangler.toml, .dev.vars.example, and the lock file that pins wrangler. Resolves
 * with wrangler's exit code (0 when the file was fresh already).
 */
export async function ensureTypes({ force = false } = {}) {
  const made = mtime(typesFile);
  const sources = ["wrangler.toml", ".dev.vars.example", "package-lock.json"].map((f) => mtime(path.join(root, f)) ?? 0);
  if (!force && made !== undefined && sources.every((m) => m <= made)) return 0;
  log("generating src/worker-configuration.d.ts from wrangler.toml (wrangler types)");
  // wrangler prints the whole file it writes: shown only when it fails.
  const { code, output } = await runTool("wrangler", typesArgs);
  if (code !== 0) fail(`wrangler types failed (exit ${code}):\n${output}`);
  return code;
}

/** Creates .dev.vars with a random SECRET_KEY on first run; never overwrites an existing one. */
export function ensureDevVars() {
  const file = path.join(root, ".dev.vars");
  if (existsSync(file)) return false;
  writeFileSync(file, `SECRET_KEY=${randomBytes(32).toString("hex")}\n`, { mode: 0o600 });
  return true;
}

export function formatSeconds(ms) {
  return `${(ms / 1000).toFixed(1)}s`;
}
