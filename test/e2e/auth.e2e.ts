// Browser tests of the account life cycle as a person meets it: register through the form, confirm through the
// mailed link, log in, log out; and the register form's validation errors swapped in place by htmx.
import { fillRegisterForm, goToLogIn, h1, logIn, PASSWORD } from "./accounts";
import { browserAvailable, expect, NO_BROWSER, test } from "./fixtures";
import { uniqueEmail, uniqueUsername } from "./harness";

test.describe("auth in the browser", () => {
  test.skip(!browserAvailable, NO_BROWSER);

  test("greets a stranger, logs a confirmed user in by username, greets them by name, logs them out", async ({ newPage, registerConfirmedUser }) => {
    const { username } = await registerConfirmedUser();

    const page = await newPage(); // a fresh visitor: no cookies from the registration above
    await page.goto("/");
    await h1(page, "Your own blog, among friends.").waitFor();

    await goToLogIn(page);
    await logIn(page, username, PASSWORD);
    await h1(page, `Hello, ${username}!`).waitFor();
    const session = (await page.context().cookies()).find((cookie) => cookie.name === "__Host-session");
    expect(session, "the session cookie was not stored by the browser").toBeDefined();
    expect(session).toMatchObject({ secure: true, httpOnly: true, path: "/", sameSite: "Lax" });
    // "Keep me logged in" asks for a cookie that outlives the browser session.
    expect(session!.expires).toBeGreaterThan(Date.now() / 1000);

    await page.getByText("Account", { exact: true }).click(); // opens the <details> menu
    await page.getByRole("button", { name: "Log Out", exact: true }).click();
    await page.getByText("You have been logged out.").waitFor();
    await h1(page, "Your own blog, among friends.").waitFor();
    await page.getByRole("link", { name: "Log In", exact: true }).waitFor();
  });

  test("shows a password mismatch next to the field, swapped in place by htmx, keeping what was typed", async ({ newPage }) => {
    const username = uniqueUsername("mismatch");
    const email = uniqueEmail(username);
    const page = await newPage();
    await page.goto("/auth/register");
    await page.waitForFunction(() => typeof (window as { htmx?: unknown }).htmx === "object");
    // A full page load would wipe this; an htmx swap keeps the same window.
    await page.evaluate(() => ((window as { __marker?: string }).__marker = "kept"));

    await fillRegisterForm(page, { email, username, password: PASSWORD, password2: `${PASSWORD} typo` });
    const posted = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/auth/register");
    await page.getByRole("button", { name: "Register", exact: true }).click();
    const response = await posted;

    expect(response.status()).toBe(422);
    expect(response.request().headers()["hx-request"], "the form was not submitted by htmx").toBe("true");
    await page.getByText("Passwords must match.").waitFor();
    expect(await page.evaluate(() => (window as { __marker?: string }).__marker)).toBe("kept");
    expect(new URL(page.url()).pathname).toBe("/auth/register");
    expect(await page.getByLabel("Email", { exact: true }).inputValue()).toBe(email);
    expect(await page.getByLabel("Username", { exact: true }).inputValue()).toBe(username);
  });

  test("refuses a wrong password with a clear message", async ({ newPage }) => {
    const page = await newPage();
    await page.goto("/auth/login");
    await page.getByLabel("Email or username", { exact: true }).fill(uniqueEmail(uniqueUsername("nobody")));
    await page.getByLabel("Password", { exact: true }).fill("not the password");
    await page.getByRole("button", { name: "Log In", exact: true }).click();
    await page.getByText("Invalid email or password.").waitFor();
    expect(new URL(page.url()).pathname).toBe("/auth/login");
    expect(await page.context().cookies()).not.toContainEqual(expect.objectContaining({ name: "__Host-session" }));
  });
});
