// Request-rate limits: the fixed-window limiter on its own, the API's use of the limiters (per token,
// per IP, failed tokens counted per IP, 429 + Retry-After) with low limits injected through
// createApp().request's env, and the real Workers Rate Limiting binding from wrangler.toml.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { API_RATE_LIMITS } from "../../src/features/api/rate-limit";
import { createWindowLimiter } from "../../src/lib/window-limiter";
import { fixedLimiter } from "../helpers/limiters";
import { API, ApiClient, apiUser, basic, bearer, expectDocumented } from "./helpers";

describe("createWindowLimiter", () => {
  it("allows `limit` per key per window, then refuses until the next window", async () => {
    let now = 1_000_000;
    const limiter = createWindowLimiter(3, 60, () => now);
    const run = async (key: string) => (await limiter.limit({ key })).success;
    expect([await run("a"), await run("a"), await run("a"), await run("a")]).toEqual([true, true, true, false]);
    expect(await run("b")).toBe(true);
    now += 60_000;
    expect(await run("a")).toBe(true);
  });
});

/** The app with limiters of `token` and `ip` requests per minute. */
function limitedApp(token: number, ip: number) {
  const app = createApp();
  const limitedEnv = { ...env, API_TOKEN_LIMITER: fixedLimiter(token), API_IP_LIMITER: fixedLimiter(ip) };
  return async (path: string, headers: Record<string, string>) => {
    const ctx = createExecutionContext();
    const res = await app.request(`${API}${path}`, { headers: { Accept: "application/json", ...headers } }, limitedEnv, ctx);
    await waitOnExecutionContext(ctx);
    const body = await res.json();
    await expectDocumented("GET", `${API}${path}`, res.status, body);
    return { status: res.status, headers: res.headers, body: body as { error: string; message: string } };
  };
}

describe("limits through the app", () => {
  it("per token: the 4th request in a minute is 429 with Retry-After; another token is unaffected", async () => {
    const a = await apiUser("rla");
    const b = await apiUser("rlb");
    const send = limitedApp(3, 100);
    const ip = { "CF-Connecting-IP": "10.200.0.1" };
    for (let i = 0; i < 3; i++) expect((await send(`/users/${a.id}`, { ...ip, Authorization: bearer(a.token) })).status).toBe(200);
    const limited = await send(`/users/${a.id}`, { ...ip, Authorization: bearer(a.token) });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBe(String(API_RATE_LIMITS.token.period));
    expect(limited.body.error).toBe("too many requests");
    // Flasky's Basic form is the same token, so the same budget.
    expect((await send(`/users/${a.id}`, { ...ip, Authorization: basic(a.token, "") })).status).toBe(429);
    // Same IP, other token: its own budget (tokens are not limited by the IP they share).
    expect((await send(`/users/${a.id}`, { ...ip, Authorization: bearer(b.token) })).status).toBe(200);
  });

  it("per IP, for requests without a token: no credentials and passwords share the IP's budget", async () => {
    const u = await apiUser("rlip");
    const send = limitedApp(100, 2);
    const ip = { "CF-Connecting-IP": "10.200.0.2" };
    expect((await send("/posts/", ip)).status).toBe(401);
    expect((await send(`/users/${u.id}`, { ...ip, Authorization: basic(u.email, u.password) })).status).toBe(200);
    const limited = await send(`/users/${u.id}`, { ...ip, Authorization: basic(u.email, u.password) });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBe(String(API_RATE_LIMITS.ip.period));
    // Checked before authentication: no password check, no failure recorded.
    const failures = await env.DB.prepare("SELECT count(*) AS n FROM rate_events WHERE key LIKE ?").bind(`user:${u.id}%`).first<{ n: number }>();
    expect(failures!.n).toBe(0);
    // Another IP is unaffected, and the token path is separate.
    expect((await send("/posts/", { "CF-Connecting-IP": "10.200.0.3" })).status).toBe(401);
    expect((await send(`/users/${u.id}`, { ...ip, Authorization: bearer(u.token) })).status).toBe(200);
  });

  it("failed tokens count against the IP: made-up tokens get 429 after the IP's budget", async () => {
    const send = limitedApp(100, 2);
    const ip = { "CF-Connecting-IP": "10.200.0.4" };
    const fake = (i: number) => bearer(`${"a".repeat(31)}${"bcd"[i]}`);
    expect((await send("/posts/", { ...ip, Authorization: fake(0) })).status).toBe(401);
    expect((await send("/posts/", { ...ip, Authorization: fake(1) })).status).toBe(401);
    expect((await send("/posts/", { ...ip, Authorization: fake(2) })).status).toBe(429);
  });
});

describe("the site's per-user write limits", () => {
  it("apply to posts and comments made through the API (same buckets as the web forms)", async () => {
    const u = await apiUser("writer");
    const app = createApp();
    const lowEnv = { ...env, RATE_POSTS_PER_MINUTE: "2", RATE_COMMENTS_PER_MINUTE: "1" };
    const post = async (path: string, body: unknown) => {
      const ctx = createExecutionContext();
      const res = await app.request(
        `${API}${path}`,
        {
          method: "POST",
          headers: { Authorization: bearer(u.token), "Content-Type": "application/json", "CF-Connecting-IP": "10.200.1.1" },
          body: JSON.stringify(body),
        },
        lowEnv,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      const json = await res.json();
      await expectDocumented("POST", `${API}${path}`, res.status, json);
      return { status: res.status, headers: res.headers, body: json as { url: string; message: string } };
    };
    const first = await post("/posts/", { body: "one" });
    expect(first.status).toBe(201);
    expect((await post("/posts/", { body: "two" })).status).toBe(201);
    // An invalid post does not use up the allowance; the third valid one is refused.
    expect((await post("/posts/", { body: "" })).status).toBe(400);
    const third = await post("/posts/", { body: "three" });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(third.headers.get("Retry-After")).not.toContain(",");
    expect(third.body.message).toMatch(/posting very fast/);
    const postId = first.body.url.split("/").pop();
    expect((await post(`/posts/${postId}/comments/`, { body: "first" })).status).toBe(201);
    expect((await post(`/posts/${postId}/comments/`, { body: "second" })).status).toBe(429);
    const slots = await env.DB.prepare("SELECT bucket, count(*) AS n FROM rate_events WHERE key = ? GROUP BY bucket ORDER BY bucket")
      .bind(`user:${u.id}`)
      .all<{ bucket: string; n: number }>();
    expect(slots.results).toEqual([
      { bucket: "comment-user", n: 1 },
      { bucket: "post-user", n: 2 },
    ]);
  });
});

describe("the Workers Rate Limiting binding (wrangler.toml)", () => {
  it("is bound, and the real per-IP limit answers 429 once exceeded", async () => {
    expect(typeof env.API_IP_LIMITER.limit).toBe("function");
    expect(typeof env.API_TOKEN_LIMITER.limit).toBe("function");
    const client = new ApiClient();
    // Windows are fixed minutes locally: crossing a boundary restarts the count, so allow two windows.
    let limited = null;
    for (let i = 0; i < 2 * API_RATE_LIMITS.ip.limit + 2 && !limited; i++) {
      const r = await client.get("/posts/");
      if (r.status === 429) limited = r;
      else expect(r.status).toBe(401);
    }
    expect(limited).not.toBeNull();
    expect(limited!.headers.get("Retry-After")).toBe("60");
    expect(limited!.body.error).toBe("too many requests");
    // The limit is that IP's alone (so API tests, each client with its own IP, never starve each other).
    expect((await new ApiClient().get("/posts/")).status).toBe(401);
  });
});
