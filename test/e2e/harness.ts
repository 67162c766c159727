// Helpers for the browser tests: the server under test (`baseUrl`, started by ./global-setup), Chromium pages
// with isolated cookies (`newPage()`), the dev mailbox (`readMailbox()`, `waitForMail()`), mail-link helpers and
// unique test identities. Importing this file also closes the browser after the importing test file.
/// <reference path="./global-setup.ts" />
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, inject, onTestFailed } from "vitest";

export const baseUrl = inject("baseUrl");
const chromiumPath = inject("chromiumPath");

/** False when Chromium is missing outside CI; wrap browser tests in `describe.skipIf(!browserAvailable)`. */
export const browserAvailable = chromiumPath !== null;

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

const screenshotDir = path.resolve(import.meta.dirname, "../../test-results/e2e");
let browser: Browser | undefined;

async function getBrowser(): Promise<Browser> {
  if (!chromiumPath) throw new Error("Chromium is not available; guard the test with describe.skipIf(!browserAvailable)");
  browser ??= await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_FLAGS, headless: true });
  return browser;
}

/**
 * A page in a new browser context: its own cookie jar, so each call is a separate visitor. Relative URLs in
 * page.goto() resolve against baseUrl. When the calling test fails, a screenshot lands in test-results/e2e/.
 */
export async function newPage(): Promise<Page> {
  const context = await (await getBrowser()).newContext({ baseURL: baseUrl });
  const page = await context.newPage();
  // Well under the test timeout, so a missing element reports which locator it was waiting for.
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (error) => console.error(`[browser] uncaught error on ${page.url()}: ${error.message}`));
  onTestFailed(async ({ task }) => {
    if (page.isClosed()) return;
    mkdirSync(screenshotDir, { recursive: true });
    const file = path.join(screenshotDir, `${task.name.replace(/[^\w.-]+/g, "_").slice(0, 100)}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    console.error(`[e2e] screenshot of the failing page (${page.url()}): ${file}`);
  });
  return page;
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
}

afterAll(closeBrowser);

export interface Mail {
  id: number;
  to: string;
  subject: string;
  text: string;
  html: string;
  status: string;
  created_at: string | number;
}

/** Every captured mail, newest first (GET /dev/mail.json). */
export async function readMailbox(): Promise<Mail[]> {
  const response = await fetch(`${baseUrl}/dev/mail.json`);
  if (!response.ok) throw new Error(`GET /dev/mail.json answered ${response.status}`);
  return (await response.json()) as Mail[];
}

/**
 * The newest mail to `to` (whose subject matches, if given). Mail goes through the Queue consumer, so it
 * appears a moment after the request that sent it: poll.
 */
export async function waitForMail(to: string, options: { subject?: string | RegExp; timeoutMs?: number } = {}): Promise<Mail> {
  const { subject, timeoutMs = 20_000 } = options;
  const wanted = to.toLowerCase();
  const matches = (mail: Mail) =>
    mail.to.toLowerCase().includes(wanted) &&
    (subject === undefined || (typeof subject === "string" ? mail.subject.startsWith(subject) : subject.test(mail.subject)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = await readMailbox();
    const found = mails.find(matches);
    if (found) return found;
    if (Date.now() > deadline) {
      const seen = mails.slice(0, 5).map((m) => `${m.to}: ${m.subject}`).join("; ") || "none";
      throw new Error(`no mail to ${to}${subject ? ` with subject ${subject}` : ""} within ${timeoutMs / 1000}s (newest: ${seen})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The first http(s) link in a plain-text mail body. */
export function firstLink(text: string): string {
  const match = /https?:\/\/[^\s<>"')\]]+/.exec(text);
  if (!match) throw new Error(`no link in mail text:\n${text}`);
  return match[0];
}

/** The same path, query and fragment on the server under test (mail links are built from BASE_URL). */
export function onTestServer(link: string): string {
  const url = new URL(link);
  return new URL(url.pathname + url.search + url.hash, baseUrl).toString();
}

/** A username no earlier run used: starts with a letter, then letters, digits and underscores. */
export function uniqueUsername(prefix = "user"): string {
  return `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}

export function uniqueEmail(username = uniqueUsername()): string {
  return `${username}@example.com`;
}
