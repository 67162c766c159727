// Roost measures itself, in a real browser against wrangler dev: an author publishes, a visitor (a desktop
// Chrome user agent: the headless default is a bot to the beacon) reads the post, tracker.js sends the view
// through the beacon and the local queue, and the author's post page then shows the count; the visitor's page
// shows none. Also: no CSP violation on the post page with the tracker on it.
import { expectPath } from "./accounts";
import { browserAvailable, expect, NO_BROWSER, test } from "./fixtures";
import { baseUrl } from "./harness";

const VISITOR_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

test.describe("Roost measures itself", () => {
  test.skip(!browserAvailable, NO_BROWSER);

  test("a visitor's view of a post reaches its author's count, and only the author sees it", async ({ browser, registerConfirmedUser }) => {
    const author = await registerConfirmedUser({ keepPage: true });
    const page = author.page!;
    await page.goto("/");
    const title = `A post that counts its readers ${Date.now()}`;
    await page.getByLabel("What's on your mind?").fill(title);
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await page.getByText("Your post has been published.").waitFor();
    const href = await page.locator("li.post", { hasText: title }).locator('a[href^="/post/"]').first().getAttribute("href");
    const postPath = /^\/post\/\d+/.exec(href ?? "")![0];

    const visitorContext = await browser.newContext({ baseURL: baseUrl, userAgent: VISITOR_UA });
    const visitor = await visitorContext.newPage();
    const violations: string[] = [];
    visitor.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const beacon = visitor.waitForRequest((r) => /\/sites\/\d+\/visit$/.test(new URL(r.url()).pathname));
    await visitor.goto(postPath);
    await expectPath(visitor, postPath);
    await beacon;
    expect(await visitor.locator(".post-views").count()).toBe(0);
    expect(violations).toEqual([]);
    await visitorContext.close();

    // The queue consumer stores the view within a few seconds; the author's page then shows it.
    await expect(async () => {
      await page.goto(postPath);
      await expect(page.locator(".post-views")).toContainText("1 view in the last 30 days (only you see this).", { timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await page.getByRole("link", { name: "Your posts", exact: true }).click();
    await expectPath(page, "/posts/stats");
    await expect(page.locator("table.own-posts tbody tr")).toHaveText([/A post that counts its readers.*1$/]);
  });
});
