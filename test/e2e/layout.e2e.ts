// Layout facts a person on a phone or a desktop would notice, checked without comparing pixels: the account
// menu opens inside the viewport with every item reachable (issue 15, item 1), in light and dark mode, and a
// post's Markdown heading stays smaller than the page's (item 7). No sideways scroll, 44 px tap targets and
// axe on every page at both sizes: ./every-page.e2e.ts.
import type { Page } from "@playwright/test";
import { browserAvailable, expect, NO_BROWSER, test } from "./fixtures";
import { baseUrl } from "./harness";
import { DESKTOP, PHONE } from "./page-checks";

const MENU_ITEMS = ["Your Posts", "Change Password", "Change Email", "Your Data", "Log Out"];

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

  test("a post's Markdown heading stays smaller than the page's; the menu stays inside a phone's screen in dark mode too", async ({
    registerConfirmedUser,
  }) => {
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
    // Item 7: a Markdown "# heading" is smaller than the page's own heading.
    const sizes = await page.evaluate(() => ({
      page: Number.parseFloat(getComputedStyle(document.querySelector("main > h1")!).fontSize),
      post: Number.parseFloat(getComputedStyle(document.querySelector(".post-body h1")!).fontSize),
    }));
    expect(sizes.post).toBeLessThan(sizes.page);
    // The long word wraps instead of widening the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      await page.goto("/");
      await openAccountMenu(page);
      await expectMenuInViewport(page, PHONE);
    }
  });
});
