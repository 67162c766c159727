// Browser test of moderation as people meet it: an author comments (appended in place by htmx), a
// moderator disables the comment from /moderate, and the author then sees the moderator's notice.
import { browserAvailable, expect, NO_BROWSER, test } from "./fixtures";

test.describe("comments and moderation in the browser", () => {
  test.skip(!browserAvailable, NO_BROWSER);

  test("a moderator disables a comment and its author sees the notice instead of the text", async ({ registerConfirmedUser, adminPage }) => {
    const author = await registerConfirmedUser({ keepPage: true });
    const page = author.page!;
    const title = `A post worth discussing ${Date.now()}`;
    await page.getByLabel("What's on your mind?").fill(title);
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await page.getByText("Your post has been published.").waitFor();
    await page.locator("li.post", { hasText: title }).getByRole("link", { name: "0 comments" }).click();

    const text = `Rude words ${Date.now()}`;
    await page.getByLabel("Add a comment").fill(text);
    const before = page.url();
    await page.getByRole("button", { name: "Comment", exact: true }).click();
    await page.locator("#comment-list li.comment", { hasText: text }).waitFor();
    expect(page.url()).toBe(before); // appended in place, no navigation
    expect(await page.getByLabel("Add a comment").inputValue()).toBe(""); // the form was reset
    const postPath = new URL(page.url()).pathname;

    // The administrator (ADMIN_EMAIL) moderates.
    const mp = await adminPage();
    await mp.getByRole("link", { name: "Moderate", exact: true }).click();
    const entry = mp.locator("li.comment", { hasText: text });
    await entry.getByRole("button", { name: "Disable", exact: true }).click();
    await entry.getByRole("button", { name: "Enable", exact: true }).waitFor(); // swapped in place
    await expect.poll(() => mp.locator("li.comment", { hasText: text }).getByText("Disabled").count()).toBe(1);

    await page.goto(postPath);
    await page.getByText("This comment has been disabled by a moderator.").waitFor();
    expect(await page.content()).not.toContain(text);
  });
});
