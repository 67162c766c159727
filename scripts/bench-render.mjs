// `npm run bench:render -- [--seconds S]`: renders each page's JSX (scripts/render/pages.tsx: the site layout
// around each page, with fixture data) in Node, with no server and no database, and prints renders per second
// and the HTML size, so a slow view shows up on its own. The target (issue 16) is 2,000 renders/s per page.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
// esbuild comes with wrangler (the same pinned version bundles the app).
import { build } from "esbuild";
import { log, root } from "./common.mjs";

const TARGET = 2000;
const { values } = parseArgs({ options: { seconds: { type: "string", default: "2" } } });
const seconds = Number(values.seconds);

const outfile = path.join(root, ".tmp", "bench", "render-pages.mjs");
mkdirSync(path.dirname(outfile), { recursive: true });
await build({
  entryPoints: [path.join(root, "scripts", "render", "pages.tsx")],
  bundle: true,
  format: "esm",
  platform: "node",
  outfile,
  jsx: "automatic",
  jsxImportSource: "hono/jsx",
  logLevel: "warning",
});
const { pages } = await import(pathToFileURL(outfile).href);

log(`each page for ${seconds} s after a warm-up; Node ${process.version}`);
const rows = [];
for (const { name, render } of pages) {
  for (let i = 0; i < 200; i++) render(); // JIT warm-up
  let n = 0;
  let bytes = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    bytes = render().length;
    n += 1;
  }
  const perSecond = n / ((performance.now() - start) / 1000);
  rows.push({ name, perSecond, bytes });
  console.log(
    `${name.padEnd(28)} ${Math.round(perSecond).toLocaleString("en").padStart(8)} renders/s  ${(1000 / perSecond).toFixed(3)} ms  ${bytes.toLocaleString("en").padStart(7)} chars  ${perSecond >= TARGET ? "ok" : `below ${TARGET}/s`}`,
  );
}
