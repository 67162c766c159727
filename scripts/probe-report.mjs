// `node scripts/probe-report.mjs [--runs N]`: the site report of the seeded demo site (npm run seed -- --visits N),
// unfiltered, with one filter and with two, requested one at a time through Miniflare's server on a frozen
// snapshot: each URL's median and best server time and D1 rows read (Server-Timing). Sequential requests on an
// otherwise idle server, so the numbers are latencies, not throughput (npm run bench has that).
import path from "node:path";
import { parseArgs } from "node:util";
import { buildSnapshot, startMiniflare, waitUntilAnswering } from "./lib/dev-server.mjs";
import { openLocalD1 } from "./lib/local-d1.mjs";
import { reportPath, visitsFixture } from "./seed-visits.mjs";

const root = path.resolve(import.meta.dirname, "..");
const { values, positionals } = parseArgs({ options: { runs: { type: "string", default: "7" } }, allowPositionals: true });
const runs = Number(values.runs);

const { db, close } = await openLocalD1();
const fixture = await visitsFixture(db);
await close();
if (!fixture) throw new Error("no analytics data: npm run seed -- --visits 1000000");
const snapshot = await buildSnapshot(path.join(root, ".tmp", "probe", "snapshot"));
const server = await startMiniflare({ logFile: path.join(root, ".tmp", "probe", "miniflare.log"), snapshot });
try {
  if (!(await waitUntilAnswering(server, `${server.origin}/hello`))) throw new Error("the server did not answer");
  const login = await fetch(`${server.origin}/auth/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: server.origin, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: fixture.ownerEmail, password: "password" }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => /session=./.test(c));
  const cases = [
    ["unfiltered", []],
    ["1 filter", ["country:is:DE"]],
    ["2 filters", ["country:is:DE", "page:contains:/blog"]],
    ["browser is", ["browser:is:Firefox"]],
    ["page is", ["page:is:/pricing"]],
    ["country is_not", ["country:is_not:DE"]],
  ];
  // Positional arguments pick cases by name ("1 filter"); none means all.
  for (const [name, filters] of cases.filter(([name]) => positionals.length === 0 || positionals.includes(name))) {
    const times = [];
    let rows = null;
    let queries = null;
    for (let i = 0; i < runs + 1; i++) {
      const started = performance.now();
      const res = await fetch(`${server.origin}${reportPath(fixture, filters)}`, { headers: { Cookie: cookie } });
      await res.text();
      const ms = performance.now() - started;
      const timing = res.headers.get("Server-Timing") ?? "";
      rows = /d1-rows;desc="(\d+) rows/.exec(timing)?.[1];
      queries = /d1;[^,]*desc="(\d+) quer/.exec(timing)?.[1];
      if (res.status !== 200) throw new Error(`${name}: ${res.status}`);
      if (i > 0) times.push(ms); // the first one warms up
    }
    times.sort((a, b) => a - b);
    console.log(
      `${name.padEnd(16)} p50 ${times[Math.floor(times.length / 2)].toFixed(0).padStart(6)} ms  min ${times[0].toFixed(0).padStart(6)} ms  ${queries} D1 queries  ${rows} rows read`,
    );
  }
} finally {
  await server.stop();
}
