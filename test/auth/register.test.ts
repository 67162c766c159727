// Registration: every bad input gets its field's message and 422 with typed values kept; duplicates and
// races end with exactly one account; registering the admin email grants nothing by itself.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type Credentials, latestMailTo, register, registrationForm, uniqueUser } from "../helpers/accounts";
import { Client } from "../helpers/client";

async function countUsers(email: string) {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = ?").bind(email).first<{ n: number }>();
  return row!.n;
}

function form(u: Credentials, over: Record<string, string> = {}) {
  return { ...registrationForm(u), ...over };
}

describe("POST /auth/register", () => {
  it("creates an unconfirmed user with the default role, a self-follow and a queued confirmation mail", async () => {
    const u = uniqueUser("reg");
    const res = await register(new Client(), { ...u, email: u.email.toUpperCase() });
    expect(res.status).toBe(303);
    const row = await env.DB.prepare(
      "SELECT u.id, u.email, u.confirmed, r.name AS role, u.password_hash FROM users u JOIN roles r ON r.id = u.role_id WHERE u.email = ?",
    )
      .bind(u.email)
      .first<{ id: number; email: string; confirmed: number; role: string; password_hash: string }>();
    expect(row).toMatchObject({ email: u.email, confirmed: 0, role: "User" });
    expect(row!.password_hash).not.toContain(u.password);
    const self = await env.DB.prepare("SELECT count(*) AS n FROM follows WHERE follower_id = ?1 AND followed_id = ?1").bind(row!.id).first<{ n: number }>();
    expect(self!.n).toBe(1);
    const mail = await latestMailTo(u.email);
    expect(mail?.subject).toBe("[Roost] Confirm Your Account");
    expect(mail?.text).toContain(`Dear ${u.username},`);
  });

  it("does not make an account registered with ADMIN_EMAIL an Administrator before its confirmation link is used", async () => {
    await env.DB.prepare("DELETE FROM users WHERE email = 'admin@example.com'").run();
    const res = await register(new Client(), { email: "admin@example.com", username: "TheAdmin", password: "correct horse battery" });
    expect(res.status).toBe(303);
    const row = await env.DB.prepare("SELECT r.name FROM users u JOIN roles r ON r.id = u.role_id WHERE u.email = 'admin@example.com'").first<{
      name: string;
    }>();
    expect(row?.name).toBe("User"); // test/auth/admin-email.test.ts: the role comes with the mailed link
  });

  const cases: [string, Record<string, string>, string, string][] = [
    ["empty email", { email: "" }, "email", "Email is required."],
    ["malformed email", { email: "not-an-email" }, "email", "Enter a valid email address."],
    ["too long email", { email: `${"a".repeat(60)}@example.org` }, "email", "Email must be at most 64 characters."],
    ["empty username", { username: "" }, "username", "Username is required."],
    ["username with a space", { username: "two words" }, "username", "Usernames must start with a letter"],
    ["username starting with a digit", { username: "1abc" }, "username", "Usernames must start with a letter"],
    ["too long username", { username: `a${"b".repeat(64)}` }, "username", "Username must be at most 64 characters."],
    ["short password", { password: "short", password2: "short" }, "password", "Password must be at least 8 characters."],
    ["too long password", { password: "p".repeat(129), password2: "p".repeat(129) }, "password", "Password must be at most 128 characters."],
    ["mismatched passwords", { password2: "something else entirely" }, "password2", "Passwords must match."],
  ];
  for (const [name, over, field, message] of cases) {
    it(`rejects ${name} with 422 and a message on the ${field} field`, async () => {
      const u = uniqueUser("bad");
      const res = await new Client().post("/auth/register", form(u, over));
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain(message);
      expect(html).toMatch(new RegExp(`id="register-${field}-error"`));
      // What the user typed stays in the form (never the password).
      if (field !== "email") expect(html).toContain(`value="${u.email}"`);
      expect(html).not.toContain(`value="${u.password}"`);
      expect(await countUsers(u.email)).toBe(0);
    });
  }

  it("rejects a missing body field (wrong shape) without a 500", async () => {
    const res = await new Client().post("/auth/register", { email: "x@example.org" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("Username is required.");
    expect(html).toContain("Password must be at least 8 characters.");
  });

  it("refuses a duplicate email and a username that differs only in case", async () => {
    const u = uniqueUser("dup");
    expect((await register(new Client(), u)).status).toBe(303);
    const again = await new Client().post("/auth/register", form(uniqueUser("other"), { email: u.email.toUpperCase() }));
    expect(again.status).toBe(422);
    expect(await again.text()).toContain("Email already registered.");
    const sameName = await new Client().post("/auth/register", form(uniqueUser("other"), { username: u.username.toUpperCase() }));
    expect(sameName.status).toBe(422);
    expect(await sameName.text()).toContain("Username already in use.");
  });

  it("answers an htmx partial request with just the form fragment", async () => {
    const u = uniqueUser("hx");
    const res = await new Client().post("/auth/register", form(u, { password2: "nope-nope-nope" }), { "HX-Request": "true", "HX-Request-Type": "partial" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html.startsWith('<form id="register-form"')).toBe(true);
    expect(html).not.toContain("<html");
    expect(res.headers.get("Vary")).toContain("HX-Request");
  });

  it("lets exactly one of two simultaneous registrations of the same email through", async () => {
    const u = uniqueUser("race");
    const other = uniqueUser("race");
    const [a, b] = await Promise.all([new Client().post("/auth/register", form(u)), new Client().post("/auth/register", form(other, { email: u.email }))]);
    expect([a.status, b.status].sort()).toEqual([303, 422]);
    const loser = a.status === 422 ? a : b;
    expect(await loser.text()).toContain("Email already registered.");
    expect(await countUsers(u.email)).toBe(1);
    // Nothing half-written: one self-follow, one token, one mail for that email.
    const counts = await env.DB.prepare(
      `SELECT (SELECT count(*) FROM follows f JOIN users x ON x.id = f.follower_id WHERE x.email = ?1) AS follows,
              (SELECT count(*) FROM auth_tokens t JOIN users x ON x.id = t.user_id WHERE x.email = ?1) AS tokens,
              (SELECT count(*) FROM mail_outbox WHERE "to" = ?1) AS mails`,
    )
      .bind(u.email)
      .first();
    expect(counts).toEqual({ follows: 1, tokens: 1, mails: 1 });
  });

  it("sends a logged-in user away from the register page", async () => {
    const u = uniqueUser("in");
    const client = new Client();
    await register(client, u);
    await client.post("/auth/login", { email: u.email, password: u.password });
    const res = await client.get("/auth/register");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/");
  });
});
