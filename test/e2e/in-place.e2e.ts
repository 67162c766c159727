// Issue 15: what htmx changes in place must leave the page telling the truth. After a comment is added with
// JavaScript on, the heading's count, the empty state and the post's comment link all change without a
// reload; "Load more" moves the pager on and records the URL, so Back returns to the same posts.
import { browserAvailable, expect, NO_BROWSER, test } from "./fixtures";

test.describe("in-place updates", () => {
  test.skip(!browserAvailable, NO_BROWSER);

  test("adding a comment updates the count, the empty state and the post's comment link in place", async ({ registerConfirmedUser }) => {
    const author = await registerConfirmedUser({ keepPage: true });
    const page = author.page!;
    await page.getByLabel("What's on your mind?").fill(`A post to count comments on ${Date.now()}`);
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await page.getByText("Your post has been published.").waitFor();
    await page.locator("li.post").first().getByRole("link", { name: "0 comments" }).click();
    await expect(page.locator("#comments-title")).toHaveText("0 comments");
    await expect(page.getByText("No comments yet.")).toBeVisible();

    const before = page.url();
    await page.getByLabel("Add a comment").fill("The first comment");
    await page.getByRole("button", { name: "Comment", exact: true }).click();
    await page.locator("#comment-list li.comment", { hasText: "The first comment" }).waitFor();
    expect(page.url()).toBe(before); // in place, no reload
    await expect(page.locator("#comments-title")).toHaveText("1 comment");
    await expect(page.getByText("No comments yet.")).toHaveCount(0);
    await expect(page.locator("li.post .post-footer a")).toHaveText("1 comment");

    await page.getByLabel("Add a comment").fill("The second comment");
    await page.getByRole("button", { name: "Comment", exact: true }).click();
    await page.locator("#comment-list li.comment", { hasText: "The second comment" }).waitFor();
    await expect(page.locator("#comments-title")).toHaveText("2 comments");
    await expect(page.locator("li.post .post-footer a")).toHaveText("2 comments");
  });
});
