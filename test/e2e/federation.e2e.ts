// Two Roost instances federating (issue 13, "How it is proven"): A and B run side by side on two local ports,
// each with its own state (test/e2e/peers.ts), and people drive them through the browser. alice registers on
// A and bob on B (confirmed through each instance's own dev mailbox); alice follows bob@127.0.0.1:<portB>
// with "Follow someone on another server" (WebFinger, then his actor); bob's post, its edit and its deletion
// reach alice's Followed feed on A; bob follows alice back from B and her post reaches his Followed feed;
// alice replies to a post of bob's from her feed and it shows as a comment on B; bob likes a post of alice's
// from his and the count shows on A;
// B's Administrator blocks A's server on the Remote Servers page: A's follower is gone from bob's list at once,
// alice's posts leave bob's feed, and her next post is refused by B (A's log says so) and never shows there.
//
// The steps share the two instances and the three logged-in browsers, so they run in order (serial) and a
// failed step skips the rest. Every wait on the other server polls with a deadline (delivery goes through
// each instance's queue), never a fixed sleep.
import { existsSync, readFileSync } from "node:fs";
import type { Browser, Page } from "@playwright/test";
import { h1, registerConfirmedUser } from "./accounts";
import { browserAvailable, expect, NO_BROWSER, test } from "./fixtures";
import { type Peer, startPeers } from "./peers";

/** How long one federation hop may take: a queue batch, a signed POST, the other side's key fetch. */
const HOP_MS = 45_000;
const ADMIN_EMAIL = "admin@example.com";

/** Reloads `path` until `check` passes (each try short), or fails after `timeout` with the last failure. */
async function eventually(page: Page, path: string, check: () => Promise<void>, timeout = HOP_MS) {
  await expect(async () => {
    await page.goto(path);
    await check();
  }).toPass({ timeout, intervals: [250, 500, 1000] });
}

/** Publishes a post from the home page's form. */
async function publish(page: Page, body: string) {
  await page.goto("/");
  await page.getByLabel("What's on your mind?").fill(body);
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await page.getByText("Your post has been published.").waitFor();
}

/** A remote post in the Followed feed, by its text. */
const remotePost = (page: Page, text: string) => page.locator("li.post-remote", { hasText: text });

/** `author` publishes `text`; resolves once it shows in `reader`'s Followed feed on the other instance. */
async function publishAndAwait(author: Page, reader: Page, text: string) {
  await publish(author, text);
  await eventually(reader, "/followed", async () => {
    await expect(remotePost(reader, text)).toBeVisible({ timeout: 500 });
  });
}

/** Follows `handle` from the Followed tab's "Follow someone on another server" box. */
async function followElsewhere(page: Page, handle: string) {
  await page.goto("/followed");
  await page.getByText("Follow someone on another server").click();
  await page.getByLabel("Their address").fill(handle);
  await page.getByRole("button", { name: "Follow", exact: true }).click();
  await expect(page.getByText(`Asked to follow @${handle}`)).toBeVisible();
}

/** Opens the author's own post (by its text) from their profile, where its Edit and Delete links are. */
async function openOwnPost(page: Page, username: string, text: string) {
  await page.goto(`/user/${username}`);
  await page.locator("li.post", { hasText: text }).locator("a.post-date").click();
  await h1(page, /^Post by/).waitFor();
}

/** The lines of a server's log that mention `needle` (the server's own output: request log, queue consumer). */
function logLines(peer: Peer, needle: string): string[] {
  if (!existsSync(peer.logFile)) return [];
  return readFileSync(peer.logFile, "utf8")
    .split("\n")
    .filter((line) => line.includes(needle));
}

test.describe("two instances federating", () => {
  test.skip(!browserAvailable, NO_BROWSER);
  test.describe.configure({ mode: "serial" });

  let stopPeers: (() => Promise<void>) | null = null;
  let A: Peer;
  let B: Peer;
  let alice: Page;
  let bob: Page;
  let admin: Page;
  const stamp = Date.now().toString(36);

  test.beforeAll(async ({ browser }: { browser: Browser }, testInfo) => {
    testInfo.setTimeout(300_000);
    const started = performance.now();
    const { peers, stop } = await startPeers(["a", "b"]);
    stopPeers = stop;
    [A, B] = peers as [Peer, Peer];
    const ready = performance.now();
    const opener = (origin: string) => async () => {
      const context = await browser.newContext({ baseURL: origin });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    };
    const [a, b, adm] = await Promise.all([
      registerConfirmedUser(opener(A.origin), { username: "alice", origin: A.origin, keepPage: true }),
      registerConfirmedUser(opener(B.origin), { username: "bob", origin: B.origin, keepPage: true }),
      // ADMIN_EMAIL's owner becomes B's Administrator by confirming (wrangler.toml).
      registerConfirmedUser(opener(B.origin), { username: "admin_b", email: ADMIN_EMAIL, origin: B.origin, keepPage: true }),
    ]);
    [alice, bob, admin] = [a.page, b.page, adm.page] as [Page, Page, Page];
    console.log(
      `[federation] instances ready after ${((ready - started) / 1000).toFixed(1)} s, three members registered after ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  });

  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixtures from an object pattern; this hook needs none.
  test.afterEach(async ({}, testInfo) => {
    if (testInfo.status === testInfo.expectedStatus) return;
    for (const [name, page] of [
      ["alice-on-A", alice],
      ["bob-on-B", bob],
      ["admin-on-B", admin],
    ] as const) {
      if (!page || page.isClosed()) continue;
      const file = testInfo.outputPath(`${name}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      await testInfo.attach(`${name} (${page.url()})`, { path: file, contentType: "image/png" }).catch(() => undefined);
    }
  });

  test.afterAll(async () => {
    for (const page of [alice, bob, admin]) await page?.context().close();
    await stopPeers?.();
  });

  test("alice on A follows bob on B by his handle; his post, its edit and its deletion reach her Followed feed", async () => {
    test.setTimeout(240_000);
    await followElsewhere(alice, `bob@${B.host}`);
    // Pending until B's Accept arrives (B fetched alice's actor and key from A to verify the Follow).
    await eventually(alice, "/fediverse/follow", async () => {
      await expect(alice.getByRole("link", { name: new RegExp(`@bob@${B.host}`) })).toBeVisible({ timeout: 500 });
      await expect(alice.getByText("waiting for their server")).toHaveCount(0, { timeout: 500 });
    });
    // On B, alice is among bob's followers, as @alice@<A's host>.
    await bob.goto("/followers/bob");
    await expect(bob.getByRole("link", { name: `@alice@${A.host}` })).toBeVisible();

    const first = `Hello from B, ${stamp}`;
    await publish(bob, first);
    await eventually(alice, "/followed", async () => {
      const post = remotePost(alice, first);
      await expect(post).toBeVisible({ timeout: 500 });
      await expect(post).toContainText(`@bob@${B.host}`);
      await expect(post).toContainText("elsewhere");
    });

    const edited = `Hello from B, edited, ${stamp}`;
    await openOwnPost(bob, "bob", first);
    await bob.getByRole("link", { name: "Edit", exact: true }).click();
    await h1(bob, "Edit Post").waitFor();
    await bob.getByLabel("What's on your mind?").fill(edited);
    await bob.getByRole("button", { name: "Save", exact: true }).click();
    await bob.getByText("The post has been updated.").waitFor();
    await eventually(alice, "/followed", async () => {
      await expect(remotePost(alice, edited)).toBeVisible({ timeout: 500 });
    });
    await expect(remotePost(alice, first)).toHaveCount(0);

    await openOwnPost(bob, "bob", edited);
    await bob.getByRole("link", { name: "Delete", exact: true }).click();
    await h1(bob, "Delete this post?").waitFor();
    await bob.getByRole("button", { name: "Delete post", exact: true }).click();
    await bob.getByText("The post has been deleted.").waitFor();
    await eventually(alice, "/followed", async () => {
      await expect(remotePost(alice, edited)).toHaveCount(0, { timeout: 500 });
    });
  });

  test("bob on B follows alice on A; her new post reaches his Followed feed", async () => {
    test.setTimeout(180_000);
    await followElsewhere(bob, `alice@${A.host}`);
    await eventually(bob, "/fediverse/follow", async () => {
      await expect(bob.getByText("waiting for their server")).toHaveCount(0, { timeout: 500 });
    });
    const post = `Hello from A, ${stamp}`;
    await publish(alice, post);
    await eventually(bob, "/followed", async () => {
      await expect(remotePost(bob, post)).toContainText(`@alice@${A.host}`, { timeout: 500 });
    });
  });

  // The reply box under a remote note in the Followed feed (src/views/remote-note.tsx).
  test("alice replies to bob's post from her Followed feed; the reply appears as a comment under it on B", async () => {
    test.setTimeout(180_000);
    const post = `Reply to me, ${stamp}`;
    await publishAndAwait(bob, alice, post);
    const reply = `A reply from A, ${stamp}`;
    const note = remotePost(alice, post);
    await note.locator("summary", { hasText: "Reply" }).click();
    await note.getByLabel(`Your reply to @bob@${B.host}`).fill(reply);
    await note.getByRole("button", { name: "Send reply", exact: true }).click();
    await expect(note.getByText(`Reply sent to @bob@${B.host}.`)).toBeVisible();
    await openOwnPost(bob, "bob", post);
    await eventually(bob, new URL(bob.url()).pathname, async () => {
      const comment = bob.locator("#comment-list li.comment", { hasText: reply });
      await expect(comment).toContainText(`@alice@${A.host}`, { timeout: 500 });
    });
  });

  // The like button under a remote note in the Followed feed (src/views/remote-note.tsx).
  test("bob likes alice's post from his Followed feed; the like count shows on A", async () => {
    test.setTimeout(180_000);
    const post = `Like me, ${stamp}`;
    await publishAndAwait(alice, bob, post);
    const note = remotePost(bob, post);
    await note.getByRole("button", { name: "♡ Like", exact: true }).click();
    await expect(note.getByRole("button", { name: "♥ Liked", exact: true })).toBeVisible();
    await eventually(alice, "/user/alice", async () => {
      await expect(alice.locator("li.post", { hasText: post }).getByText("1 like", { exact: true })).toBeVisible({ timeout: 500 });
    });
  });

  test("B's Administrator blocks A's server: A's follow is gone and alice's next post does not reach B", async () => {
    test.setTimeout(180_000);
    const before = `Before the block, ${stamp}`;
    await publishAndAwait(alice, bob, before);

    await admin.goto("/admin/servers");
    // B lists A among the servers it talks to (it has accepted A's activities).
    await expect(admin.getByRole("region", { name: "Servers Roost talks to" })).toContainText("127.0.0.1");
    await admin.getByRole("textbox", { name: "Server" }).fill(A.origin);
    await admin.getByLabel(/^Reason/).fill("Testing the block between two instances");
    await admin.getByRole("button", { name: "Block server" }).click();
    // The block covers A (host 127.0.0.1, any port); alice was bob's one remote follower.
    await expect(admin.getByText("Blocked 127.0.0.1 and its subdomains. Remote followers removed: 1.")).toBeVisible();

    // What B stored from A went in the same step: alice's follow of bob, bob's follow of alice and her posts.
    await bob.goto("/followers/bob");
    await expect(bob.getByRole("link", { name: `@alice@${A.host}` })).toHaveCount(0);
    await bob.goto("/fediverse/follow");
    await expect(bob.getByText("You do not follow anyone on another server yet.")).toBeVisible();
    await bob.goto("/followed");
    await expect(remotePost(bob, before)).toHaveCount(0);

    // A still thinks bob follows alice and delivers her next post; B refuses it (403) before reading it. A's
    // log line for that refusal is the sign the delivery happened, so the feed below is checked after it.
    const after = `After the block, ${stamp}`;
    const refusal = `"msg":"federation delivery refused","inbox":"${B.origin}/inbox","status":403`;
    const refusedBefore = logLines(A, refusal).length;
    await publish(alice, after);
    await expect.poll(() => logLines(A, refusal).length, { timeout: HOP_MS, intervals: [250, 500, 1000] }).toBeGreaterThan(refusedBefore);
    await bob.goto("/followed");
    await expect(remotePost(bob, after)).toHaveCount(0);
    await expect(bob.getByText(after)).toHaveCount(0);
  });
});
