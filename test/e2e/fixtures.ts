// Playwright fixtures for the browser tests: `newPage()` opens a separate visitor (its own browser context and
// cookie jar) on the server under test, and the account steps of ./accounts come ready-wired to it. Every
// context a test opened is closed after it, with a screenshot of each open page when the test failed.
import { test as base, expect, type Page } from "@playwright/test";
import { findChromium } from "../../scripts/lib/chromium.mjs";
import { adminPage, type NewPage, type RegisteredUser, registerConfirmedUser } from "./accounts";
import { baseUrl } from "./harness";

export { expect };

/** False when Chromium is missing outside CI (global setup then warned); put `test.skip(!browserAvailable, …)` in each describe. */
export const browserAvailable = findChromium() !== null && baseUrl !== "";
export const NO_BROWSER = "Chromium not found (`command -v chromium`): browser tests skipped";

interface Fixtures {
  newPage: NewPage;
  registerConfirmedUser: (opts?: { email?: string; keepPage?: boolean }) => Promise<RegisteredUser>;
  adminPage: () => Promise<Page>;
}

export const test = base.extend<Fixtures>({
  newPage: async ({ browser }, use, testInfo) => {
    const pages: Page[] = [];
    await use(async () => {
      const context = await browser.newContext({ baseURL: baseUrl });
      const page = await context.newPage();
      // Well under the test timeout, so a missing element reports which locator it was waiting for.
      page.setDefaultTimeout(15_000);
      page.on("pageerror", (error) => console.error(`[browser] uncaught error on ${page.url()}: ${error.message}`));
      pages.push(page);
      return page;
    });
    const failed = testInfo.status !== testInfo.expectedStatus;
    for (const [i, page] of pages.entries()) {
      if (failed && !page.isClosed()) {
        const file = testInfo.outputPath(`page-${i + 1}.png`);
        await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
        await testInfo.attach(`page ${i + 1} (${page.url()})`, { path: file, contentType: "image/png" }).catch(() => undefined);
      }
      await page.context().close();
    }
  },
  registerConfirmedUser: async ({ newPage }, use) => {
    await use((opts) => registerConfirmedUser(newPage, opts));
  },
  adminPage: async ({ newPage }, use) => {
    await use(() => adminPage(newPage));
  },
});
