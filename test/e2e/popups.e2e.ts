// Issue 12: the profile popup as people meet it. Resting the pointer on a name shows the card after half a
// second (loaded once), the card's Follow button works in place, keyboard focus opens it at once and Escape
// or leaving closes it, it stays inside a 390 px screen, and without JavaScript the name is a plain link.
import type { Page } from "@playwright/test";
import { h1 } from "./accounts";
import { seriousAxeFindings } from "./axe";
import { browserAvailable, expect, NO_BROWSER, test } from "./fixtures";
import { baseUrl } from "./harness";

/** Counts the page's requests for popup cards. */
function countPopupRequests(page: Page): () => number {
  let n = 0;
  page.on("request", (req) => {
    if (/\/user\/[^/]+\/popup$/.test(new URL(req.url()).pathname)) n++;
  });
  return () => n;
}

test.describe("profile popups", () => {
  test.skip(!browserAvailable, NO_BROWSER);

  test("hover shows the card after half a second, once; its Follow button works; focus and Escape; inside the window; no JavaScript", async ({
    registerConfirmedUser,
    browser,
  }) => {
    const writer = await registerConfirmedUser({ keepPage: true });
    const text = `A post to hover over ${Date.now()}`;
    const res = await writer.page!.context().request.post(`${baseUrl}/`, { form: { body: text }, headers: { Origin: baseUrl }, maxRedirects: 0 });
    expect(res.status()).toBe(303);

    const me = await registerConfirmedUser({ keepPage: true });
    const page = me.page!;
    const popupRequests = countPopupRequests(page);
    const cspViolations: string[] = [];
    page.on("console", (msg) => {
      if (msg.type() === "error" && /Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
    });
    await page.goto("/explore");
    const post = page.locator("li.post", { hasText: text });
    const name = post.locator("a.post-author");
    const card = post.locator(".profile-popup .profile-card");

    // Hover: nothing at first, the card after the delay.
    const started = Date.now();
    await name.hover();
    await page.waitForTimeout(250);
    await expect(card).toHaveCount(0);
    await expect(card).toBeVisible();
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    await expect(card).toContainText(writer.username);
    await expect(card).toContainText("1 post");
    await expect(card).toContainText("0 followers");
    expect(popupRequests()).toBe(1);
    // The open card passes the same audit as every page, and nothing broke the CSP.
    expect(await seriousAxeFindings(page)).toEqual([]);

    // Its Follow button swaps in place, inside the card.
    await card.getByRole("button", { name: "Follow", exact: true }).click();
    await expect(card.getByRole("button", { name: "Unfollow", exact: true })).toBeVisible();
    await expect(card).toContainText(`You are now following ${writer.username}.`);
    await expect(card).toContainText("1 follower");

    // Away: hidden; back: shown again after the delay, from what was loaded (no second request).
    await page.mouse.move(1, 1);
    await expect(card).toBeHidden();
    const again = Date.now();
    await name.hover();
    await expect(card).toBeVisible();
    expect(Date.now() - again).toBeGreaterThanOrEqual(450);
    expect(popupRequests()).toBe(1);
    await page.mouse.move(1, 1);
    await expect(card).toBeHidden();

    // Keyboard: focus opens a fresh page's card at once, Escape closes it, focus elsewhere keeps it closed.
    await page.reload();
    const before = popupRequests();
    await name.focus();
    await expect(card).toBeVisible();
    await expect(card).toContainText("1 follower");
    await page.keyboard.press("Escape");
    await expect(card).toBeHidden();
    await expect(name).toBeFocused();
    await page.keyboard.press("Shift+Tab");
    await name.focus();
    await expect(card).toBeVisible();
    await page.locator("h1").first().click();
    await expect(card).toBeHidden();
    // Hovering after the focus loaded it asks for nothing more.
    await name.hover();
    await expect(card).toBeVisible();
    expect(popupRequests() - before).toBe(1);

    // A name near the right edge of a 700 px window (moved there for the test): the card opens leftwards.
    const inside = async (width: number) => {
      const box = (await card.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    };
    await page.mouse.move(1, 1);
    await page.setViewportSize({ width: 700, height: 800 });
    const meta = post.locator(".post-meta");
    await meta.evaluate((el) => {
      if (el instanceof HTMLElement) el.style.textAlign = "right";
    });
    await name.hover();
    await expect(card).toBeVisible();
    await inside(700);
    await expect(post.locator(".profile-link[data-popup-end]")).toHaveCount(1);
    await meta.evaluate((el) => {
      if (el instanceof HTMLElement) el.style.textAlign = "";
    });

    // A phone: the card stays inside the screen.
    await page.mouse.move(1, 1);
    await page.setViewportSize({ width: 390, height: 844 });
    await name.hover();
    await expect(card).toBeVisible();
    await inside(390);

    expect(cspViolations).toEqual([]);

    // A click on the name (which focuses it too) still just goes to the profile, without errors.
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (msg) => {
      if (msg.type() === "error") errors.push(msg.text());
    });
    await page.reload();
    await name.click();
    await h1(page, writer.username).waitFor();
    await page.waitForTimeout(300);
    expect(errors).toEqual([]);

    // Without JavaScript: no card, and the name goes to the profile.
    const noJs = await browser.newContext({ baseURL: baseUrl, javaScriptEnabled: false });
    try {
      const plain = await noJs.newPage();
      await plain.goto("/explore");
      const plainName = plain.locator("li.post", { hasText: text }).locator("a.post-author");
      await plainName.hover();
      await plain.waitForTimeout(700);
      await expect(plain.locator(".profile-card")).toHaveCount(0);
      await plainName.click();
      await h1(plain, writer.username).waitFor();
    } finally {
      await noJs.close();
    }
  });
});
