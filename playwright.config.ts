// Browser tests (`npm run test:e2e`): @playwright/test driving Debian's Chromium (never a downloaded browser)
// against one real `wrangler dev` started by test/e2e/global-setup.ts. Two workers share that server: tests make
// their own accounts and find their own posts by text, and the administrator account is registered once
// (test/e2e/accounts.ts, a lock in the run's state folder). Most of a browser test is waiting on the server,
// the queue consumer or the mailbox, so two workers keep a 2-core machine's cores busier than one. The timeouts allow for a cold, busy CI machine: on a 2-core box shared with other jobs
// (load ~25) the longest tests took over 60 s with either harness; each wait still fails after 15 s with its locator.
import { defineConfig } from "@playwright/test";
import { CHROMIUM_FLAGS, findChromium } from "./scripts/lib/chromium.mjs";

export default defineConfig({
  testDir: "./test/e2e",
  testMatch: "**/*.e2e.ts",
  globalSetup: "./test/e2e/global-setup.ts",
  workers: 2,
  fullyParallel: false,
  // A flaky browser test is a bug to fix, not to retry away; test.only left in fails CI.
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  // Not test-results/ itself: Playwright empties its output directory, and scripts/test.mjs keeps reports there.
  outputDir: "./test-results/e2e",
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    headless: true,
    launchOptions: { executablePath: findChromium() ?? undefined, args: CHROMIUM_FLAGS },
  },
});
