// Issue 15's little things, in a real browser: relative times that move on while the page stays open (with
// the same words the server writes), a copy button for the site snippet that only exists with JavaScript, and
// the unread notification count in the tab title, kept current by the badge's refresh.
import { relativeTime } from "../../src/lib/time";
import { h1 } from "./accounts";
import { browserAvailable, expect, NO_BROWSER, test } from "./fixtures";
import { baseUrl } from "./harness";

test.describe("little things", () => {
  test.skip(!browserAvailable, NO_BROWSER);

  test("relative times update without a reload, in the server's words", async ({ registerConfirmedUser }) => {
    const author = await registerConfirmedUser({ keepPage: true });
    const page = author.page!;
    const title = `A post to watch age ${Date.now()}`;
    await page.getByLabel("What's on your mind?").fill(title);
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await page.getByText("Your post has been published.").waitFor();

    // A fake clock from the start of the next page load; it runs on from now until told to jump.
    await page.clock.install();
    await page.goto("/");
    const time = page.locator("li.post", { hasText: title }).locator("time").first();
    await expect(time).toHaveText("just now");
    const ts = Date.parse((await time.getAttribute("datetime")) ?? "");

    for (const [jump, words] of [
      ["03:00", "3 minutes ago"],
      ["02:00:00", "2 hours ago"],
      ["24:00:00", "yesterday"],
      ["48:00:00", "3 days ago"],
    ] as const) {
      await page.clock.fastForward(jump);
      await expect(time).toHaveText(words);
      // The script's words are the server's for the same moment (src/lib/time.ts).
      expect(relativeTime(ts, await page.evaluate(() => Date.now()))).toBe(words);
    }
    expect(page.url()).toBe(`${baseUrl}/`); // no reload happened
  });

  test("the site snippet has a copy button with JavaScript, and stays plain selectable text without", async ({ registerConfirmedUser, browser }) => {
    const member = await registerConfirmedUser({ keepPage: true });
    const page = member.page!;
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
    await page.goto("/sites");
    await page.getByLabel("Name", { exact: true }).fill("Copy test site");
    await page.getByLabel("Base URL", { exact: true }).fill("https://copy.example");
    await page.getByRole("button", { name: "Add site", exact: true }).click();
    await h1(page, "Copy test site").waitFor();
    const snippet = (await page.locator("#snippet-code").textContent()) ?? "";
    expect(snippet).toContain(`${baseUrl}/tracker.js`);

    await page.getByRole("button", { name: "Copy snippet" }).click();
    await expect(page.locator(".snippet [role=status]")).toHaveText("Copied.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);

    // Without JavaScript: no button, the same text to select by hand.
    const sitePath = new URL(page.url()).pathname;
    const cookies = await page.context().cookies();
    const noJs = await browser.newContext({ baseURL: baseUrl, javaScriptEnabled: false });
    try {
      await noJs.addCookies(cookies);
      const plain = await noJs.newPage();
      await plain.goto(sitePath);
      await h1(plain, "Copy test site").waitFor();
      await expect(plain.locator("#snippet-code")).toHaveText(snippet);
      await expect(plain.getByRole("button", { name: "Copy snippet" })).toHaveCount(0);
      await expect(plain.locator("button[data-copy]")).toBeHidden();
    } finally {
      await noJs.close();
    }
  });

  test("the tab title shows the unread notification count, and the badge's refresh keeps it current", async ({ registerConfirmedUser, newPage }) => {
    const member = await registerConfirmedUser({ keepPage: true });
    const page = member.page!;
    await page.clock.install();
    await page.goto("/");
    await expect(page).toHaveTitle("Home · Roost");
    const before = await page.title();

    // Someone follows the member while their page is open: the next refresh (every 30 s) shows it.
    const fan = await registerConfirmedUser({ keepPage: true });
    await fan.page!.goto(`/user/${member.username}`);
    await fan.page!.getByRole("button", { name: "Follow", exact: true }).click();
    await fan.page!.getByRole("button", { name: "Unfollow", exact: true }).waitFor();

    await page.clock.fastForward("00:31");
    await expect(page.locator("#notification-badge")).toContainText("1");
    await expect(page).toHaveTitle(`(1) ${before}`);
    // A full page load writes it too.
    await page.reload();
    await expect(page).toHaveTitle(`(1) ${before}`);

    // Reading them elsewhere (another tab) clears it at the next refresh.
    const other = await newPage();
    await other.context().addCookies(await page.context().cookies());
    await other.goto("/notifications");
    await page.clock.fastForward("00:31");
    await expect(page.locator("#notification-badge .badge")).toHaveCount(0);
    await expect(page).toHaveTitle(before);
  });
});
