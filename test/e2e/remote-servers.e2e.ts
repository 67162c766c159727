// Federation safety in the browser (issue 13): an Administrator blocks a server from the Remote Servers page and
// lifts the block; a member leaves the fediverse from Your Data and rejoins. Both pages, with content on them,
// pass the page checks (axe, no sideways scroll, tap targets, no CSP violation) at phone and desktop size.
import { browserAvailable, expect, NO_BROWSER, test } from "./fixtures";
import { checkPages, watchCsp } from "./page-checks";

test.describe("remote servers and leaving the fediverse", () => {
  test.skip(!browserAvailable, NO_BROWSER);

  test("an Administrator blocks and unblocks a server", async ({ adminPage }) => {
    test.setTimeout(300_000);
    const admin = await adminPage();
    const csp = await watchCsp(admin);
    const host = `spam${Date.now().toString(36)}.example`;
    await admin.goto("/");
    await admin.getByText("Account", { exact: true }).click();
    await admin.getByRole("link", { name: "Remote Servers" }).click();
    await expect(admin).toHaveURL(/\/admin\/servers$/);

    // An empty host is refused at the field, in place.
    await admin.getByRole("button", { name: "Block server" }).click();
    await expect(admin.getByText("Enter the server to block.")).toBeVisible();

    await admin.getByLabel("Server").fill(`https://${host}/@troll`);
    await admin.getByLabel(/^Reason/).fill("Spam waves");
    await admin.getByRole("button", { name: "Block server" }).click();
    await expect(admin.getByText(`Blocked ${host} and its subdomains.`)).toBeVisible();
    const row = admin.getByRole("row", { name: new RegExp(host.replaceAll(".", "\\.")) });
    await expect(row).toContainText("Spam waves");

    const problems = await checkPages(admin, ["/admin/servers"]);
    expect(problems, problems.join("\n")).toEqual([]);

    await row.getByRole("button", { name: `Unblock ${host}` }).click();
    await expect(admin.getByText(`Unblocked ${host}.`)).toBeVisible();
    await expect(admin.getByRole("row", { name: new RegExp(host.replaceAll(".", "\\.")) })).toHaveCount(0);
    expect(csp).toEqual([]);
  });

  test("a member leaves the fediverse and rejoins", async ({ registerConfirmedUser }) => {
    test.setTimeout(300_000);
    const member = await registerConfirmedUser({ keepPage: true });
    const page = member.page!;
    const csp = await watchCsp(page);
    await page.goto("/account");
    await page.getByRole("button", { name: "Leave the fediverse" }).click();
    await expect(page.getByText("You left the fediverse: other servers no longer find or follow your account.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Rejoin the fediverse" })).toBeVisible();
    const problems = await checkPages(page, ["/account"]);
    expect(problems, problems.join("\n")).toEqual([]);
    await page.getByRole("button", { name: "Rejoin the fediverse" }).click();
    await expect(page.getByText("You rejoined the fediverse")).toBeVisible();
    await expect(page.getByRole("button", { name: "Leave the fediverse" })).toBeVisible();
    expect(csp).toEqual([]);
  });
});
