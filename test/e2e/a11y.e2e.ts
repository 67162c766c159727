// Every page, as each kind of visitor sees it: no Content-Security-Policy violation and no serious or
// critical axe-core finding; and the main flows work with the keyboard alone.
import type { Page } from "@playwright/test";
import { h1, PASSWORD } from "./accounts";
import { seriousAxeFindings } from "./axe";
import { browserAvailable, expect, NO_BROWSER, test } from "./fixtures";
import { baseUrl } from "./harness";

type Finding = { id: string; impact: string; help: string; nodes: string[] };

/** Records CSP violations from the moment the page starts loading. */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" && /Content Security Policy/i.test(msg.text())) violations.push(`${page.url()}: ${msg.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return violations;
}

async function audit(page: Page, path: string): Promise<Finding[]> {
  const res = await page.goto(path);
  expect(res?.headers()["content-security-policy"], `${path} has no CSP`).toMatch(/script-src 'self';/);
  await page.waitForFunction(() => typeof (window as { htmx?: unknown }).htmx === "object");
  return (await seriousAxeFindings(page)).map(({ targets, ...v }) => ({ ...v, nodes: targets.map((t) => `${path} ${t}`) }));
}

async function auditAll(page: Page, paths: string[]) {
  const findings: Finding[] = [];
  for (const path of paths) findings.push(...(await audit(page, path)));
  return findings;
}

/** Publishes a post with a link and comments on it, so the post page and the moderation list have content. */
async function publishWithComment(page: Page): Promise<{ postPath: string; postId: string }> {
  await page.goto("/");
  await page.getByLabel("What's on your mind?").fill("Accessible **post** with a [link](https://example.com)");
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await page.getByText("Your post has been published.").waitFor();
  const postPath = (await page.locator("li.post .post-date").first().getAttribute("href"))!;
  await page.goto(postPath);
  await page.getByLabel("Add a comment").fill("A comment");
  await page.getByRole("button", { name: "Comment", exact: true }).click();
  await page.locator("#comment-list li.comment").first().waitFor();
  return { postPath, postId: postPath.split("/").pop()! };
}

test.describe("accessibility and CSP on every page", () => {
  test.skip(!browserAvailable, NO_BROWSER);

  // One test per kind of visitor: together they audit ~25 pages, which on a busy 2-core machine took longer
  // than one test's timeout (the run ended in "page closed", not in a finding).
  test("member pages have no CSP violation and no serious axe finding", async ({ registerConfirmedUser }) => {
    // An axe scan per page: past the default 2 minutes on a loaded 2-core machine (load ~14 here).
    test.setTimeout(480_000);
    const member = await registerConfirmedUser({ keepPage: true });
    const page = member.page!;
    const csp = await watchCsp(page);
    const { postPath, postId } = await publishWithComment(page);
    const memberPages = [
      "/",
      "/explore",
      postPath,
      `/edit/${postId}`,
      `/post/${postId}/delete`,
      `/user/${member.username}`,
      "/edit-profile",
      `/followers/${member.username}`,
      `/followed_by/${member.username}`,
      "/auth/change-password",
      "/auth/change-email",
      "/dev/mail",
      "/account",
      "/sites",
      "/notifications",
      "/api",
      "/no-such-page",
    ];
    const findings = await auditAll(page, memberPages);
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
    expect(csp).toEqual([]);
  });

  test("stranger and administrator pages have no CSP violation and no serious axe finding", async ({ newPage, registerConfirmedUser, adminPage }) => {
    // An axe scan per page: past the default 2 minutes on a loaded 2-core machine (load ~14 here).
    test.setTimeout(480_000);
    const member = await registerConfirmedUser({ keepPage: true });
    const { postPath } = await publishWithComment(member.page!);

    const anon = await newPage();
    const anonCsp = await watchCsp(anon);
    const findings = await auditAll(anon, ["/", "/explore", "/auth/login", "/auth/register", "/auth/reset", postPath, `/user/${member.username}`]);

    const adminP = await adminPage();
    const adminCsp = await watchCsp(adminP);
    const memberId = await adminP.evaluate(async (u) => {
      const html = await (await fetch(`/user/${u}`)).text();
      return html.match(/href="\/edit-profile\/(\d+)"/)?.[1];
    }, member.username);
    findings.push(...(await auditAll(adminP, ["/moderate", `/edit-profile/${memberId}`])));

    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
    expect([...anonCsp, ...adminCsp]).toEqual([]);
  });

  test("works with the keyboard alone: log in, open the account menu, log out", async ({ newPage, registerConfirmedUser }) => {
    const user = await registerConfirmedUser();
    const page = await newPage();
    await page.goto("/auth/login");
    await page.waitForFunction(() => typeof (window as { htmx?: unknown }).htmx === "object");
    await page.getByLabel("Email or username", { exact: true }).focus();
    await page.keyboard.type(user.username);
    await page.keyboard.press("Tab");
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await h1(page, `Hello, ${user.username}!`).waitFor();

    // Reach the account menu by tabbing, as a keyboard user would.
    let focused = "";
    for (let i = 0; i < 15 && focused !== "Account"; i++) {
      await page.keyboard.press("Tab");
      focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? "");
    }
    expect(focused).toBe("Account");
    await page.keyboard.press("Enter"); // opens the menu
    const menu: string[] = [];
    for (let i = 0; i < 6 && menu.at(-1) !== "Log Out"; i++) {
      await page.keyboard.press("Tab");
      menu.push(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ""));
    }
    expect(menu).toEqual(["Change Password", "Change Email", "Your Data", "Log Out"]);
    await page.keyboard.press("Enter");
    await page.getByText("You have been logged out.").waitFor();
  });

  test("the checks themselves catch a real problem (an unlabelled field, an inline script)", async ({ newPage }) => {
    const page = await newPage();
    const csp = await watchCsp(page);
    await page.goto("/auth/login");
    await page.evaluate(() => {
      document.querySelector("main")!.insertAdjacentHTML("beforeend", '<input type="text" name="unlabelled">');
      const s = document.createElement("script");
      s.textContent = "window.__ran = true";
      document.body.append(s);
    });
    const ids = (await seriousAxeFindings(page)).map((v) => v.id);
    expect(ids).toContain("label");
    expect(await page.evaluate(() => (window as { __ran?: boolean }).__ran)).toBeUndefined();
    await expect.poll(() => csp.length).toBeGreaterThan(0);
    expect(new URL(baseUrl).hostname).toBe("127.0.0.1");
  });
});
