// Login and logout: email or username, identical answers for unknown accounts, safe `next`, the exact
// brute-force boundary, and a logged-out cookie that stops working at once.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { confirmedUser, login, unconfirmedUser, uniqueUser } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { getWithSession } from "../helpers/http";

describe("POST /auth/login", () => {
  it("logs in by email (any case) or by username (any case)", async () => {
    const u = await confirmedUser("li");
    for (const ident of [u.email.toUpperCase(), u.username.toUpperCase()]) {
      const c = new Client();
      const res = await login(c, ident, u.password);
      expect(res.status).toBe(303);
      expect(res.headers.get("Location")).toBe("/");
      const home = await c.get("/");
      expect(await home.text()).toContain(`Hello, ${u.username}!`);
    }
  });

  it("answers a wrong password and an unknown account with the same status and body", async () => {
    const u = await confirmedUser("enum");
    const wrong = await login(new Client(), "someone@example.org", "wrong password!");
    const unknown = await login(new Client(), "someone@example.org", "wrong password!");
    // Same identifier typed, so the re-rendered form is identical byte for byte.
    const known = await new Client().post("/auth/login", { email: u.email, password: "wrong password!" });
    const unknown2 = await new Client().post("/auth/login", { email: `nobody-${u.email}`, password: "wrong password!" });
    expect(wrong.status).toBe(422);
    expect(known.status).toBe(422);
    expect(unknown2.status).toBe(422);
    // The CSP nonce is random per response, whoever asks; everything else must match.
    const same = (html: string) => html.replace(/nonce="[^"]+"/g, 'nonce=""');
    const a = same(await known.text()).replaceAll(u.email, "X");
    const b = same(await unknown2.text()).replaceAll(`nobody-${u.email}`, "X");
    expect(a).toBe(b);
    expect(a).toContain("Invalid email or password.");
    expect(await unknown.text()).toContain("Invalid email or password.");
    expect(known.headers.get("Set-Cookie") ?? "").not.toContain("__Host-session");
  });

  it("rejects empty and over-long fields with field messages", async () => {
    const empty = await new Client().post("/auth/login", { email: "", password: "" });
    expect(empty.status).toBe(422);
    const html = await empty.text();
    expect(html).toContain("Enter your email or username.");
    expect(html).toContain("Enter your password.");
    const long = await new Client().post("/auth/login", { email: "a".repeat(65), password: "p".repeat(200) });
    expect(long.status).toBe(422);
  });

  const nexts: [string, string][] = [
    ["/auth/change-password", "/auth/change-password"],
    ["/x?y=1", "/x?y=1"],
    ["//evil.example", "/"],
    ["https://evil.example/", "/"],
    ["/\\evil.example", "/"],
    ["\\\\evil.example", "/"],
    ["javascript:alert(1)", "/"],
  ];
  for (const [next, expected] of nexts) {
    it(`redirects after login to ${JSON.stringify(expected)} when next=${JSON.stringify(next)}`, async () => {
      const u = await confirmedUser("nx");
      const c = new Client();
      const res = await c.post(`/auth/login?next=${encodeURIComponent(next)}`, { email: u.email, password: u.password });
      expect(res.status).toBe(303);
      expect(res.headers.get("Location")).toBe(expected);
    });
  }

  it("judges the 10th failed attempt on the password and answers the 11th with 429", async () => {
    const u = await confirmedUser("brute");
    for (let i = 0; i < 9; i++) {
      expect((await login(new Client(), u.email, "wrong password!")).status).toBe(422);
    }
    // 10th attempt, right password: still judged on the password.
    const tenth = await login(new Client(), u.username, u.password);
    expect(tenth.status).toBe(303);
    // A success does not count as a failure, so one more failure makes ten.
    expect((await login(new Client(), u.email, "wrong password!")).status).toBe(422);
    const eleventh = await login(new Client(), u.email, u.password);
    expect(eleventh.status).toBe(429);
    const retry = Number(eleventh.headers.get("Retry-After"));
    expect(retry).toBeGreaterThan(14 * 60);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    expect(await eleventh.text()).toContain("Too many attempts. Please try again in 15 minutes.");
    expect(eleventh.headers.get("Set-Cookie") ?? "").not.toContain("__Host-session");
  });

  it("limits unknown accounts the same way, so 429 reveals nothing", async () => {
    const ghost = `ghost-${uniqueUser().email}`;
    for (let i = 0; i < 10; i++) expect((await login(new Client(), ghost, "whatever123")).status).toBe(422);
    expect((await login(new Client(), ghost, "whatever123")).status).toBe(429);
  });

  it("lets the window pass: failures older than 15 minutes do not count", async () => {
    const u = await confirmedUser("window");
    for (let i = 0; i < 10; i++) await login(new Client(), u.email, "wrong password!");
    expect((await login(new Client(), u.email, u.password)).status).toBe(429);
    await env.DB.prepare("UPDATE rate_events SET created_at = created_at - 16 * 60 * 1000 WHERE bucket LIKE 'login-%'").run();
    expect((await login(new Client(), u.email, u.password)).status).toBe(303);
  });

  it("shows the login page to anonymous users and carries a safe next into the form", async () => {
    const res = await new Client().get("/auth/login?next=%2Fauth%2Fchange_email");
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('action="/auth/login?next=%2Fauth%2Fchange_email"');
    const evil = await (await new Client().get("/auth/login?next=%2F%2Fevil.example")).text();
    expect(evil).not.toContain("evil.example");
  });
});

describe("POST /auth/logout", () => {
  it("flashes, clears the cookie and the old token stops working at once", async () => {
    const u = await confirmedUser("out");
    const token = u.client.session()!;
    const res = await u.client.post("/auth/logout");
    expect(res.status).toBe(303);
    expect(res.headers.get("Set-Cookie")).toMatch(/__Host-session=;/);
    const page = await u.client.follow(res);
    expect(page.html).toContain("You have been logged out.");
    const replay = new Client();
    replay.cookies.set("__Host-session", token);
    expect(await (await replay.get("/")).text()).toContain("Your own blog, among friends.");
  });

  it("is not a GET", async () => {
    const u = await confirmedUser("getout");
    const token = u.client.session()!;
    const res = await u.client.get("/auth/logout");
    expect(res.status).toBe(405);
    expect(u.client.session()).toBe(token);
    expect(await (await getWithSession("/", token)).text()).toContain(`Hello, ${u.username}!`);
    expect(await (await u.client.get("/")).text()).toContain(`Hello, ${u.username}!`);
  });

  it("for an anonymous user just goes home", async () => {
    const res = await new Client().post("/auth/logout");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/");
  });
});

describe("unconfirmed accounts", () => {
  it("are sent to /auth/unconfirmed from every page outside /auth/", async () => {
    const u = await unconfirmedUser("unc", { login: true });
    const c = u.client;
    for (const path of ["/", "/user/whoever", "/anything"]) {
      const res = await c.get(path);
      expect(res.status).toBe(303);
      expect(res.headers.get("Location")).toBe("/auth/unconfirmed");
    }
    const page = await c.get("/auth/unconfirmed");
    expect(await page.text()).toContain(`Please confirm your account, ${u.username}`);
    // Static files are served before the Worker runs, so they are never gated.
    expect((await c.get("/auth/change-password")).status).toBe(200);
  });
});
