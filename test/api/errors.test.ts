// Error answers under /api/: JSON whatever the Accept header, 404 for unknown paths (with a hint for a
// missing or extra trailing slash), 405 with Allow, OPTIONS, and a 500 that tells the client nothing
// about the internals (forced by a D1 binding that throws, through createApp().request).
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { ORIGIN } from "../helpers/client";
import { poll, sha256HexWebCrypto, sleep } from "../helpers/http";
import { API, ApiClient, apiUser, bearer } from "./helpers";

afterEach(() => vi.restoreAllMocks());

describe("404", () => {
  it("unknown paths anywhere under /api/ are JSON 404s, even for browsers", async () => {
    const client = new ApiClient();
    for (const path of [`${ORIGIN}/api/nothing`, `${ORIGIN}/api/`, `${ORIGIN}/api/v2/posts/`, `${API}/`, `${API}/nothing/here`, `${API}/posts/1/nothing`]) {
      const r = await client.get(path, { headers: { Accept: "text/html,application/xhtml+xml" } });
      expect(r.status, path).toBe(404);
      expect(r.headers.get("Content-Type"), path).toMatch(/^application\/json/);
      expect(r.body.error, path).toBe("not found");
    }
  });

  it("a trailing-slash slip gets a hint", async () => {
    const client = new ApiClient();
    expect((await client.get("/posts")).body.message).toBe(`No such endpoint. Did you mean /api/v1/posts/?`);
    expect((await client.get("/posts/1/")).body.message).toBe(`No such endpoint. Did you mean /api/v1/posts/1?`);
  });

  it("routing comes before authentication: unknown paths are 404 without credentials", async () => {
    expect((await new ApiClient().post("/nowhere", { x: 1 })).status).toBe(404);
  });
});

describe("405", () => {
  it("a wrong method on a known path is 405 with Allow, before authentication", async () => {
    const client = new ApiClient();
    const cases: [string, string, string][] = [
      ["PATCH", "/posts/1", "GET, PUT, DELETE, HEAD, OPTIONS"],
      ["DELETE", "/posts/", "GET, POST, HEAD, OPTIONS"],
      ["PUT", "/users/1", "GET, HEAD, OPTIONS"],
      ["GET", "/tokens/", "POST, DELETE, OPTIONS"],
      ["GET", "/users/1/follow", "POST, DELETE, OPTIONS"],
      ["POST", "/openapi.json", "GET, HEAD, OPTIONS"],
    ];
    for (const [method, path, allow] of cases) {
      const r = await client.request(method, path);
      expect(r.status, `${method} ${path}`).toBe(405);
      expect(r.headers.get("Allow"), `${method} ${path}`).toBe(allow);
      expect(r.body).toEqual({ error: "method not allowed", message: `${method} is not allowed here. Allowed: ${allow}.` });
    }
  });

  it("OPTIONS answers 204 with Allow", async () => {
    const r = await new ApiClient().request("OPTIONS", "/posts/");
    expect(r.status).toBe(204);
    expect(r.headers.get("Allow")).toBe("GET, POST, HEAD, OPTIONS");
  });

  it("HEAD works wherever GET does", async () => {
    const u = await apiUser("head");
    const r = await u.api.request("HEAD", `/users/${u.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toBeNull();
  });
});

describe("500", () => {
  it("an internal failure is a bare JSON 500: no message, stack or SQL; the log has them, with the request id", async () => {
    const u = await apiUser("boom");
    const secret = "SECRET-INTERNAL-DETAIL select * from auth_tokens";
    const broken = new Proxy({} as D1Database, {
      get() {
        return () => {
          throw new Error(secret);
        };
      },
    });
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const ctx = createExecutionContext();
    const res = await createApp().request(
      `${API}/users/${u.id}`,
      { headers: { Authorization: bearer(u.token), "CF-Connecting-IP": "10.250.0.1", Accept: "application/json" } },
      { ...env, DB: broken },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(500);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: "internal server error", message: "Something went wrong on our side. It has been logged; please try again." });
    expect(text).not.toContain("SECRET");
    expect(text).not.toMatch(/at .*\.(ts|js)/);
    const line = logged.mock.calls.map((c) => String(c[0])).find((l) => l.includes(secret));
    expect(line).toBeDefined();
    const entry = JSON.parse(line!);
    expect(entry).toMatchObject({ level: "error", requestId: res.headers.get("X-Request-Id") });
    expect(entry.stack).toContain(secret);
  });

  it("a handler failure after authentication is a JSON 500 too", async () => {
    const u = await apiUser("boom2");
    // Authentication's token lookup works; the post query that follows fails.
    let calls = 0;
    const flaky = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === "prepare") {
          return (query: string) => {
            calls += 1;
            if (calls > 1) throw new Error("disk I/O error in posts");
            return target.prepare(query);
          };
        }
        const v = Reflect.get(target, prop, target);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    vi.spyOn(console, "error").mockImplementation(() => {});
    const ctx = createExecutionContext();
    const res = await createApp().request(
      `${API}/posts/`,
      { headers: { Authorization: bearer(u.token), "CF-Connecting-IP": "10.250.0.2" } },
      { ...env, DB: flaky },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: "internal server error", message: expect.any(String) });
  });
});

describe("500 reports", () => {
  it("are mailed to ADMIN_EMAIL like the site's, without reaching the client", async () => {
    const marker = `limiter exploded ${Date.now()}`;
    const exploding = { limit: async () => Promise.reject(new Error(marker)) };
    vi.spyOn(console, "error").mockImplementation(() => {});
    const ctx = createExecutionContext();
    const res = await createApp().request(`${API}/posts/`, { headers: { "CF-Connecting-IP": "10.250.0.3" } }, { ...env, API_IP_LIMITER: exploding }, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain(marker);
    const mail = await env.DB.prepare('SELECT subject FROM mail_outbox WHERE "to" = ? AND subject LIKE ?')
      .bind("admin@example.com", `%${marker}%`)
      .first<{ subject: string }>();
    expect(mail?.subject).toContain(marker);
  });
});

describe("the session middleware never runs for /api/v1", () => {
  it("a session cookie sent to the API is not even looked up (its idle timer is not refreshed); the web refreshes it", async () => {
    const u = await apiUser("nosession");
    const key = `session:${await sha256HexWebCrypto(u.client.session()!)}`;
    const stale = Date.now() - 2 * 3600_000;
    const stored = (await env.SESSIONS.get<Record<string, unknown>>(key, "json"))!;
    await env.SESSIONS.put(key, JSON.stringify({ ...stored, touchedAt: stale }));
    const touchedAt = async () => (await env.SESSIONS.get<{ touchedAt: number }>(key, "json"))!.touchedAt;

    const r = await u.api.get(`/users/${u.id}`, { headers: { Cookie: `__Host-session=${u.client.session()}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get("Set-Cookie")).toBeNull();
    await sleep(100);
    expect(await touchedAt()).toBe(stale);

    // Control: the same cookie on a web page does refresh it, so the check above can fail.
    expect((await u.client.get("/edit-profile")).status).toBe(200);
    expect(await poll(touchedAt, (t) => t > stale)).toBeGreaterThan(stale);
  });
});
