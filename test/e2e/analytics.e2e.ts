// Site analytics in a real browser: a member adds a site whose base URL is a static page served from
// 127.0.0.1 inside this test, pastes the snippet the site page shows into that page, a visitor (another browser
// context) reads two pages and clicks a button that sends a custom event, and the member's report shows the
// visit once wrangler dev's local queue consumer has stored it. Also: no CSP violation or serious axe finding on
// the analytics pages, and rename / delete through the UI.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "@playwright/test";
import { expectPath, h1 } from "./accounts";
import { seriousAxeFindings } from "./axe";
import { browserAvailable, expect, NO_BROWSER, test } from "./fixtures";
import { baseUrl } from "./harness";

/** A desktop Chrome: the headless default says "HeadlessChrome", which the beacon rightly drops as a bot. */
const VISITOR_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

let snippet = "";
let server: http.Server;
let staticOrigin = "";

/** The tracked site: two pages with whatever snippet the member pasted, and a button that sends an event. */
function staticPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>${snippet}</head>
<body><h1>${title}</h1>${body}</body></html>`;
}

test.beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const pages: Record<string, string> = {
      "/": staticPage("Static test site", '<p><a href="/pricing">Pricing</a></p>'),
      "/pricing": staticPage(
        "Pricing",
        `<button id="signup" type="button">Sign up</button>
<script>document.getElementById("signup").addEventListener("click", function () { window.roost.track("signup"); });</script>`,
      ),
    };
    const html = pages[path];
    res.writeHead(html ? 200 : 404, { "Content-Type": "text/html; charset=utf-8" });
    res.end(html ?? "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  staticOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

/** The number after a stat's label on the report, e.g. stat(page, "Pageviews"). */
async function stat(page: Page, label: string): Promise<string> {
  return (await page
    .locator(".totals div", { has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) })
    .locator("dd")
    .first() // the second dd is the change from the previous period
    .textContent())!.trim();
}

async function topValues(page: Page, heading: string): Promise<string[]> {
  return page
    .locator(".top-panel", { has: page.getByRole("heading", { name: heading, exact: true }) })
    .locator(".top-value")
    .allTextContents();
}

async function audit(page: Page, path: string) {
  const res = await page.goto(path);
  expect(res?.status(), path).toBe(200);
  await page.waitForFunction(() => typeof (window as { htmx?: unknown }).htmx === "object");
  return (await seriousAxeFindings(page)).map((v) => `${path}: ${v.id} ${v.targets.join(", ")}`);
}

test.describe("site analytics in the browser", () => {
  test.skip(!browserAvailable, NO_BROWSER);

  test("installs the snippet on a static page, records a visit and an event, and shows them in the report", async ({ registerConfirmedUser }) => {
    const member = await registerConfirmedUser({ keepPage: true });
    const page = member.page!;
    const cspViolations: string[] = [];
    page.on("console", (msg) => {
      if (msg.type() === "error" && /Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
    });

    // Add the site from the nav's Sites link.
    await page.goto("/");
    await page.getByRole("link", { name: "Sites", exact: true }).click();
    await expectPath(page, "/sites");
    await page.getByLabel("Name", { exact: true }).fill("Static test site");
    await page.getByLabel("Base URL", { exact: true }).fill(staticOrigin);
    await page.getByRole("button", { name: "Add site", exact: true }).click();
    await h1(page, "Static test site").waitFor();
    const siteId = /^\/sites\/(\d+)$/.exec(new URL(page.url()).pathname)?.[1];
    expect(siteId).toBeTruthy();

    // The snippet, copied as shown, points at this server (BASE_URL) and this site.
    snippet = (await page.locator(".snippet pre code").textContent())!;
    expect(snippet).toContain(`<script defer src="${baseUrl}/tracker.js" data-site="${siteId}"></script>`);
    expect(snippet).toContain(`<noscript><img src="${baseUrl}/sites/${siteId}/visit"`);

    // A visitor in another browser (no cookies shared) arrives from a news site, reads two pages, signs up.
    const browser = page.context().browser() as Browser;
    const visitorContext = await browser.newContext({ userAgent: VISITOR_UA });
    const visitor = await visitorContext.newPage();
    const beaconUrl = `${baseUrl}/sites/${siteId}/visit`;
    const hits: string[] = [];
    visitor.on("request", (req) => {
      if (req.url() === beaconUrl) hits.push(req.method());
    });
    await visitor.goto(`${staticOrigin}/`, { referer: "https://news.example/story" });
    await expect.poll(() => hits.length, { timeout: 15_000 }).toBe(1);
    await visitor.getByRole("link", { name: "Pricing" }).click();
    await visitor.getByRole("button", { name: "Sign up" }).waitFor();
    await expect.poll(() => hits.length, { timeout: 15_000 }).toBe(2);
    await visitor.getByRole("button", { name: "Sign up" }).click();
    await expect.poll(() => hits.length, { timeout: 15_000 }).toBe(3);
    // sendBeacon POSTs (Playwright does not expose a beacon's Blob body; the report below shows what it carried).
    expect(hits).toEqual(["POST", "POST", "POST"]);
    // No cookie of ours was set on the tracked page, and the visitor's browser holds none for Roost either.
    expect(await visitorContext.cookies()).toEqual([]);
    await visitorContext.close();

    // The consumer runs off wrangler dev's local queue, in batches: poll the report until all three hits are there.
    await expect
      .poll(
        async () => {
          await page.goto(`/sites/${siteId}`);
          return [await stat(page, "Pageviews"), ...(await topValues(page, "Events")).sort()];
        },
        { timeout: 30_000, intervals: [500, 1000] },
      )
      .toEqual(["2", "pageview", "signup"]);
    expect(await stat(page, "Unique visitors")).toBe("1");
    expect(await stat(page, "Views per visit")).toBe("2.0");
    expect((await topValues(page, "Top pages")).sort()).toEqual(["/", "/pricing"]);
    expect(await topValues(page, "Top referrers")).toEqual(["news.example"]);
    expect(await topValues(page, "Browsers")).toEqual(["Chrome"]);
    expect(await page.locator("#live-visitors strong").textContent()).toBe("1");
    // htmx took over the polling element.
    await expect.poll(() => page.locator("#live-visitors").getAttribute("data-htmx-powered")).toBe("true");
    const chart = page.getByRole("img", { name: /Pageviews and visitors per day/ });
    await chart.waitFor();
    const rows = page.locator(".visits-table tbody tr");
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.first().locator("td").nth(3).textContent()).toBe("signup");

    // The CSV has the same three visits.
    const csv = await page.request.get(`/sites/${siteId}/visits.csv`);
    expect(csv.status()).toBe(200);
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines).toHaveLength(4);
    // Newest first; the event on /pricing came from the site itself, which is not a referrer.
    expect(lines[1]).toContain(",/pricing,,signup,Chrome,Linux,desktop,");
    expect(lines[3]).toContain(",/,news.example,pageview,Chrome,Linux,desktop,");

    // The analytics pages pass the same audit as the rest of the app.
    const findings: string[] = [];
    for (const path of ["/sites", `/sites/${siteId}`, `/sites/${siteId}?period=today`, `/sites/${siteId}/visits`, `/sites/${siteId}/delete`]) {
      findings.push(...(await audit(page, path)));
    }
    expect(findings).toEqual([]);
    expect(cspViolations).toEqual([]);

    // Rename in place (htmx form), then delete through the confirmation page.
    await page.goto(`/sites/${siteId}`);
    await page.getByLabel("Site name").fill("");
    await page.getByRole("button", { name: "Rename", exact: true }).click();
    await page.getByText("Enter a name for the site.").waitFor();
    await page.getByLabel("Site name").fill("Renamed test site");
    await page.getByRole("button", { name: "Rename", exact: true }).click();
    await h1(page, "Renamed test site").waitFor();
    await page.getByRole("link", { name: "Delete this site…" }).click();
    await h1(page, "Delete Renamed test site?").waitFor();
    await page.getByRole("button", { name: "Delete site", exact: true }).click();
    await expectPath(page, "/sites");
    await page.getByText("Deleted Renamed test site and its visits.").waitFor();
    expect((await page.request.get(`/sites/${siteId}`)).status()).toBe(404);
    await page.context().close();
  });

  test("gives another member 404 for someone else's report", async ({ newPage, registerConfirmedUser }) => {
    const owner = await registerConfirmedUser({ keepPage: true });
    const page = owner.page!;
    await page.goto("/sites");
    await page.getByLabel("Name", { exact: true }).fill("Owner only");
    await page.getByLabel("Base URL", { exact: true }).fill("https://owner-only.example");
    await page.getByRole("button", { name: "Add site", exact: true }).click();
    await h1(page, "Owner only").waitFor();
    const path = new URL(page.url()).pathname;
    await page.context().close();

    const other = await registerConfirmedUser({ keepPage: true });
    const res = await other.page!.goto(path);
    expect(res?.status()).toBe(404);
    await other.page!.context().close();
    // A stranger is asked to log in first.
    const stranger = await newPage();
    await stranger.goto(path);
    await expectPath(stranger, "/auth/login");
    await stranger.context().close();
  });
});
