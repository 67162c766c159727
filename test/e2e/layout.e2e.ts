// Layout facts a person on a phone or a desktop would notice, checked without comparing pixels: the account
// menu opens inside the viewport with every item reachable (issue 15, item 1), no page scrolls sideways at
// 390 px, tap targets are at least 44 px, and axe-core finds nothing serious in light or dark mode.
import type { Page } from "@playwright/test";
import { seriousAxeFindings } from "./axe";
import { browserAvailable, expect, NO_BROWSER, test } from "./fixtures";
import { baseUrl } from "./harness";

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const MENU_ITEMS = ["Change Password", "Change Email", "Your Data", "Log Out"];

async function openAccountMenu(page: Page) {
  await page.getByText("Account", { exact: true }).click();
  await page.getByRole("link", { name: "Change Password" }).waitFor();
}

/** Each menu item's box lies inside the viewport, and the element at its centre is the item itself. */
async function expectMenuInViewport(page: Page, size: { width: number; height: number }) {
  for (const name of MENU_ITEMS) {
    const item = page.locator(".account-menu").getByRole(name === "Log Out" ? "button" : "link", { name, exact: true });
    const box = (await item.boundingBox())!;
    expect(box, `${name} at ${size.width}px`).not.toBeNull();
    expect(box.x, `${name} left edge at ${size.width}px`).toBeGreaterThanOrEqual(0);
    expect(box.y, `${name} top edge at ${size.width}px`).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, `${name} right edge at ${size.width}px`).toBeLessThanOrEqual(size.width);
    expect(box.y + box.height, `${name} bottom edge at ${size.width}px`).toBeLessThanOrEqual(size.height);
    const reachable = await item.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return hit === el || el.contains(hit);
    });
    expect(reachable, `${name} is covered at ${size.width}px`).toBe(true);
  }
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

/** Visible tap targets shorter than 44 px, as "selector-ish text (height)". */
async function smallTapTargets(page: Page): Promise<string[]> {
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

/** Layout facts and axe findings of one page at the current viewport, in light and dark mode. */
async function checkPage(page: Page, path: string): Promise<string[]> {
  const problems: string[] = [];
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.goto(path);
    if (colorScheme === "light") {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) problems.push(`${path}: scrolls ${overflow} px sideways`);
      for (const small of await smallTapTargets(page)) problems.push(`${path}: tap target ${small}`);
    }
    for (const f of await seriousAxeFindings(page)) problems.push(`${path} (${colorScheme}): axe ${f.id} ${f.targets.join(" | ")}`);
  }
  await page.emulateMedia({ colorScheme: "light" });
  return problems;
}

test.describe("layout at phone and desktop sizes", () => {
  test.skip(!browserAvailable, NO_BROWSER);

  test("the account menu opens inside the viewport with every item reachable at 390 px and 1280 px", async ({ registerConfirmedUser }) => {
    const member = await registerConfirmedUser({ keepPage: true });
    const page = member.page!;
    for (const size of [PHONE, DESKTOP]) {
      await page.setViewportSize(size);
      await page.goto("/");
      await openAccountMenu(page);
      await expectMenuInViewport(page, size);
    }
    // And the last item works where it is.
    await page.locator(".account-menu").getByRole("button", { name: "Log Out" }).click();
    await page.getByText("You have been logged out.").waitFor();
  });

  test("the main pages at 390 px: no sideways scroll, tap targets of 44 px, axe-clean in light and dark mode; post headings stay small", async ({
    newPage,
    registerConfirmedUser,
  }) => {
    // 13 pages × 2 colour schemes with axe each: more than the default 2 minutes on a loaded 2-core machine.
    test.setTimeout(480_000);
    const member = await registerConfirmedUser({ keepPage: true });
    const page = member.page!;
    await page.setViewportSize(PHONE);
    const made = await page.context().request.post(`${baseUrl}/`, {
      form: { body: "# A heading in a post\n\nAnd a long word: Donaudampfschifffahrtsgesellschaftskapitänskajüte." },
      headers: { Origin: baseUrl },
      maxRedirects: 0,
    });
    expect(made.status()).toBe(303);
    await page.goto("/");
    const postPath = (await page.locator("li.post .post-date").first().getAttribute("href"))!;
    // Item 7: a Markdown "# heading" is smaller than the page's own heading.
    const sizes = await page.evaluate(() => ({
      page: Number.parseFloat(getComputedStyle(document.querySelector("main > h1")!).fontSize),
      post: Number.parseFloat(getComputedStyle(document.querySelector(".post-body h1")!).fontSize),
    }));
    expect(sizes.post).toBeLessThan(sizes.page);

    const problems: string[] = [];
    for (const path of ["/", "/explore", postPath, `/user/${member.username}`, "/sites", "/account", "/auth/change-password", "/privacy"]) {
      problems.push(...(await checkPage(page, path)));
    }
    const stranger = await newPage();
    await stranger.setViewportSize(PHONE);
    for (const path of ["/", "/auth/login", "/auth/register", "/about", "/no-such-page"]) problems.push(...(await checkPage(stranger, path)));
    // The menu too, in both modes.
    await page.goto("/");
    await openAccountMenu(page);
    await expectMenuInViewport(page, PHONE);
    expect(problems, problems.join("\n")).toEqual([]);
  });
});
