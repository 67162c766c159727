// Blocking in the browser (features/blocks): from the profile, the Block button swaps in place for Unblock and
// the follow button and follower count follow out of band; from the account page, Unblock swaps in place too.
import { h1 } from "./accounts";
import { browserAvailable, expect, NO_BROWSER, test } from "./fixtures";

test.describe("blocking", () => {
  test.skip(!browserAvailable, NO_BROWSER);

  test("block in place on the profile, then unblock in place from the account page", async ({ registerConfirmedUser }) => {
    const other = await registerConfirmedUser();
    const me = await registerConfirmedUser({ keepPage: true });
    const page = me.page!;
    await page.goto(`/user/${other.username}`);
    await h1(page, other.username).waitFor();
    await page.getByRole("button", { name: "Follow", exact: true }).click();
    await page.getByRole("button", { name: "Unfollow", exact: true }).waitFor();
    await expect(page.locator("#follower-count")).toHaveText("1 follower");

    const before = page.url();
    await page.getByRole("button", { name: "Block", exact: true }).click();
    await page.getByText(`You blocked ${other.username}. They are not told.`).waitFor();
    expect(page.url()).toBe(before); // in place, no reload
    await expect(page.getByRole("button", { name: `Unblock ${other.username}`, exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: "Follow", exact: true })).toBeVisible();
    await expect(page.locator("#follower-count")).toHaveText("0 followers");

    await page.goto("/account");
    await page.getByRole("heading", { level: 2, name: "Blocked members" }).waitFor();
    await page.getByRole("button", { name: `Unblock ${other.username}`, exact: true }).click();
    await page.getByText(`You unblocked ${other.username}.`).waitFor();
    expect(new URL(page.url()).pathname).toBe("/account");
    await expect(page.getByRole("button", { name: "Block", exact: true })).toBeVisible();
  });
});
