// Debian's Chromium: where it is and how to launch it (DESIGN.md). Playwright never downloads a browser here.
// The one copy for the browser tests (playwright.config.ts, test/e2e/global-setup.ts, test/e2e/fixtures.ts) and
// `npm run screenshots` (scripts/screenshots.mjs). Plain JavaScript so the scripts can run it without a build.

import { execFileSync } from "node:child_process";
import { accessSync, constants } from "node:fs";

/**
 * DESIGN.md's flags for Debian's Chromium. Playwright rejects --user-data-dir in `args` for launch(): it creates
 * a fresh temporary profile itself (and deletes it on close), which is what we want anyway.
 */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * `command -v chromium`, or $CHROMIUM_PATH when set; null when neither gives an executable.
 * @returns {string | null}
 */
export function findChromium() {
  const override = process.env.CHROMIUM_PATH;
  if (override) {
    accessSync(override, constants.X_OK);
    return override;
  }
  try {
    return execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}
