// Accessibility beyond the page audits: the main flows work with the keyboard alone, and the checks the page
// audits rely on (axe, the CSP watch) do catch a real problem. Every page's own audit, at both sizes and in both
// colour schemes, is in ./every-page.e2e.ts.
import { h1, PASSWORD } from "./accounts";
import { seriousAxeFindings } from "./axe";
import { browserAvailable, expect, NO_BROWSER, test } from "./fixtures";
import { baseUrl } from "./harness";
import { COLOUR_RULES, checkPage, DESKTOP, PHONE, smallTapTargets, watchCsp } from "./page-checks";

test.describe("keyboard use and the audits themselves", () => {
  test.skip(!browserAvailable, NO_BROWSER);

  test("works with the keyboard alone: log in, open the account menu, log out", async ({ newPage, registerConfirmedUser }) => {
    const user = await registerConfirmedUser();
    const page = await newPage();
    await page.goto("/auth/login");
    await page.waitForFunction(() => typeof (window as { htmx?: unknown }).htmx === "object");
    await page.getByLabel("Email or username", { exact: true }).focus();
    await page.keyboard.type(user.username);
    await page.keyboard.press("Tab");
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await h1(page, `Hello, ${user.username}!`).waitFor();

    // Reach the account menu by tabbing, as a keyboard user would.
    let focused = "";
    for (let i = 0; i < 15 && focused !== "Account"; i++) {
      await page.keyboard.press("Tab");
      focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? "");
    }
    expect(focused).toBe("Account");
    await page.keyboard.press("Enter"); // opens the menu
    const menu: string[] = [];
    for (let i = 0; i < 6 && menu.at(-1) !== "Log Out"; i++) {
      await page.keyboard.press("Tab");
      menu.push(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ""));
    }
    expect(menu).toEqual(["Your Posts", "Change Password", "Change Email", "Your Data", "Log Out"]);
    await page.keyboard.press("Enter");
    await page.getByText("You have been logged out.").waitFor();
  });

  test("the checks themselves catch a real problem (an unlabelled field, an inline script, a small button)", async ({ newPage }) => {
    const page = await newPage();
    const csp = await watchCsp(page);
    await page.goto("/auth/login");
    await page.evaluate(() => {
      document.querySelector("main")!.insertAdjacentHTML("beforeend", '<input type="text" name="unlabelled">');
      const s = document.createElement("script");
      s.textContent = "window.__ran = true";
      document.body.append(s);
    });
    const ids = (await seriousAxeFindings(page)).map((v) => v.id);
    expect(ids).toContain("label");
    expect(await page.evaluate(() => (window as { __ran?: boolean }).__ran)).toBeUndefined();
    await expect.poll(() => csp.length).toBeGreaterThan(0);
    // A 20 px button (set through the CSSOM, which the policy allows), hidden first: a hidden one is no target.
    await page.evaluate(() => {
      const b = document.createElement("button");
      b.id = "tiny";
      b.textContent = "Tiny";
      b.hidden = true;
      b.style.setProperty("height", "20px");
      b.style.setProperty("min-height", "0");
      document.querySelector("main")!.append(b);
    });
    expect((await smallTapTargets(page)).join()).not.toContain("Tiny");
    await page.evaluate(() => {
      document.getElementById("tiny")!.hidden = false;
    });
    expect((await smallTapTargets(page)).join()).toContain('"Tiny" (20.0 px)');
    expect(new URL(baseUrl).hostname).toBe("127.0.0.1");
  });

  test("switching a loaded page to the dark scheme is enough for the colour rules to see a dark-only problem", async ({ newPage }) => {
    // checkPage loads each page once and checks the dark scheme on the same document: prove that works.
    const page = await newPage();
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto("/about");
    await page.evaluate(() => {
      // Through the CSSOM (the policy allows it): grey on the dark background, in the dark scheme only.
      document.styleSheets[0]!.insertRule("@media (prefers-color-scheme: dark) { main p { color: #333 !important; } }", 0);
    });
    expect((await seriousAxeFindings(page, COLOUR_RULES)).map((v) => v.id)).not.toContain("color-contrast");
    await page.emulateMedia({ colorScheme: "dark" });
    expect((await seriousAxeFindings(page, COLOUR_RULES)).map((v) => v.id)).toContain("color-contrast");
  });

  test("shrinking a loaded page to the phone is enough for the audit to see a phone-only problem", async ({ newPage }) => {
    // checkPage loads each page once at the desktop size and shrinks the same document to the phone: prove the
    // phone's media queries then apply (layout facts and axe alike) and the desktop's do not linger.
    const page = await newPage();
    await page.setViewportSize(DESKTOP);
    await page.goto("/about");
    await page.evaluate(() => {
      // Through the CSSOM (the policy allows it): on the phone only, a 600 px wide paragraph and a light grey link.
      const sheet = document.styleSheets[0]!;
      sheet.insertRule("@media (max-width: 30rem) { main p { min-width: 600px; } main a { color: #ccc !important; } }", 0);
    });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    expect((await seriousAxeFindings(page)).map((v) => v.id)).not.toContain("color-contrast");
    await page.setViewportSize(PHONE);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeGreaterThan(0);
    expect((await seriousAxeFindings(page)).map((v) => v.id)).toContain("color-contrast");
    // And checkPage itself, on a fresh load (the planted rule is gone): /about is clean at both sizes.
    expect(await checkPage(page, "/about")).toEqual([]);
  });
});
