// Playwright globalSetup for the browser tests: checks for Chromium, then starts one offline `wrangler dev` on a
// free port with a fresh local state directory, migrated first (scripts/lib/d1-migrate.mjs), and hands its origin to the test workers in
// $ROOST_E2E_BASE_URL (read it through ./harness). The returned teardown kills wrangler's whole process group
// (workerd included) and deletes the state.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { bin, offlineEnv, root } from "../../scripts/common.mjs";
import { findChromium } from "../../scripts/lib/chromium.mjs";
import { migrateLocal } from "../../scripts/lib/d1-migrate.mjs";

const logFile = path.join(root, "test-results", "e2e-wrangler.log");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

async function waitUntilAnswering(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`wrangler dev exited early (${child.exitCode ?? child.signalCode}). Log ${logFile}:\n${tail(logFile)}`);
    }
    try {
      const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(5000) });
      await response.arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`wrangler dev did not answer ${url} within ${timeoutMs / 1000}s. Log ${logFile}:\n${tail(logFile)}`);
}

export default async function setup() {
  if (!findChromium()) {
    if (process.env.CI) {
      throw new Error("Chromium not found (`command -v chromium` failed): the browser tests cannot run. Install it with `apt-get install -y chromium`.");
    }
    const bar = "!".repeat(78);
    console.warn(
      `\n${bar}\n!!  Chromium not found (\`command -v chromium\`): SKIPPING the browser tests.\n!!  Install it with \`apt-get install -y chromium\` (CI fails instead of skipping).\n${bar}\n`,
    );
    return;
  }

  const stateDir = mkdtempSync(path.join(os.tmpdir(), "roost-e2e-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // The secret goes in an env file rather than on the command line (visible in ps). Passing --env-file also
  // makes wrangler skip the developer's .dev.vars, so a local MAIL_API_URL there can never send real mail.
  const envFile = path.join(stateDir, "e2e.env");
  writeFileSync(envFile, `SECRET_KEY=${randomBytes(32).toString("hex")}\n`, { mode: 0o600 });

  // The same result as `wrangler d1 migrations apply DB --local --persist-to <stateDir>`, in one runtime
  // instead of one per migration file (about 90 s on a loaded 2-core machine, against seconds): d1-migrate.mjs.
  const migrateStarted = performance.now();
  try {
    const count = await migrateLocal(stateDir);
    console.log(`[e2e] ${count} migrations applied in ${((performance.now() - migrateStarted) / 1000).toFixed(1)}s`);
  } catch (error) {
    rmSync(stateDir, { recursive: true, force: true });
    throw new Error(`applying the D1 migrations failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  mkdirSync(path.dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile);
  const wrangler = spawn(
    bin("wrangler"),
    [
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      stateDir,
      "--env-file",
      envFile,
      // Mail links are built from BASE_URL; point them at this server (tests still rewrite origins, see harness).
      "--var",
      `BASE_URL:${baseUrl}`,
      // One browser "IP" registers and posts far faster than people do; abuse limits have their own tests.
      "--var",
      "RATE_REGISTRATIONS_PER_HOUR:100000",
      "--var",
      "RATE_POSTS_PER_MINUTE:100000",
      "--var",
      "RATE_COMMENTS_PER_MINUTE:100000",
      "--show-interactive-dev-session=false",
      "--log-level",
      "info",
    ],
    // Detached: its own process group, so teardown can kill wrangler and its workerd children in one go.
    { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...offlineEnv } },
  );
  wrangler.stdout!.pipe(log);
  wrangler.stderr!.pipe(log);

  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-wrangler.pid!, signal);
    } catch {
      // ESRCH: already gone.
    }
  };
  // Last resort if Playwright is interrupted before teardown runs.
  const onExit = () => killGroup("SIGKILL");
  process.on("exit", onExit);

  const teardown = async () => {
    process.off("exit", onExit);
    if (wrangler.exitCode === null && wrangler.signalCode === null) {
      const exited = new Promise((resolve) => wrangler.once("exit", resolve));
      killGroup("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    }
    // Whatever survived SIGTERM (or a workerd orphaned by a crashed wrangler) goes now.
    killGroup("SIGKILL");
    log.end();
    rmSync(stateDir, { recursive: true, force: true });
  };

  try {
    const started = performance.now();
    await waitUntilAnswering(`${baseUrl}/`, wrangler, 120_000);
    console.log(
      `[e2e] wrangler dev answering at ${baseUrl} after ${((performance.now() - started) / 1000).toFixed(1)}s (log: ${path.relative(root, logFile)})`,
    );
  } catch (error) {
    await teardown();
    throw error;
  }

  // Workers start after this returns and inherit the environment.
  process.env.ROOST_E2E_BASE_URL = baseUrl;
  // Per-run scratch space the workers share (the administrator account's registration lock, ./accounts).
  process.env.ROOST_E2E_STATE_DIR = stateDir;
  return teardown;
}
