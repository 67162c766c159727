// The checks every page gets in the browser (issue 15): at a 390 px phone and a 1280 px desktop, in light and
// dark mode, no serious or critical axe-core finding; in light mode no sideways scroll and, on the phone, no tap
// target under 44 px; a Content-Security-Policy header on the answer, and no CSP violation while it loads.
// One page load per page: the phone size and the dark scheme are checked on the same document (see checkPage).
import type { Page } from "@playwright/test";
import { seriousAxeFindings } from "./axe";
import { expect } from "./fixtures";

// The axe rules whose result depends on colours, the only thing the colour scheme changes.
export const COLOUR_RULES = ["color-contrast", "link-in-text-block"];

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

/** Records CSP violations from the moment the page starts loading (console errors and the DOM event). */
export async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" && /Content Security Policy/i.test(msg.text())) violations.push(`${page.url()}: ${msg.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return violations;
}

// Controls a finger aims at. Checkboxes are excluded (their whole row, label included, is the 44 px target).
const TAP_TARGETS = [
  "button",
  "a.button",
  "summary",
  "input:not([type=hidden]):not([type=checkbox])",
  "select",
  "textarea",
  ".site-header a",
  ".site-footer a",
  ".tabs a",
  ".pager a",
  ".number-pager a",
  ".post-actions a",
  ".post-footer a",
  ".period-presets a",
].join(", ");

/** Visible tap targets shorter than 44 px, as "tag.class "text" (height)". */
export async function smallTapTargets(page: Page): Promise<string[]> {
  return page.$$eval(TAP_TARGETS, (els) =>
    els
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden" && !el.closest(".visually-hidden, .skip-link");
      })
      .filter((el) => el.getBoundingClientRect().height < 43.5)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? "").trim().slice(0, 30)}" (${el.getBoundingClientRect().height.toFixed(1)} px)`,
      ),
  );
}

/** The layout facts at the page's current size: sideways scroll and, on the phone, tap targets under 44 px. */
async function layoutProblems(page: Page, at: string, width: number): Promise<string[]> {
  const problems: string[] = [];
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow > 0) problems.push(`${at}: scrolls ${overflow} px sideways`);
  if (width <= PHONE.width) for (const small of await smallTapTargets(page)) problems.push(`${at}: tap target ${small}`);
  return problems;
}

/** Serious axe findings on the document as it is now, every rule or the colour rules only, labelled. */
async function axeProblems(page: Page, at: string, scheme: "light" | "dark"): Promise<string[]> {
  const findings = await seriousAxeFindings(page, scheme === "dark" ? COLOUR_RULES : undefined);
  return findings.map((f) => `${at} (${scheme}): axe ${f.id} ${f.targets.join(" | ")}`);
}

/**
 * The problems of one page at both sizes, in light and dark mode, from one load. At the desktop size the light
 * scheme gets the layout facts and every axe rule, then the same document is switched to dark, which changes
 * colours only (app.css's dark block sets colour variables, nothing animates a colour), for the colour rules.
 * Then the viewport shrinks in place to the phone: CSS media queries apply to the live document as they do on a
 * load at that size (nothing in public/*.js reads the width at load), and layout can change what axe sees
 * (elements shown or hidden, what overlaps what), so the phone gets the colour rules in dark and, back in light,
 * its layout facts and every axe rule again. a11y.e2e.ts proves a planted dark-only and phone-only problem is
 * found this way.
 */
export async function checkPage(page: Page, path: string): Promise<string[]> {
  const problems: string[] = [];
  await page.setViewportSize(DESKTOP);
  await page.emulateMedia({ colorScheme: "light" });
  const res = await page.goto(path);
  expect(res?.headers()["content-security-policy"], `${path} has no CSP`).toMatch(/script-src 'self';/);
  await page.waitForFunction(() => typeof (window as { htmx?: unknown }).htmx === "object");
  const desktop = `${path} @${DESKTOP.width}`;
  const phone = `${path} @${PHONE.width}`;
  problems.push(...(await layoutProblems(page, desktop, DESKTOP.width)), ...(await axeProblems(page, desktop, "light")));
  await page.emulateMedia({ colorScheme: "dark" });
  problems.push(...(await axeProblems(page, desktop, "dark")));
  await page.setViewportSize(PHONE);
  problems.push(...(await axeProblems(page, phone, "dark")));
  await page.emulateMedia({ colorScheme: "light" });
  problems.push(...(await layoutProblems(page, phone, PHONE.width)), ...(await axeProblems(page, phone, "light")));
  return problems;
}

/** Every path at phone and desktop size, in both colour schemes (one load each); the page keeps its session throughout. */
export async function checkPages(page: Page, paths: string[]): Promise<string[]> {
  // Under load wrangler dev has answered a static file's 304 after 19 s: allow for it rather than fail the page.
  page.setDefaultNavigationTimeout(60_000);
  const problems: string[] = [];
  for (const path of paths) problems.push(...(await checkPage(page, path)));
  return problems;
}
