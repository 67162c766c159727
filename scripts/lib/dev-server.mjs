// A throwaway `wrangler dev` for scripts (the benchmark): offline, on 127.0.0.1 and a free port, over the same
// local state as `npm start`, in its own process group so that one kill reaches wrangler AND its workerd children,
// also when the script is interrupted.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, copyFileSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { bin, offlineEnv, root, runTool } from "../common.mjs";
import { persistRoot } from "./local-d1.mjs";

export const HOST = "127.0.0.1";

/** A port nobody listens on right now (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Freezes what wrangler dev would serve into `dir`: the Worker bundled once (`wrangler deploy --dry-run --outdir`,
 * nothing is uploaded), plus copies of wrangler.toml and public/. wrangler dev watches its script, config and
 * assets and restarts the runtime when any of them changes; serving copies means edits to the project during a
 * run (colleagues save files all the time) cannot restart it halfway through a measurement.
 */
export async function buildSnapshot(dir) {
  rmSync(dir, { recursive: true, force: true });
  const outDir = path.join(dir, "build");
  const { code, output } = await runTool("wrangler", ["deploy", "--dry-run", "--outdir", outDir]);
  if (code !== 0 || !existsSync(path.join(outDir, "index.js"))) {
    throw new Error(`bundling the Worker failed (wrangler deploy --dry-run, exit ${code}):\n${output}`);
  }
  // The config's relative paths (assets directory = "./public") resolve next to the copy, i.e. to the copied assets.
  copyFileSync(path.join(root, "wrangler.toml"), path.join(dir, "wrangler.toml"));
  cpSync(path.join(root, "public"), path.join(dir, "public"), { recursive: true });
  return { script: path.join(outDir, "index.js"), config: path.join(dir, "wrangler.toml") };
}

/**
 * Starts wrangler dev detached (its own process group) with its output in `logFile`, serving a snapshot from
 * buildSnapshot over the project's own local state (.wrangler/state) and secrets (.dev.vars). The caller must call
 * `stop()`; a process "exit" hook SIGKILLs the group as a last resort.
 */
export async function startWranglerDev({ logFile, snapshot, vars = {} }) {
  const port = await freePort();
  const inspectorPort = await freePort(); // the default 9229 may belong to another wrangler dev
  const origin = `http://${HOST}:${port}`;
  const args = [
    "dev",
    snapshot.script,
    "--no-bundle",
    "--config",
    snapshot.config,
    "--persist-to",
    persistRoot,
    "--ip",
    HOST,
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--show-interactive-dev-session=false",
    "--var",
    `BASE_URL:${origin}`,
    ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
  ];
  // The copied config has no .dev.vars beside it: point at the project's. Without one (npm start never ran),
  // use a throwaway SECRET_KEY.
  const devVars = path.join(root, ".dev.vars");
  if (existsSync(devVars)) args.push("--env-file", devVars);
  else args.push("--var", `SECRET_KEY:${randomBytes(32).toString("hex")}`);

  mkdirSync(path.dirname(logFile), { recursive: true });
  const out = openSync(logFile, "w");
  const child = spawn(bin("wrangler"), args, {
    cwd: root,
    detached: true,
    stdio: ["ignore", out, out],
    env: { ...process.env, ...offlineEnv },
  });
  closeSync(out);
  return processHandle(child, origin);
}

/**
 * Starts the same snapshot through Miniflare's own HTTP server (scripts/lib/miniflare-server.mjs) in its own
 * process group: no wrangler proxy in front, one workerd. By default the same state directory and .dev.vars as
 * startWranglerDev, and the same handle (origin, pid, isRunning, kill, stop). `vars` are added to the Worker's
 * vars (as wrangler dev's --var). For a throwaway instance (the two-instance federation test): `persistTo`, its
 * own state directory; `migrate`, apply the D1 migrations there before it answers; `devVars: false`, ignore the
 * developer's .dev.vars (a MAIL_API_URL there would send real mail) and use a random SECRET_KEY. `port` picks
 * the port (default: a free one). Wait for it with waitUntilReady.
 */
export async function startMiniflare({ logFile, snapshot, vars = {}, persistTo, migrate = false, devVars = true, port: wanted }) {
  const port = wanted ?? (await freePort());
  const origin = `http://${HOST}:${port}`;
  const args = [path.join(root, "scripts", "lib", "miniflare-server.mjs"), snapshot.script, snapshot.config, String(port)];
  const envFile = path.join(root, ".dev.vars");
  const useEnvFile = devVars && existsSync(envFile);
  if (useEnvFile) args.push(envFile);
  mkdirSync(path.dirname(logFile), { recursive: true });
  const out = openSync(logFile, "w");
  const child = spawn(process.execPath, args, {
    cwd: root,
    detached: true,
    stdio: ["ignore", out, out],
    env: {
      ...process.env,
      ...offlineEnv,
      ...(useEnvFile ? {} : { SECRET_KEY: randomBytes(32).toString("hex") }),
      ...(persistTo ? { ROOST_PERSIST_ROOT: persistTo } : {}),
      ...(migrate ? { ROOST_MIGRATE: "1" } : {}),
      ROOST_EXTRA_VARS: JSON.stringify(vars),
    },
  });
  closeSync(out);
  return processHandle(child, origin);
}

/**
 * Waits for miniflare-server.mjs's "ready <origin>" line in its log (printed after the migrations, when asked
 * for: the port answers before that). Throws with the log's tail when it exited or the time ran out.
 */
export async function waitUntilReady(server, logFile, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  const log = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");
  while (!log().includes(`ready ${server.origin}`)) {
    if (!server.isRunning() || Date.now() > deadline) {
      const why = server.isRunning() ? `not ready within ${timeoutMs / 1000} s` : "exited";
      throw new Error(`Miniflare's server for ${server.origin} ${why}. Log ${logFile}:\n${log().split("\n").slice(-30).join("\n")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The handle of a server in its own process group: a process "exit" hook SIGKILLs the group as a last resort. */
function processHandle(child, origin) {
  let exited = false;
  const exitedPromise = new Promise((resolve) =>
    child.on("exit", (code, signal) => {
      exited = true;
      resolve({ code, signal });
    }),
  );
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  };
  process.on("exit", () => killGroup("SIGKILL"));
  return {
    origin,
    pid: child.pid,
    isRunning: () => !exited,
    /** SIGKILL the whole group now. */
    kill: () => killGroup("SIGKILL"),
    /** SIGTERM the whole group, SIGKILL whatever is left after 5 s (workerd children included). */
    async stop() {
      if (!exited) {
        killGroup("SIGTERM");
        await Promise.race([exitedPromise, new Promise((resolve) => setTimeout(resolve, 5000))]);
      }
      killGroup("SIGKILL");
    },
  };
}

/** Polls `url` until the server answers with any HTTP status; false when it died or the time ran out. */
export async function waitUntilAnswering(server, url, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (server.isRunning() && Date.now() < deadline) {
    try {
      const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(5000) });
      await response.arrayBuffer();
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return false;
}

/** pid → { ppid, comm } for every process we can see. */
function processTable() {
  const table = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // comm is in parentheses and may contain spaces; the fields after the last ")" are fixed.
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const ppid = Number(stat.slice(close + 2).split(" ")[1]);
      table.set(Number(entry), { ppid, comm });
    } catch {
      // the process ended while we were looking
    }
  }
  return table;
}

/**
 * Which runtime a workerd is: wrangler's proxy listens on the public --port itself; the app's runtime is the one
 * with the inspector attached.
 */
function workerdRole(pid) {
  const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  return args.some((a) => a.startsWith("--inspector-addr")) ? "app" : "proxy";
}

/** Miniflare's server runs one workerd, with no inspector: that one is the app. */
function rolesOf(found) {
  return found.length === 1 ? [{ ...found[0], role: "app" }] : found;
}

function statusKb(pid, field) {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) : 0;
}

/**
 * Peak (VmHWM) and current (VmRSS) resident memory of every workerd process under `rootPid`. wrangler dev runs
 * more than one: the user worker's runtime and its own proxy runtime.
 */
export function workerdMemory(rootPid) {
  const table = processTable();
  const children = new Map();
  for (const [pid, { ppid }] of table) {
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(pid);
  }
  const found = [];
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.shift();
    for (const child of children.get(pid) ?? []) {
      queue.push(child);
      if (table.get(child).comm.startsWith("workerd")) {
        try {
          found.push({ pid: child, role: workerdRole(child), peakKb: statusKb(child, "VmHWM"), rssKb: statusKb(child, "VmRSS") });
        } catch {
          // exited meanwhile
        }
      }
    }
  }
  return rolesOf(found);
}
