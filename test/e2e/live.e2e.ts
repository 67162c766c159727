// Issue 12's features as two members use them with JavaScript on: active search (results change while
// typing, no reload, the address keeps ?q=), the like toggle (the count changes in place and survives a
// reload), the notification badge (the other member's follow and like show after the badge's refresh, which
// polls every 30 s) and a message thread (a reply appends in place; the other member sees it).
import type { Page } from "@playwright/test";
import { h1 } from "./accounts";
import { browserAvailable, expect, NO_BROWSER, test } from "./fixtures";

/** Marks the document: the mark survives in-place swaps and is gone after any full page load. */
const markDocument = (page: Page) => page.evaluate(() => document.documentElement.setAttribute("data-e2e-same-document", ""));
const sameDocument = (page: Page) => page.evaluate(() => document.documentElement.hasAttribute("data-e2e-same-document"));

test.describe("search, likes, notifications and messages in place", () => {
  test.skip(!browserAvailable, NO_BROWSER);

  test("two members: active search, a like that survives a reload, the badge after its refresh, a message thread", async ({ registerConfirmedUser }) => {
    const alice = await registerConfirmedUser({ keepPage: true });
    const a = alice.page!;
    const word = `zephyr${Date.now().toString(36)}`;
    await a.getByLabel("What's on your mind?").fill(`Looking for the ${word} in the garden`);
    await a.getByRole("button", { name: "Publish", exact: true }).click();
    await a.getByText("Your post has been published.").waitFor();
    await expect(a.locator("#notification-badge .badge")).toHaveCount(0);

    const bob = await registerConfirmedUser({ keepPage: true });
    const b = bob.page!;

    // Active search: typing updates the results without a reload; the address follows.
    await b.goto("/search");
    await h1(b, "Search").waitFor();
    await markDocument(b);
    // The page's own field (the nav's search box has the same label).
    const field = b.locator("main").getByLabel("Search posts and people");
    await field.fill("nothingmatchesthisatall");
    await expect(b.locator("#search-results")).toContainText("No results for “nothingmatchesthisatall”.");
    await field.fill(word);
    const hit = b.locator("#search-results li.post", { hasText: "in the garden" });
    await expect(hit).toBeVisible();
    await expect(hit.locator("mark")).toHaveText(word);
    await expect(hit.locator("a.post-author")).toHaveText(alice.username);
    await expect.poll(() => new URL(b.url()).searchParams.get("q")).toBe(word);
    expect(await sameDocument(b)).toBe(true);
    // The recorded address is a real page on its own.
    await b.reload();
    await expect(field).toHaveValue(word);
    await expect(b.locator("#search-results li.post", { hasText: "in the garden" })).toBeVisible();

    // The like toggle: in place, and still there after a reload.
    await b.goto(`/user/${alice.username}`);
    const post = b.locator("li.post", { hasText: word });
    await markDocument(b);
    await post.getByRole("button", { name: "♡ Like" }).click();
    await expect(post.getByRole("button", { name: "♥ Liked" })).toHaveAttribute("aria-pressed", "true");
    await expect(post.locator(".like-count")).toHaveText("1 like");
    expect(await sameDocument(b)).toBe(true);
    await b.reload();
    await expect(post.getByRole("button", { name: "♥ Liked" })).toBeVisible();
    await expect(post.locator(".like-count")).toHaveText("1 like");
    // Bob follows Alice too.
    await b.getByRole("button", { name: "Follow", exact: true }).first().click();
    await b.getByRole("button", { name: "Unfollow", exact: true }).first().waitFor();

    // The badge: it polls every 30 s; its refresh (the same request, asked for now) shows the follow and the like.
    const badge = a.locator("#notification-badge");
    await expect(badge).toHaveAttribute("hx-get", "/notifications/badge");
    expect(await badge.getAttribute("hx-trigger")).toMatch(/(^|,\s*)every 30s(,|$)/);
    await markDocument(a);
    const refreshed = a.waitForResponse((r) => new URL(r.url()).pathname === "/notifications/badge");
    await a.evaluate(() => document.dispatchEvent(new CustomEvent("roost:visible")));
    expect((await refreshed).status()).toBe(200);
    await expect(a.locator("#notification-badge .badge")).toContainText("2");
    expect(await sameDocument(a)).toBe(true);
    await a.getByRole("link", { name: "Notifications", exact: true }).click();
    await expect(a.locator("main")).toContainText(`${bob.username} liked your post`);
    await expect(a.locator("main")).toContainText(`${bob.username} followed you`);

    // A message thread: Bob writes, the reply appends in place; Alice sees it and answers; Bob sees that.
    await b.goto(`/messages/${alice.username}`);
    await h1(b, `Messages with ${alice.username}`).waitFor();
    await markDocument(b);
    await b.getByLabel("Message", { exact: true }).fill("Hello Alice, lovely garden");
    await b.getByRole("button", { name: "Send", exact: true }).click();
    await expect(b.locator("#messages li.message.mine")).toContainText("Hello Alice, lovely garden");
    await expect(b.getByLabel("Message", { exact: true })).toHaveValue("");
    expect(await sameDocument(b)).toBe(true);

    await a.goto("/messages");
    await a.getByRole("link", { name: bob.username, exact: true }).click();
    await h1(a, `Messages with ${bob.username}`).waitFor();
    await expect(a.locator("#messages li.message:not(.mine)")).toContainText("Hello Alice, lovely garden");
    await a.getByLabel("Message", { exact: true }).fill("Thank you, Bob!");
    await a.getByRole("button", { name: "Send", exact: true }).click();
    await expect(a.locator("#messages li.message.mine")).toContainText("Thank you, Bob!");

    await b.reload();
    await expect(b.locator("#messages li.message:not(.mine)")).toContainText("Thank you, Bob!");
    await expect(b.locator("#messages li.message")).toHaveCount(2);
  });
});
