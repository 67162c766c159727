// tracker.js in a real browser, on a static page served here (it needs no Roost server): opt-in outbound-link
// and file-download clicks, the "404" event a page asks for, and nothing at all sent under Do Not Track or
// Global Privacy Control. sendBeacon and fetch are wrapped to record what the script hands them, and the
// network is watched too, so "nothing sent" means no request left the page.
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "@playwright/test";
import { browserAvailable, expect, NO_BROWSER, test } from "./fixtures";

const TRACKER = readFileSync(new URL("../../public/tracker.js", import.meta.url), "utf8");
const UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

let server: http.Server;
let origin = "";
/** The script tag's attributes and extra head markup for the next page served. */
let page = { attrs: "", head: "" };

test.beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/tracker.js") {
      res.writeHead(200, { "Content-Type": "text/javascript" });
      return res.end(TRACKER);
    }
    if (path.startsWith("/sites/")) {
      res.writeHead(204);
      return res.end();
    }
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>${page.head}
<script defer src="/tracker.js" data-site="7" ${page.attrs}></script></head><body>
<a id="out" href="https://elsewhere.example/page">Elsewhere</a>
<a id="pdf" href="/files/Annual%20report.pdf">Report</a>
<a id="csv" href="/files/data.csv">Data</a>
<a id="dl" href="/export?id=3" download>Export</a>
<a id="in" href="/about">About</a>
<script>document.addEventListener("click", function (e) { e.preventDefault(); });</script>
</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

/** Records every body handed to sendBeacon or fetch, as parsed JSON, in window.__sent. */
const RECORDER = `
  window.__sent = [];
  const beacon = navigator.sendBeacon.bind(navigator);
  navigator.sendBeacon = (url, blob) => { window.__sent.push(blob.text()); return beacon(url, blob); };
  const f = window.fetch;
  window.fetch = (url, init) => { window.__sent.push(Promise.resolve(init && init.body)); return f(url, init); };
`;

async function visit(browser: Browser, opts: { attrs?: string; head?: string; privacy?: "dnt" | "gpc" } = {}) {
  page = { attrs: opts.attrs ?? "", head: opts.head ?? "" };
  const context = await browser.newContext({ userAgent: UA });
  if (opts.privacy === "dnt") await context.addInitScript(() => Object.defineProperty(Navigator.prototype, "doNotTrack", { get: () => "1" }));
  if (opts.privacy === "gpc") await context.addInitScript(() => Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true }));
  await context.addInitScript(RECORDER);
  const p = await context.newPage();
  const requests: string[] = [];
  p.on("request", (r) => {
    if (new URL(r.url()).pathname.startsWith("/sites/")) requests.push(r.url());
  });
  await p.goto(`${origin}/`);
  await p.waitForFunction(() => typeof (window as { roost?: unknown }).roost === "object");
  const events = async () =>
    (await p.evaluate(() => Promise.all((window as unknown as { __sent: Promise<string>[] }).__sent))).map((b) => JSON.parse(b).event as string);
  return { p, requests, events, close: () => context.close() };
}

test.describe("tracker.js in the browser", () => {
  test.skip(!browserAvailable, NO_BROWSER);

  test("sends only pageviews and custom events by default: clicks are not tracked unless asked for", async ({ browser }) => {
    const v = await visit(browser);
    for (const id of ["#out", "#pdf", "#dl", "#in"]) await v.p.click(id);
    await v.p.evaluate(() => (window as unknown as { roost: { track(n: string): void } }).roost.track("signup"));
    await expect.poll(v.events).toEqual(["pageview", "signup"]);
    await expect.poll(() => v.requests.length).toBe(2);
    await v.close();
  });

  test("sends a custom event's props with it, and none with pageviews", async ({ browser }) => {
    const v = await visit(browser);
    await v.p.evaluate(() =>
      (window as unknown as { roost: { track(n: string, o?: unknown): void } }).roost.track("signup", { props: { plan: "pro", seats: 3 } }),
    );
    await v.p.evaluate(() => (window as unknown as { roost: { track(n: string, o?: unknown): void } }).roost.track("plain"));
    const bodies = async () =>
      (await v.p.evaluate(() => Promise.all((window as unknown as { __sent: Promise<string>[] }).__sent))).map((b) => {
        const { event, props } = JSON.parse(b);
        return { event, props };
      });
    await expect.poll(bodies).toEqual([
      { event: "pageview", props: undefined },
      { event: "signup", props: { plan: "pro", seats: 3 } },
      { event: "plain", props: undefined },
    ]);
    await v.close();
  });

  test("records outbound links and downloads when the script tag opts in", async ({ browser }) => {
    const v = await visit(browser, { attrs: "data-outbound data-downloads" });
    await v.p.click("#out");
    await v.p.click("#pdf");
    await v.p.click("#dl");
    await v.p.click("#in"); // same host, not a file: nothing
    await v.p.click("#out", { button: "middle" }); // opening in a new tab counts too
    await expect
      .poll(v.events)
      .toEqual(["pageview", "outbound:elsewhere.example", "download:Annual_20report.pdf", "download:export", "outbound:elsewhere.example"]);
    // Every name passes the beacon's event-name rule.
    for (const e of await v.events()) expect(e).toMatch(/^[A-Za-z0-9][A-Za-z0-9 _.:/-]{0,63}$/);
    await v.close();
  });

  test("takes the file types from data-downloads when given", async ({ browser }) => {
    const v = await visit(browser, { attrs: 'data-downloads="csv, zip"' });
    await v.p.click("#pdf");
    await v.p.click("#csv");
    await expect.poll(v.events).toEqual(["pageview", "download:data.csv"]);
    await v.close();
  });

  test("sends a 404 event with the pageview when the page says it is one", async ({ browser }) => {
    for (const opts of [{ attrs: "data-404" }, { head: '<meta name="roost-404" content="">' }]) {
      const v = await visit(browser, opts);
      await expect.poll(v.events).toEqual(["pageview", "404"]);
      await v.close();
    }
  });

  for (const privacy of ["dnt", "gpc"] as const) {
    test(`sends nothing at all under ${privacy === "dnt" ? "Do Not Track" : "Global Privacy Control"}`, async ({ browser }) => {
      const v = await visit(browser, { attrs: "data-outbound data-downloads data-404", privacy });
      await v.p.click("#out");
      await v.p.click("#pdf");
      await v.p.evaluate(() => (window as unknown as { roost: { track(n: string): void } }).roost.track("signup"));
      await v.p.evaluate(() => history.pushState({}, "", "/next"));
      await v.p.waitForTimeout(500);
      expect(await v.events()).toEqual([]);
      expect(v.requests).toEqual([]);
      await v.close();
    });
  }
});
