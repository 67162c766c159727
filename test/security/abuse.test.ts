// Abuse limits on write actions: registrations per IP, posts and comments per user. The limits come
// from vars, so this file runs the app with small ones (the rest of the suite sets them very high).
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { confirmedUser, uniqueUser } from "../helpers/accounts";
import { ORIGIN } from "../helpers/client";
import { countOf } from "../helpers/db";
import { insertPost } from "../helpers/posts";

const app = createApp();
const tight = { ...env, RATE_REGISTRATIONS_PER_HOUR: "2", RATE_POSTS_PER_MINUTE: "2", RATE_COMMENTS_PER_MINUTE: "2" };

async function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const res = await app.request(
    `${ORIGIN}${path}`,
    { method: "POST", body: new URLSearchParams(form), headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, ...headers } },
    tight,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

describe("abuse limits", () => {
  it("allows 2 registrations per IP per hour in this setup, then 429 with Retry-After and nothing created", async () => {
    const ip = { "CF-Connecting-IP": "203.0.113.7" };
    for (let i = 0; i < 2; i++) {
      const u = uniqueUser("ab");
      expect((await post("/auth/register", { ...u, password2: u.password }, ip)).status).toBe(303);
    }
    const third = uniqueUser("ab");
    const res = await post("/auth/register", { ...third, password2: third.password }, ip);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(3000);
    expect(await res.text()).toContain("Too many new accounts from your network.");
    expect(await countOf("SELECT count(*) AS n FROM users WHERE email = ?", third.email)).toBe(0);
    // Another network is not affected, and invalid forms do not use up the allowance.
    const other = uniqueUser("ab");
    expect((await post("/auth/register", { ...other, password2: "mismatch!!" }, { "CF-Connecting-IP": "198.51.100.1" })).status).toBe(422);
    expect((await post("/auth/register", { ...other, password2: other.password }, { "CF-Connecting-IP": "198.51.100.1" })).status).toBe(303);
  });

  it("limits posts per user per minute with a friendly message", async () => {
    const u = await confirmedUser("abpost");
    const cookie = { Cookie: `__Host-session=${u.client.session()}` };
    expect((await post("/", { body: "one" }, cookie)).status).toBe(303);
    expect((await post("/", { body: "" }, cookie)).status).toBe(422);
    expect((await post("/", { body: "two" }, cookie)).status).toBe(303);
    const third = await post("/", { body: "three" }, cookie);
    expect(third.status).toBe(429);
    expect(third.headers.get("Retry-After")).toBeTruthy();
    const html = await third.text();
    expect(html).toContain("You are posting very fast.");
    expect(html).toContain("three"); // the text is kept
    expect(html).toContain("<p>three</p>"); // and its preview is not blank (issue 15, item 5)
    expect(await countOf("SELECT count(*) AS n FROM posts WHERE author_id = ?", u.id)).toBe(2);
  });

  it("limits comments per user per minute", async () => {
    const u = await confirmedUser("abcom");
    const postId = await insertPost(u.id, "discuss", Date.now());
    const cookie = { Cookie: `__Host-session=${u.client.session()}` };
    for (let i = 0; i < 2; i++) expect((await post(`/post/${postId}/comments`, { body: `c${i}` }, cookie)).status).toBe(303);
    const third = await post(`/post/${postId}/comments`, { body: "c3" }, { ...cookie, "HX-Request": "true", "HX-Request-Type": "partial" });
    expect(third.status).toBe(429);
    expect(third.headers.get("HX-Retarget")).toBe("#comment-form");
    expect(await third.text()).toContain("You are commenting very fast.");
    expect(await countOf("SELECT count(*) AS n FROM comments WHERE post_id = ?", postId)).toBe(2);
  });
});
