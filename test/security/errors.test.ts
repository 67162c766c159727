// Error answers and response hygiene: 404 page/JSON, 413 on big bodies, multipart files as field errors, Server-Timing, request ids, security headers (GET logout → 405 is in test/auth/login.test.ts).
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type Credentials, confirmedUser, registrationForm, uniqueUser } from "../helpers/accounts";
import { ORIGIN } from "../helpers/client";
import { d1Queries, getWithSession, rawPost } from "../helpers/http";

async function userCount(email: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = ?").bind(email).first<{ n: number }>();
  return row!.n;
}

const SERVER_TIMING_D1 = /(?:^|,\s*)d1;dur=(\d+(?:\.\d+)?);desc="(\d+) queries"/;

describe("not found", () => {
  it("an unknown path is a 404 page in the site layout", async () => {
    const res = await getWithSession("/no/such/page", undefined, { Accept: "text/html,application/xhtml+xml,*/*;q=0.8" });
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain("Page not found");
    expect(html).toMatch(/<nav[\s>]/);
    expect(html).toContain('href="/auth/login"');
    expect(html).toContain("<title>");
  });

  it('a JSON client gets {"error":"not found"}', async () => {
    const res = await getWithSession("/no/such/page", undefined, { Accept: "application/json" });
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.error).toBe("not found");
    expect(typeof body.message).toBe("string");
  });

  it("a browser that also accepts JSON still gets HTML", async () => {
    const res = await getWithSession("/no/such/page", undefined, { Accept: "text/html, application/json" });
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
  });

  // Regression: a JSX text child "<!doctype html>" is escaped, putting visible text above the nav and the page in quirks mode.
  it("pages start with a real doctype, not escaped text", async () => {
    for (const path of ["/", "/no/such/page", "/auth/login"]) {
      const html = await (await getWithSession(path, undefined)).text();
      expect(html).not.toContain("&lt;!doctype");
      expect(html.trimStart().toLowerCase().startsWith("<!doctype html>")).toBe(true);
    }
  });
});

describe("request size", () => {
  /** A registration whose about_me field pads the body to about `bytes`. */
  const registerWithAboutMe = (u: Credentials, bytes: number) =>
    rawPost("/auth/register", { Origin: ORIGIN }, { ...registrationForm(u), about_me: "x".repeat(bytes) });

  it("a POST body over 64 KiB is refused with 413 and creates nothing", async () => {
    const u = uniqueUser("big");
    const res = await registerWithAboutMe(u, 70 * 1024);
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("too large");
    expect(await userCount(u.email)).toBe(0);
  });

  it("a streamed (chunked, no Content-Length) body over 64 KiB is refused too", async () => {
    const u = uniqueUser("bigstream");
    const form = new URLSearchParams(registrationForm(u)).toString();
    const bytes = new TextEncoder().encode(`${form}&about_me=${"x".repeat(70 * 1024)}`);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.slice(i, i + 8192));
        controller.close();
      },
    });
    const res = await SELF.fetch(`${ORIGIN}/auth/register`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
      body,
    });
    expect(res.status).toBe(413);
    expect(await userCount(u.email)).toBe(0);
  });

  it('a JSON client gets {"error":"payload too large"}', async () => {
    const res = await rawPost("/auth/login", { Origin: ORIGIN, Accept: "application/json" }, { email: "x@example.org", password: "y".repeat(70 * 1024) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe("payload too large");
  });

  it("a body just under the limit is processed normally", async () => {
    const u = uniqueUser("almost");
    const res = await registerWithAboutMe(u, 60 * 1024);
    expect(res.status).toBe(303);
    expect(await userCount(u.email)).toBe(1);
  });
});

describe("multipart forms", () => {
  it("a file where the email should be is a 422 field error, not a 500", async () => {
    const u = uniqueUser("multi");
    const fd = new FormData();
    fd.append("email", new File([u.email], "email.txt", { type: "text/plain" }));
    fd.append("username", u.username);
    fd.append("password", u.password);
    fd.append("password2", u.password);
    const res = await SELF.fetch(`${ORIGIN}/auth/register`, { method: "POST", redirect: "manual", headers: { Origin: ORIGIN }, body: fd });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('id="register-email-error"');
    expect(html).not.toContain('id="register-username-error"');
    expect(await env.DB.prepare("SELECT count(*) AS n FROM users WHERE username = ?").bind(u.username).first("n")).toBe(0);
  });

  it("a well-formed multipart registration works", async () => {
    const u = uniqueUser("multi");
    const fd = new FormData();
    for (const [k, v] of Object.entries(registrationForm(u))) fd.append(k, v);
    const res = await SELF.fetch(`${ORIGIN}/auth/register`, { method: "POST", redirect: "manual", headers: { Origin: ORIGIN }, body: fd });
    expect(res.status).toBe(303);
    expect(await userCount(u.email)).toBe(1);
  });
});

describe("response headers", () => {
  it("Server-Timing reports D1 time and query count, counting real queries", async () => {
    // A static-free route: no D1 at all.
    expect(d1Queries(await getWithSession("/hello", undefined))).toBe(0);
    // Anonymous home: the feed page is one query.
    const anon = await getWithSession("/", undefined);
    expect(d1Queries(anon)).toBe(1);
    const u = await confirmedUser("timing");
    const res = await getWithSession("/", u.client.session());
    expect(await res.text()).toContain(`Hello, ${u.username}!`);
    // Loading the logged-in user is one more round trip.
    expect(d1Queries(res)).toBe(2);
  });

  it.each([
    ["a page", "GET", "/"],
    ["a 404", "GET", "/nope"],
    ["a CSRF 403", "POST", "/auth/login"],
  ])("%s carries Server-Timing, X-Request-Id and security headers", async (_label, method, path) => {
    const res = await SELF.fetch(`${ORIGIN}${path}`, { method, redirect: "manual" });
    expect(res.headers.get("Server-Timing")).toMatch(SERVER_TIMING_D1);
    expect(res.headers.get("X-Request-Id")).toBeTruthy();
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("X-Frame-Options")).toMatch(/^(DENY|SAMEORIGIN)$/);
    expect(res.headers.get("Strict-Transport-Security")).toMatch(/^max-age=\d{7,}/);
  });

  it("every request gets its own X-Request-Id", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await getWithSession("/", undefined)).headers.get("X-Request-Id")!);
    expect(ids.size).toBe(5);
  });

  it("a 413 carries the security headers too", async () => {
    const res = await rawPost("/auth/login", { Origin: ORIGIN }, { email: "x", password: "y".repeat(70 * 1024) });
    expect(res.status).toBe(413);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("X-Request-Id")).toBeTruthy();
  });
});
