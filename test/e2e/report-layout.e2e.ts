// The site report's layout in a real browser, at a 390 px phone and a 1280 px desktop: it uses the page's
// full width on the desktop, never scrolls sideways on the phone (the chart's screen-reader table stays
// hidden without widening the page; the visits table scrolls inside its own box), the chart's axis labels
// never repeat, it has a legend and a title per bar, and a filtered report (chips) lays out the same way.
import { expect, type Page } from "@playwright/test";
import { expectPath, h1 } from "./accounts";
import { browserAvailable, NO_BROWSER, test } from "./fixtures";
import { baseUrl } from "./harness";

const VISITOR_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
const SITE = "https://layout-test.example";
const LONG_PATH = `/blog/${"a-very-long-slug-without-any-spaces-".repeat(4)}end`;

async function noSidewaysScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, "page scroll width").toBeLessThanOrEqual(innerWidth);
}

test.describe("site report layout", () => {
  test.skip(!browserAvailable, NO_BROWSER);

  test("full width on a desktop, one column without sideways scrolling on a phone, a readable chart", async ({ registerConfirmedUser }) => {
    // Ten visits through the local queue, then six full report pages: slow on a loaded 2-core machine.
    test.setTimeout(300_000);
    const member = await registerConfirmedUser({ keepPage: true });
    const page = member.page!;
    page.setDefaultNavigationTimeout(60_000);
    await page.goto("/sites");
    await expectPath(page, "/sites");
    await page.getByLabel("Name", { exact: true }).fill("Layout site");
    await page.getByLabel("Base URL", { exact: true }).fill(SITE);
    await page.getByRole("button", { name: "Add site", exact: true }).click();
    await h1(page, "Layout site").waitFor();
    const siteId = /^\/sites\/(\d+)$/.exec(new URL(page.url()).pathname)![1];

    // Hits straight at the beacon, from several addresses (visitors), one with a long unbreakable path.
    const paths = ["/", "/pricing", LONG_PATH, "/about", "/blog/one"];
    for (let i = 0; i < 10; i++) {
      const res = await page.request.post(`${baseUrl}/sites/${siteId}/visit`, {
        headers: { "Content-Type": "text/plain;charset=UTF-8", "User-Agent": VISITOR_UA, "CF-Connecting-IP": `198.51.100.${10 + i}` },
        data: JSON.stringify({ url: `${SITE}${paths[i % paths.length]}?utm_source=newsletter`, referrer: "https://news.example/story" }),
      });
      expect(res.status()).toBe(204);
    }
    await expect
      .poll(
        async () => {
          await page.goto(`/sites/${siteId}?period=30d`);
          return page.locator(".totals dd").first().textContent();
        },
        { timeout: 120_000, intervals: [1000, 2000] },
      )
      .toBe("10");

    for (const path of [`/sites/${siteId}?period=30d&compare=1`, `/sites/${siteId}?period=today`, `/sites/${siteId}?period=30d&f=page%3Acontains%3A%2Fblog`]) {
      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(path);
        await noSidewaysScroll(page);
        const report = await page.locator(".site-report").boundingBox();
        if (width === 1280) expect(report!.width, `${path} at ${width}`).toBeGreaterThan(1100);
        else {
          // One column: the top panels stack.
          const panels = await page.locator(".top-panel").evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().left)));
          expect(new Set(panels).size, `${path} at ${width}`).toBe(1);
        }
        // The chart: labels on both axes never repeat, a legend, a title on every bar.
        const axis = await page.locator(".chart-axis").allTextContents();
        expect(new Set(axis).size, `x axis ${axis.join("|")}`).toBe(axis.length);
        const grid = await page.locator(".chart-grid text").allTextContents();
        expect(new Set(grid).size, `y axis ${grid.join("|")}`).toBe(grid.length);
        await expect(page.locator(".chart-legend")).toBeVisible();
        const bars = page.locator(".chart-bar");
        expect(await bars.count()).toBeGreaterThan(0);
        for (const title of await bars.locator("title").allTextContents()) expect(title).toMatch(/: \d+ pageviews, \d+ visitors$/);
        expect(await bars.locator("title").count()).toBe(await bars.count());
        // The visits table's columns are all there; on a phone it scrolls inside its own box.
        const headers = page.locator(".visits-table thead th");
        expect(await headers.count()).toBe(10); // TABLE_FIELDS: time, page, referrer, event, browser, os, device, country, region, city
        await expect(headers.first()).toBeVisible();
        const box = await page
          .locator("#visits .table-scroll")
          .evaluate((el) => ({ client: el.clientWidth, scroll: el.scrollWidth, overflow: getComputedStyle(el).overflowX }));
        expect(box.overflow).toBe("auto");
      }
    }
    // The filtered report shows its chip.
    await expect(page.locator(".filter-chip")).toContainText("Page contains /blog");
  });
});
