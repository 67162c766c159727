// `node scripts/probe-report.mjs [--runs N]`: the site report of the seeded demo site (npm run seed -- --visits N),
// unfiltered, with one filter and with two, requested one at a time through Miniflare's server on a frozen
// snapshot: each URL's median and best server time and D1 rows read (Server-Timing), and its median as a ratio to
// the unfiltered one. Sequential requests, round-robin over the cases, so the numbers are latencies, not throughput
// (npm run bench has that).
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
    ["2 filters pair", ["country:is:DE", "device:is:mobile"]],
    ["browser is", ["browser:is:Firefox"]],
    ["page is", ["page:is:/pricing"]],
    ["country is_not", ["country:is_not:DE"]],
  ];
  // Positional arguments pick cases by name ("1 filter"); none means all. Round-robin: each round requests every
  // case once, so the load of other processes drifting during the run weighs on all cases alike.
  const picked = cases.filter(([name]) => positionals.length === 0 || positionals.includes(name));
  const results = picked.map(([name, filters]) => ({ name, filters, times: [], rows: null, queries: null }));
  for (let i = 0; i < runs + 1; i++) {
    for (const r of results) {
      const started = performance.now();
      const res = await fetch(`${server.origin}${reportPath(fixture, r.filters)}`, { headers: { Cookie: cookie } });
      await res.text();
      const ms = performance.now() - started;
      const timing = res.headers.get("Server-Timing") ?? "";
      r.rows = /d1-rows;desc="(\d+) rows/.exec(timing)?.[1];
      r.queries = /d1;[^,]*desc="(\d+) quer/.exec(timing)?.[1];
      if (res.status !== 200) throw new Error(`${r.name}: ${res.status}`);
      if (i > 0) r.times.push(ms); // the first round warms up
    }
  }
  const median = (times) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
  const base = results.find((r) => r.name === "unfiltered");
  for (const r of results) {
    const p50 = median(r.times);
    const ratio = base ? `  ${(p50 / median(base.times)).toFixed(2)}× unfiltered` : "";
    console.log(
      `${r.name.padEnd(16)} p50 ${p50.toFixed(0).padStart(6)} ms  min ${Math.min(...r.times)
        .toFixed(0)
        .padStart(6)} ms  ${r.queries} D1 queries  ${r.rows} rows read${ratio}`,
    );
  }
} finally {
  await server.stop();
}
