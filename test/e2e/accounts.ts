// Account steps shared by the browser tests, done through the UI as a person would: register, confirm by
// the mailed link, log in. Steps that open a page take the `newPage` fixture (./fixtures wires them up).
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { firstLink, onTestServer, uniqueEmail, uniqueUsername, waitForMail } from "./harness";

/** Opens a page as a new visitor (the `newPage` fixture). */
export type NewPage = () => Promise<Page>;

export interface RegisteredUser {
  email: string;
  username: string;
  /** The logged-in page when asked for with keepPage, else null. */
  page: Page | null;
}

export const PASSWORD = "correct horse battery 42";

/** Waits until the page shows `path` (boosted navigations change the URL through the History API, not a load). */
export async function expectPath(page: Page, path: string) {
  await expect.poll(() => new URL(page.url()).pathname, { timeout: 15_000 }).toBe(path);
}

export function h1(page: Page, name: string | RegExp) {
  return page.getByRole("heading", { level: 1, name });
}

export async function fillRegisterForm(page: Page, fields: { email: string; username: string; password: string; password2: string }) {
  await page.getByLabel("Email", { exact: true }).fill(fields.email);
  await page.getByLabel("Username", { exact: true }).fill(fields.username);
  await page.getByLabel("Password", { exact: true }).fill(fields.password);
  await page.getByLabel("Confirm password", { exact: true }).fill(fields.password2);
}

/** Fills and submits the login form; the page must already show it (see goToLogIn). */
export async function logIn(page: Page, login: string, password: string) {
  await page.getByLabel("Email or username", { exact: true }).fill(login);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Keep me logged in").check();
  await page.getByRole("button", { name: "Log In", exact: true }).click();
}

/**
 * Follows the nav's "Log In" link from a page without a login form. (From the login page itself the boosted
 * swap could land after the fields were filled and wipe them, so callers already there use logIn directly.)
 */
export async function goToLogIn(page: Page) {
  await page.getByRole("link", { name: "Log In", exact: true }).click();
  await expectPath(page, "/auth/login");
}

/**
 * Registers and confirms a new account through the UI and the dev mailbox, as its owner would. On the server
 * under test, or on another one (`origin`: the page's context must have it as its baseURL; the two-instance
 * federation test), where a fixed `username` is safe (that server's state is fresh).
 */
export async function registerConfirmedUser(
  newPage: NewPage,
  opts: { email?: string; keepPage?: boolean; username?: string; origin?: string } = {},
): Promise<RegisteredUser> {
  const username = opts.username ?? uniqueUsername("robin");
  const email = opts.email ?? uniqueEmail(username);
  const page = await newPage();

  await page.goto("/");
  await page.getByRole("link", { name: "Register", exact: true }).click();
  await expectPath(page, "/auth/register");
  await fillRegisterForm(page, { email, username, password: PASSWORD, password2: PASSWORD });
  await page.getByRole("button", { name: "Register", exact: true }).click();
  await expectPath(page, "/auth/login");
  await page.getByText(`We have sent a confirmation link to ${email}. Open it to finish signing up.`).waitFor();

  // Unconfirmed accounts may log in but are held at /auth/unconfirmed until they confirm.
  // Registration landed on the login page, so log in right here.
  await logIn(page, email, PASSWORD);
  await expectPath(page, "/auth/unconfirmed");
  await h1(page, /confirm/i).waitFor();

  const mail = await waitForMail(email, { subject: "[Roost]", origin: opts.origin });
  const link = firstLink(mail.text);
  expect(new URL(link).pathname).toMatch(/^\/auth\/confirm\/[^/]+$/);
  await page.goto(onTestServer(link, opts.origin));
  await page.getByText("You have confirmed your account. Thanks!").waitFor();

  if (opts.keepPage) return { email, username, page };
  await page.context().close();
  return { email, username, page: null };
}

/**
 * A logged-in page for the administrator (ADMIN_EMAIL). The browser-test server is shared by every test and
 * every Playwright worker, so exactly one caller registers and confirms the account: the one that creates the
 * lock directory in this run's state folder (mkdir is atomic); the others wait for its "registered" mark and
 * log in.
 */
export async function adminPage(newPage: NewPage): Promise<Page> {
  const stateDir = process.env.ROOST_E2E_STATE_DIR;
  if (!stateDir) throw new Error("ROOST_E2E_STATE_DIR is not set: the browser tests run through test/e2e/global-setup.ts");
  const lock = path.join(stateDir, "admin-account");
  const registered = path.join(lock, "registered");
  let mine = false;
  try {
    mkdirSync(lock);
    mine = true;
  } catch {
    // Another worker (or an earlier test in this one) has it.
  }
  if (mine) {
    const { page } = await registerConfirmedUser(newPage, { email: ADMIN_EMAIL, keepPage: true });
    writeFileSync(registered, "");
    return page!;
  }
  await expect.poll(() => existsSync(registered), { timeout: 120_000, intervals: [250] }).toBe(true);
  const page = await newPage();
  await page.goto("/auth/login");
  await logIn(page, ADMIN_EMAIL, PASSWORD);
  await page.getByRole("heading", { level: 1, name: /^Hello, / }).waitFor();
  return page;
}

const ADMIN_EMAIL = "admin@example.com";
