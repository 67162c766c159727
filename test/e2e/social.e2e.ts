// Browser test of the social core as a person uses it: write a post while the live preview renders it,
// find it on the home feed, follow someone, switch to the Followed tab and load more posts in place.
import { expectPath, h1 } from "./accounts";
import { browserAvailable, expect, NO_BROWSER, test } from "./fixtures";
import { baseUrl } from "./harness";

test.describe("posts, follows and feeds in the browser", () => {
  test.skip(!browserAvailable, NO_BROWSER);

  test("previews and publishes a post, follows a writer, switches to Followed and loads more", async ({ registerConfirmedUser }) => {
    // A prolific writer: 25 posts, made through the app's own form endpoint (same-origin POSTs).
    const writer = await registerConfirmedUser({ keepPage: true });
    for (let i = 1; i <= 25; i++) {
      const res = await writer.page!.context().request.post(`${baseUrl}/`, {
        form: { body: `Dispatch number ${i} from the writer` },
        headers: { Origin: baseUrl },
        maxRedirects: 0,
      });
      expect(res.status()).toBe(303);
    }

    const me = await registerConfirmedUser({ keepPage: true });
    const page = me.page!;
    await page.goto("/");
    await h1(page, `Hello, ${me.username}!`).waitFor();

    // Live preview: typing renders Markdown through the server's renderer, before publishing.
    const textarea = page.getByLabel("What's on your mind?");
    await textarea.fill("My **very first** post, with a [link](https://example.com)");
    const preview = page.getByRole("region", { name: "Preview" });
    await preview.locator("strong", { hasText: "very first" }).waitFor();
    expect(await preview.locator('a[href="https://example.com"]').getAttribute("rel")).toBe("nofollow ugc noopener");

    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await page.getByText("Your post has been published.").waitFor();
    const firstPost = page.locator("li.post", { hasText: "very first" });
    await firstPost.locator("strong", { hasText: "very first" }).waitFor();
    expect(await firstPost.locator(".post-author").innerText()).toBe(me.username);

    // Follow the writer from their profile: the button swaps in place.
    await page.goto(`/user/${writer.username}`);
    await h1(page, writer.username).waitFor();
    await page.getByRole("button", { name: "Follow", exact: true }).click();
    await page.getByRole("button", { name: "Unfollow", exact: true }).waitFor();

    // The Followed tab: my post plus the writer's 25, 20 at a time.
    await page.getByRole("link", { name: "Home", exact: true }).click();
    await expectPath(page, "/");
    await page.getByRole("link", { name: "Followed", exact: true }).click();
    await page.locator('.tabs a[aria-current="page"]', { hasText: "Followed" }).waitFor();
    await expect.poll(() => page.locator("li.post").count()).toBe(20);
    expect(await page.locator("li.post").first().innerText()).toContain("very first");

    const before = page.url();
    await page.getByRole("link", { name: "Load more", exact: true }).click();
    await expect.poll(() => page.locator("li.post").count()).toBe(26);
    // The URL records what is shown (pages 1–2), so Back and reload show the same posts (issue 15).
    expect(page.url()).toBe(`${before.replace(/\?.*$/, "")}?shown=2`);
    await page.getByText("Dispatch number 1 from the writer").waitFor();
    // Everything is shown: no further Load more.
    expect(await page.getByRole("link", { name: "Load more", exact: true }).count()).toBe(0);
  });
});
