// SECRET_KEY signs the flash cookie. Outside development a missing or short key is a deploy mistake:
// every request answers 503 and the log names the secret; a public constant never signs anything.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { serializeSigned } from "hono/utils/cookie";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { ORIGIN } from "../helpers/client";

const app = createApp();

async function request(path: string, vars: Record<string, string | undefined>, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const res = await app.request(`${ORIGIN}${path}`, { redirect: "manual", ...init }, { ...env, ...vars } as unknown as Env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

afterEach(() => vi.restoreAllMocks());

const KEY_31 = "k".repeat(31);
const KEY_32 = "k".repeat(32);

describe("SECRET_KEY outside development", () => {
  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["31 bytes", KEY_31],
  ])("%s: every kind of request answers 503, and the log names SECRET_KEY", async (_what, key) => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    for (const [path, init] of [
      ["/", {}],
      ["/auth/login", { method: "POST", headers: { Origin: ORIGIN, "Content-Type": "application/x-www-form-urlencoded" }, body: "email=a&password=b" }],
      ["/api/v1/posts/", {}],
      ["/sites/1/visit", { method: "POST", body: "{}" }],
    ] as const) {
      const res = await request(path, { ENVIRONMENT: "production", SECRET_KEY: key }, init);
      expect(res.status, path).toBe(503);
      const body = await res.text();
      expect(body, path).toContain("not configured");
      expect(body, path).not.toContain("SECRET_KEY"); // the visitor is told nothing about the setup
      expect(res.headers.get("Set-Cookie"), path).toBeNull();
    }
    const logged = errors.mock.calls.map((args) => args.join(" "));
    expect(logged.some((line) => line.includes("SECRET_KEY") && line.includes("32 bytes"))).toBe(true);
  });

  it("a key of 32 bytes or more is accepted", async () => {
    expect((await request("/hello", { ENVIRONMENT: "production", SECRET_KEY: KEY_32 })).status).toBe(200);
    expect((await request("/hello", { ENVIRONMENT: "production", SECRET_KEY: "x".repeat(64) })).status).toBe(200);
    // Bytes, not characters: 16 × "é" is 32 bytes of UTF-8.
    expect((await request("/hello", { ENVIRONMENT: "production", SECRET_KEY: "é".repeat(16) })).status).toBe(200);
  });
});

describe("SECRET_KEY in development", () => {
  it("without a key, flash messages still work but a cookie signed with the old public constant is ignored", async () => {
    const dev = { ENVIRONMENT: "development", SECRET_KEY: undefined };
    const forged = await serializeSigned("flash", JSON.stringify([{ kind: "error", text: "FORGED MESSAGE" }]), "development-only-secret");
    const page = await request("/auth/login", dev, { headers: { Cookie: forged.split(";")[0]! } });
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain("FORGED MESSAGE");

    // A real flash (an invalid reset link) still reaches the next page.
    const res = await request("/auth/reset/not-a-real-token", dev);
    expect(res.status).toBe(303);
    const cookie = res.headers.get("Set-Cookie")!.split(";")[0]!;
    expect(cookie).toMatch(/^flash=/);
    const next = await request("/auth/login", dev, { headers: { Cookie: cookie } });
    expect(await next.text()).toContain("The password reset link is invalid or has expired.");
  });
});
