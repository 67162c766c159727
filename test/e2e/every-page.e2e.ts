// Every page of Roost, as the visitor who sees it (stranger, member, site owner, moderator), with content on it:
// at 390 px and 1280 px, in light and dark mode, axe-core finds nothing serious, nothing scrolls sideways, tap
// targets on the phone are at least 44 px, and no Content-Security-Policy violation happens (./page-checks).
// One test per kind of visitor, each with its own time budget: ~45 pages × 2 sizes × 2 schemes, an axe scan each.
import type { Page } from "@playwright/test";
import { PASSWORD, type RegisteredUser } from "./accounts";
import { browserAvailable, expect, NO_BROWSER, test } from "./fixtures";
import { baseUrl, uniqueEmail, uniqueUsername } from "./harness";
import { checkPages, watchCsp } from "./page-checks";

// An axe scan per load on a loaded 2-core machine: well past the default 2 minutes.
const BUDGET = 600_000;
const WORD = `wrens${Date.now().toString(36)}`;
const TAG = `birdwatch${Date.now().toString(36)}`;
const VISITOR_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

/** A same-origin form POST with the page's session (as the browser's own form would send it). */
async function post(page: Page, path: string, form: Record<string, string> = {}) {
  return page.context().request.post(`${baseUrl}${path}`, { form, headers: { Origin: baseUrl }, maxRedirects: 0 });
}

async function html(page: Page, path: string): Promise<string> {
  return (await page.context().request.get(`${baseUrl}${path}`)).text();
}

/** What the pages need, made through the app's forms: two members' posts, a comment, a follow, messages. */
async function socialContent(writer: RegisteredUser, reader: RegisteredUser) {
  const w = writer.page!;
  const r = reader.page!;
  expect((await post(w, "/", { body: `Spotted three ${WORD} today #${TAG}, and a **robin** with a [link](https://example.com)` })).status()).toBe(303);
  const postId = (await html(w, `/user/${writer.username}`)).match(/href="\/post\/(\d+)"/)![1]!;
  expect((await post(r, `/post/${postId}/comments`, { body: `Lovely ${WORD}! @${writer.username}` })).status()).toBe(303);
  const commentId = (await html(r, `/post/${postId}`)).match(/href="\/comment\/(\d+)\/delete"/)![1]!;
  expect((await post(r, `/follow/${writer.username}`)).status()).toBeLessThan(400);
  expect((await post(w, `/messages/${reader.username}`, { body: "Thanks for the comment: https://example.com" })).status()).toBeLessThan(400);
  expect((await post(r, `/messages/${writer.username}`, { body: "Any time." })).status()).toBeLessThan(400);
  return { postId, commentId };
}

/** A site with visits through its beacon (waits for the queue), an open and a protected share link, public. */
async function siteWithVisits(owner: Page) {
  const made = await post(owner, "/sites", { name: "Audit site", base_url: "https://audit.example" });
  expect(made.status()).toBe(303);
  const sitePath = made.headers().location!;
  const paths = ["/", "/pricing", `/blog/${"a-long-slug-".repeat(6)}end`, "/about"];
  for (let i = 0; i < 6; i++) {
    const res = await owner.context().request.post(`${baseUrl}${sitePath}/visit`, {
      headers: { "Content-Type": "text/plain;charset=UTF-8", "User-Agent": VISITOR_UA, "CF-Connecting-IP": `198.51.100.${40 + i}` },
      data: JSON.stringify({ url: `https://audit.example${paths[i % paths.length]}?utm_source=news`, referrer: "https://news.example/story" }),
    });
    expect(res.status()).toBe(204);
  }
  await expect
    .poll(async () => (await html(owner, `${sitePath}?period=30d`)).match(/<dd[^>]*>(\d+)<\/dd>/)?.[1], { timeout: 120_000, intervals: [1000, 2000] })
    .not.toBe("0");
  const open = await (await post(owner, `${sitePath}/shares`, { label: "Friends" })).text();
  const guarded = await (await post(owner, `${sitePath}/shares`, { label: "Guarded", password: "a long share password" })).text();
  const shareOf = (page: string) => page.match(/\/share\/[A-Za-z0-9_-]+/)![0];
  expect((await post(owner, `${sitePath}/public`, { public: "y" })).status()).toBe(303);
  return { sitePath, openShare: shareOf(open), guardedShare: shareOf(guarded) };
}

/** The pages anyone can read, with the writer's content on them (the 404 page included). */
function readerPages(writer: string, postId: string): string[] {
  const content = [`/post/${postId}`, `/user/${writer}`, `/followers/${writer}`, `/tags/${TAG}`, `/search?q=${WORD}`];
  return ["/", "/explore", ...content, "/api", "/about", "/privacy", "/no-such-page"];
}

test.describe("every page at phone and desktop size, light and dark", () => {
  test.skip(!browserAvailable, NO_BROWSER);
  // The three visitors' audits are independent (own accounts, own content): spread them over the workers.
  test.describe.configure({ mode: "parallel" });

  test("a member's pages, with content on them", async ({ registerConfirmedUser }) => {
    test.setTimeout(BUDGET);
    const writer = await registerConfirmedUser({ keepPage: true });
    const reader = await registerConfirmedUser({ keepPage: true });
    const { postId, commentId } = await socialContent(writer, reader);
    const page = writer.page!;
    const csp = await watchCsp(page);
    const problems = await checkPages(page, [
      ...readerPages(writer.username, postId),
      `/edit/${postId}`,
      `/post/${postId}/delete`,
      `/comment/${commentId}/delete`,
      `/user/${reader.username}`,
      `/followed_by/${reader.username}`,
      "/edit-profile",
      "/search",
      "/notifications",
      "/notifications/settings",
      "/messages",
      `/messages/${reader.username}`,
      "/auth/change-password",
      "/auth/change-email",
      "/account",
      "/posts/stats",
      "/sites",
      "/dev/mail",
      "/moderate", // 403: the error page as a member sees it
      "/fediverse/follow",
      "/followed", // the home page's Followed tab (its follow-someone-elsewhere form), by its cookie
    ]);
    expect(problems, problems.join("\n")).toEqual([]);
    expect(csp).toEqual([]);
  });

  test("a site owner's pages and the shared report, with visits on them", async ({ registerConfirmedUser, newPage }) => {
    test.setTimeout(BUDGET);
    const owner = await registerConfirmedUser({ keepPage: true });
    const page = owner.page!;
    const { sitePath, openShare, guardedShare } = await siteWithVisits(page);
    const csp = await watchCsp(page);
    const problems = await checkPages(page, [
      "/sites",
      `${sitePath}?period=30d`,
      `${sitePath}?period=30d&compare=1&f=page%3Acontains%3A%2Fblog`,
      `${sitePath}?period=nonsense`,
      `${sitePath}/visits?period=30d`,
      `${sitePath}/sharing`,
      `${sitePath}/goals`,
      `${sitePath}/delete`,
    ]);
    const stranger = await newPage();
    csp.push(...(await watchCsp(stranger)));
    problems.push(
      ...(await checkPages(stranger, [openShare, `${openShare}?period=30d`, guardedShare, `${sitePath}/public?period=30d`, "/share/no-such-token"])),
    );
    expect(problems, problems.join("\n")).toEqual([]);
    expect(csp).toEqual([]);
  });

  test("a stranger's, a newcomer's and a moderator's pages", async ({ registerConfirmedUser, newPage, adminPage }) => {
    test.setTimeout(BUDGET);
    const writer = await registerConfirmedUser({ keepPage: true });
    const reader = await registerConfirmedUser({ keepPage: true });
    const { postId, commentId } = await socialContent(writer, reader);
    const stranger = await newPage();
    const csp = await watchCsp(stranger);
    const problems = await checkPages(stranger, [...readerPages(writer.username, postId), "/auth/login", "/auth/register", "/auth/reset"]);
    // Registered, logged in, not confirmed yet: held at /auth/unconfirmed.
    const newcomer = await newPage();
    // A long name (one unbreakable word, in the heading and in the email address) must not widen the phone's page.
    const name = uniqueUsername("newcomer_with_a_rather_long_name");
    const form = { email: uniqueEmail(name), username: name, password: PASSWORD, password2: PASSWORD };
    expect((await post(newcomer, "/auth/register", form)).status()).toBe(303);
    expect((await post(newcomer, "/auth/login", { email: form.email, password: PASSWORD })).status()).toBe(303);
    csp.push(...(await watchCsp(newcomer)));
    problems.push(...(await checkPages(newcomer, ["/auth/unconfirmed"])));

    const admin = await adminPage();
    csp.push(...(await watchCsp(admin)));
    const readerId = (await html(admin, `/user/${reader.username}`)).match(/href="\/edit-profile\/(\d+)"/)![1];
    problems.push(...(await checkPages(admin, ["/moderate", `/comment/${commentId}/delete`, `/edit-profile/${readerId}`])));
    expect(problems, problems.join("\n")).toEqual([]);
    expect(csp).toEqual([]);
  });
});
