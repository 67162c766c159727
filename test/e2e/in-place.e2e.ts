// Issue 15: what htmx changes in place must leave the page telling the truth. After a comment is added with
// JavaScript on, the heading's count, the empty state and the post's comment link all change without a
// reload; "Load more" moves the pager on and records the URL, so Back returns to the same posts.
import { browserAvailable, expect, NO_BROWSER, test } from "./fixtures";
import { baseUrl } from "./harness";

test.describe("in-place updates", () => {
  test.skip(!browserAvailable, NO_BROWSER);

  test("adding a comment updates the count, the empty state and the post's comment link in place", async ({ registerConfirmedUser }) => {
    const author = await registerConfirmedUser({ keepPage: true });
    const page = author.page!;
    const title = `A post to count comments on ${Date.now()}`;
    await page.getByLabel("What's on your mind?").fill(title);
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await page.getByText("Your post has been published.").waitFor();
    await page.locator("li.post", { hasText: title }).getByRole("link", { name: "0 comments" }).click();
    await expect(page.locator("#comments-title")).toHaveText("0 comments");
    await expect(page.getByText("No comments yet.")).toBeVisible();

    const before = page.url();
    await page.getByLabel("Add a comment").fill("The first comment");
    await page.getByRole("button", { name: "Comment", exact: true }).click();
    await page.locator("#comment-list li.comment", { hasText: "The first comment" }).waitFor();
    expect(page.url()).toBe(before); // in place, no reload
    await expect(page.locator("#comments-title")).toHaveText("1 comment");
    await expect(page.getByText("No comments yet.")).toHaveCount(0);
    await expect(page.locator('li.post .post-footer a[id$="-comment-count"]')).toHaveText("1 comment");

    await page.getByLabel("Add a comment").fill("The second comment");
    await page.getByRole("button", { name: "Comment", exact: true }).click();
    await page.locator("#comment-list li.comment", { hasText: "The second comment" }).waitFor();
    await expect(page.locator("#comments-title")).toHaveText("2 comments");
    await expect(page.locator('li.post .post-footer a[id$="-comment-count"]')).toHaveText("2 comments");
  });

  test("Load more moves the pager on and records the URL; Back from a post restores the same posts and scroll position", async ({ registerConfirmedUser }) => {
    // 65 posts by one writer: their profile lists exactly these, 20 a page.
    const writer = await registerConfirmedUser({ keepPage: true });
    for (let i = 1; i <= 65; i++) {
      const res = await writer.page!.context().request.post(`${baseUrl}/`, {
        form: { body: `Numbered post ${i}` },
        headers: { Origin: baseUrl },
        maxRedirects: 0,
      });
      expect(res.status()).toBe(303);
    }
    const page = writer.page!;
    const profile = `/user/${writer.username}`;
    await page.goto(profile);
    await expect.poll(() => page.locator("li.post").count()).toBe(20);
    await expect(page.locator("#pager")).toContainText("Page 1");

    await page.getByRole("link", { name: "Load more", exact: true }).click();
    await expect.poll(() => page.locator("li.post").count()).toBe(40);
    await expect(page).toHaveURL(`${baseUrl}${profile}?shown=2`);
    await expect(page.locator("#pager")).toContainText("Pages 1–2");
    await expect(page.locator("#pager").getByRole("link", { name: "← Newer" })).toHaveCount(0);

    await page.getByRole("link", { name: "Load more", exact: true }).click();
    await expect.poll(() => page.locator("li.post").count()).toBe(60);
    await expect(page).toHaveURL(`${baseUrl}${profile}?shown=3`);
    await expect(page.locator("#pager")).toContainText("Pages 1–3");
    // Older → now leads past what is shown: page 4, the posts 61–65 from the end (post 5 down to 1).
    const older = await page.locator("#pager").getByRole("link", { name: "Older →" }).getAttribute("href");
    expect(older).toMatch(/[?&]page=4&before=/);

    const texts = () => page.locator("li.post .post-body").allInnerTexts();
    const shown = await texts();
    // Open the 50th post from its date link, after scrolling down to it.
    const target = page.locator("li.post").nth(49);
    await target.scrollIntoViewIfNeeded();
    const scrollY = await page.evaluate(() => window.scrollY);
    expect(scrollY).toBeGreaterThan(1000);
    await target.locator("a.post-date").click();
    await page.getByRole("heading", { level: 1, name: /^Post by/ }).waitFor();

    await page.goBack();
    await expect(page).toHaveURL(`${baseUrl}${profile}?shown=3`);
    await expect.poll(() => page.locator("li.post").count()).toBe(60);
    expect(await texts()).toEqual(shown);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(scrollY - 40);
    expect(Math.abs((await page.evaluate(() => window.scrollY)) - scrollY)).toBeLessThan(40);

    // The recorded URL works on its own too (a reload, a shared link).
    await page.reload();
    await expect.poll(() => page.locator("li.post").count()).toBe(60);
    await expect(page.locator("#pager")).toContainText("Pages 1–3");
  });
});
