// `npm start`: one command from a fresh clone to a running local Roost. Installs when stale, copies htmx into
// public/, creates .dev.vars (SECRET_KEY) on first run, applies D1 migrations locally, then runs `wrangler dev`
// offline on 127.0.0.1:$PORT (default 8787) and says where to go once the first page answers.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { bin, copyAssets, ensureDevVars, ensureInstall, fail, formatSeconds, log, offlineEnv, root, run } from "./common.mjs";

const started = performance.now();
const host = "127.0.0.1";
const port = Number(process.env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  fail(`PORT must be a TCP port number, got ${JSON.stringify(process.env.PORT)}`);
  process.exit(2);
}
const origin = `http://${host}:${port}`;

/** The admin address from wrangler.toml's top-level [vars], so the hint cannot drift from the config. */
function adminEmail() {
  const toml = readFileSync(path.join(root, "wrangler.toml"), "utf8");
  return /^ADMIN_EMAIL\s*=\s*"([^"]+)"/m.exec(toml)?.[1] ?? "admin@example.com";
}

function portIsFree() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

async function prepare() {
  await ensureInstall();
  copyAssets();
  if (ensureDevVars()) log("created .dev.vars with a new random SECRET_KEY");
  if (!(await portIsFree())) {
    throw new Error(`${host}:${port} is already in use (another wrangler dev?). Stop it or run with PORT=<other port>.`);
  }
  log("applying D1 migrations to the local database");
  // CI=true and no stdin: wrangler answers its "continue?" prompt itself instead of waiting for a keypress.
  const code = await run(bin("wrangler"), ["d1", "migrations", "apply", "DB", "--local"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...offlineEnv, CI: "true" },
  });
  if (code !== 0) throw new Error(`wrangler d1 migrations apply failed (exit ${code})`);
}

try {
  await prepare();
} catch (error) {
  fail(error.message);
  process.exit(1);
}

const args = ["dev", "--ip", host, "--port", String(port), "--show-interactive-dev-session=false"];
// Mail links are built from BASE_URL; keep them pointing at this server when PORT moves it.
if (port !== 8787) args.push("--var", `BASE_URL:${origin}`);

const devStarted = performance.now();
// Detached = its own process group, so one kill(-pid) also reaches wrangler's workerd children, and a
// terminal Ctrl-C reaches wrangler only through us (once), not twice.
const wrangler = spawn(bin("wrangler"), args, {
  cwd: root,
  detached: true,
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, ...offlineEnv },
});
let exited = false;

function killGroup(signal) {
  try {
    process.kill(-wrangler.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

wrangler.on("exit", (code, signal) => {
  exited = true;
  killGroup("SIGKILL"); // any workerd left behind by a wrangler that died abruptly
  process.exit(code ?? (signal === "SIGINT" || signal === "SIGTERM" ? 0 : 1));
});
process.on("exit", () => {
  if (!exited) killGroup("SIGKILL");
});

let firstSignalAt = 0;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    // npm forwards the terminal's SIGINT to us as well, so one Ctrl-C can arrive twice within a moment;
    // a later, deliberate second signal means "stop now".
    const now = Date.now();
    if (firstSignalAt === 0) {
      firstSignalAt = now;
      log("stopping wrangler dev…");
      killGroup(signal);
      setTimeout(() => killGroup("SIGKILL"), 10_000).unref();
    } else if (now - firstSignalAt > 1000) {
      killGroup("SIGKILL");
    }
  });
}

/** Polls GET / until the server answers with any HTTP status. */
async function waitForFirstPage(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!exited && Date.now() < deadline) {
    try {
      const response = await fetch(`${origin}/`, { redirect: "manual", signal: AbortSignal.timeout(5000) });
      await response.arrayBuffer();
      return response.status;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return undefined;
}

const status = await waitForFirstPage(120_000);
if (status === undefined) {
  if (!exited) {
    fail(`wrangler dev did not answer on ${origin} within 120s; stopping it`);
    killGroup("SIGTERM");
  }
} else {
  const now = performance.now();
  const line = "─".repeat(60);
  console.log(`\n${line}`);
  console.log(`  Roost is running at ${origin}`);
  console.log(`  Dev mailbox: ${origin}/dev/mail`);
  console.log(`  Register as ${adminEmail()} and use its confirmation link to become Administrator`);
  console.log(
    `  Startup took ${formatSeconds(now - started)} to the first page ` + `(wrangler dev: ${formatSeconds(now - devStarted)}; GET / answered ${status})`,
  );
  if (status >= 500) console.log(`  Warning: the home page answered ${status}; see the log above.`);
  console.log("  Press Ctrl-C to stop.");
  console.log(`${line}\n`);
}
