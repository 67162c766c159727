// Route guards (src/middleware/permissions.ts) on a bare Hono app with real sessions: requireLogin and requirePermission per role and client type.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { WebEnv } from "../../src/env";
import { Permission } from "../../src/lib/permissions";
import { onError } from "../../src/middleware/errors";
import { requireLogin, requirePermission, withUser } from "../../src/middleware/permissions";
import { requestContext } from "../../src/middleware/request-context";
import { sessionMiddleware } from "../../src/middleware/session";
import { confirmedUser, setRole } from "../helpers/accounts";
import { ORIGIN } from "../helpers/client";
import { SESSION_COOKIE } from "../helpers/http";

// Same order as src/app.ts: request context first, then the session.
const app = new Hono<WebEnv>();
app.use(requestContext);
app.use(sessionMiddleware);
app.get("/moderate", requirePermission(Permission.MODERATE), (c) => c.text("moderation queue"));
app.get("/admin", requirePermission(Permission.ADMIN), (c) => c.text("admin area"));
app.get(
  "/private",
  withUser((c, user) => c.text(`private for ${user.username}`)),
);
app.post("/private", requireLogin, (c) => c.text("posted"));
app.onError(onError);

async function call(path: string, opts: { token?: string; accept?: string; method?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: opts.accept ?? "text/html,application/xhtml+xml,*/*;q=0.8" };
  if (opts.token) headers.Cookie = `${SESSION_COOKIE}=${opts.token}`;
  const ctx = createExecutionContext();
  const res = await app.request(`${ORIGIN}${path}`, { method: opts.method ?? "GET", headers }, env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

async function userWithRole(role: "User" | "Moderator" | "Administrator") {
  const u = await confirmedUser(role.toLowerCase(), { role });
  return { ...u, token: u.client.session()! };
}

describe("requirePermission(MODERATE)", () => {
  it("anonymous → 403 page in the site layout", async () => {
    const res = await call("/moderate");
    expect(res.status).toBe(403);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain("Forbidden");
    expect(html).toMatch(/<nav[\s>]/);
    expect(html).not.toContain("moderation queue");
  });

  it('anonymous JSON client → 403 {"error":"forbidden"}', async () => {
    const res = await call("/moderate", { accept: "application/json" });
    expect(res.status).toBe(403);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(((await res.json()) as { error: string }).error).toBe("forbidden");
  });

  it("a garbage cookie is anonymous → 403", async () => {
    expect((await call("/moderate", { token: "z".repeat(32) })).status).toBe(403);
  });

  it("a normal user → 403", async () => {
    const u = await userWithRole("User");
    const res = await call("/moderate", { token: u.token });
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain("moderation queue");
  });

  it("a moderator → 200", async () => {
    const u = await userWithRole("Moderator");
    const res = await call("/moderate", { token: u.token });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("moderation queue");
  });

  it("an administrator → 200", async () => {
    const u = await userWithRole("Administrator");
    const res = await call("/moderate", { token: u.token });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("moderation queue");
  });

  it("a role change applies to the very next request (no stale permissions in the session)", async () => {
    const u = await userWithRole("Moderator");
    const before = await call("/moderate", { token: u.token });
    expect(before.status).toBe(200);
    expect(await before.text()).toBe("moderation queue");
    await setRole(u.id, "User");
    const after = await call("/moderate", { token: u.token });
    expect(after.status).toBe(403);
    expect(await after.text()).not.toContain("moderation queue");
  });
});

describe("requirePermission(ADMIN)", () => {
  it("a moderator → 403, an administrator → 200", async () => {
    const mod = await userWithRole("Moderator");
    const admin = await userWithRole("Administrator");
    expect((await call("/admin", { token: mod.token })).status).toBe(403);
    const res = await call("/admin", { token: admin.token });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("admin area");
  });
});

describe("requireLogin", () => {
  it.each([
    ["anonymous GET → redirect to the login page with next= this path", "GET", "/private?tab=1", "/private?tab=1"],
    ["anonymous POST → redirect to the login page without replaying the POST target", "POST", "/private", "/"],
  ])("%s", async (_name, method, path, next) => {
    const res = await call(path, { method });
    expect(res.status).toBe(303);
    const loc = new URL(res.headers.get("Location")!, ORIGIN);
    expect(loc.pathname).toBe("/auth/login");
    expect(loc.searchParams.get("next")).toBe(next);
  });

  it('anonymous JSON client → 401 {"error":"unauthorized"}, no redirect', async () => {
    const res = await call("/private", { accept: "application/json" });
    expect(res.status).toBe(401);
    expect(res.headers.get("Location")).toBeNull();
    expect(((await res.json()) as { error: string }).error).toBe("unauthorized");
  });

  it("a logged-in user gets through", async () => {
    const u = await userWithRole("User");
    const res = await call("/private", { token: u.token });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(`private for ${u.username}`);
  });

  it("after logout the same cookie is sent to the login page", async () => {
    const u = await userWithRole("User");
    expect((await u.client.post("/auth/logout")).status).toBe(303);
    const res = await call("/private", { token: u.token });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toMatch(/^\/auth\/login\?next=/);
  });
});
