// Account pages over HTTP: resend and confirm links, change password, reset by mail, change email.
// Each gets bad input, no session and someone else's token on purpose.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { confirmedUser, expectSentToLogin, latestMailTo, linkIn, login, unconfirmedUser, uniqueUser } from "../helpers/accounts";
import { Client } from "../helpers/client";

const unconfirmedLoggedIn = (prefix: string) => unconfirmedUser(prefix, { login: true });

describe("confirmation pages", () => {
  it("sends anonymous visitors of a confirm link to log in first, then back", async () => {
    const res = await new Client().get("/auth/confirm/abcdefghijklmnopqrstuvwxyz234567");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/auth/login?next=%2Fauth%2Fconfirm%2Fabcdefghijklmnopqrstuvwxyz234567");
  });

  it("flashes the invalid-link message for a junk, reused or other user's token", async () => {
    const a = await unconfirmedLoggedIn("cfa");
    const b = await unconfirmedLoggedIn("cfb");
    const aLink = linkIn((await latestMailTo(a.email))!.text);
    for (const path of ["/auth/confirm/junk", "/auth/confirm/" + "a".repeat(32), aLink]) {
      const res = await b.client.get(path);
      expect(res.status).toBe(303);
      const page = await b.client.follow(res);
      expect(page.html).toContain("The confirmation link is invalid or has expired.");
    }
    // a's own link still works after b tried it, and only once.
    expect((await a.client.follow(await a.client.get(aLink))).html).toContain("You have confirmed your account. Thanks!");
    const again = await a.client.get(aLink);
    expect(again.headers.get("Location")).toBe("/");
  });

  it("sends a token page with Referrer-Policy: no-referrer", async () => {
    const a = await unconfirmedLoggedIn("cfr");
    const res = await a.client.get("/auth/confirm/" + "b".repeat(32));
    expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
  });

  it("resends a confirmation mail, at most 5 per 30 minutes", async () => {
    const u = await unconfirmedLoggedIn("resend");
    for (let i = 0; i < 5; i++) {
      const res = await u.client.post("/auth/confirm");
      expect(res.status).toBe(303);
    }
    const mails = await env.DB.prepare('SELECT count(*) AS n FROM mail_outbox WHERE "to" = ?').bind(u.email).first<{ n: number }>();
    expect(mails!.n).toBe(6); // registration + 5 resends
    const sixth = await u.client.post("/auth/confirm");
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await sixth.text()).toContain("Too many attempts.");
  });

  it("refuses a resend without a session", async () => {
    const res = await new Client().post("/auth/confirm");
    expectSentToLogin(res);
  });
});

describe("change password", () => {
  it("needs a session", async () => {
    for (const res of [await new Client().get("/auth/change-password"), await new Client().post("/auth/change-password", {})]) {
      expectSentToLogin(res);
    }
  });

  it("rejects a wrong current password, a mismatch, and a short or over-long new one", async () => {
    const u = await confirmedUser("cpbad");
    const cases: [Record<string, string>, string][] = [
      [{ old_password: "wrong wrong", password: "new password 1", password2: "new password 1" }, "Invalid password."],
      [{ old_password: u.password, password: "new password 1", password2: "new password 2" }, "Passwords must match."],
      [{ old_password: u.password, password: "short", password2: "short" }, "Password must be at least 8 characters."],
      [{ old_password: u.password, password: "x".repeat(129), password2: "x".repeat(129) }, "Password must be at most 128 characters."],
      [{}, "Enter your current password."],
    ];
    for (const [body, message] of cases) {
      const res = await u.client.post("/auth/change-password", body);
      expect(res.status).toBe(422);
      expect(await res.text()).toContain(message);
    }
    expect((await login(new Client(), u.email, u.password)).status).toBe(303);
  });

  it("changes the password, keeps this browser logged in and logs out every other session", async () => {
    const u = await confirmedUser("cpok");
    const other = new Client();
    await login(other, u.email, u.password);
    const res = await u.client.post("/auth/change-password", { old_password: u.password, password: "a whole new secret", password2: "a whole new secret" });
    expect(res.status).toBe(303);
    const page = await u.client.follow(res);
    expect(page.html).toContain("Your password has been updated.");
    expect(page.html).toContain(`Hello, ${u.username}!`);
    expect(await (await other.get("/")).text()).toContain("Your own blog, among friends.");
    expect((await login(new Client(), u.email, u.password)).status).toBe(422);
    expect((await login(new Client(), u.email, "a whole new secret")).status).toBe(303);
  });
});

describe("reset password", () => {
  it("says the same thing whether or not the email exists", async () => {
    const u = await confirmedUser("rsame");
    const asker = new Client();
    const known = await asker.post("/auth/reset", { email: u.email });
    const unknown = await new Client().post("/auth/reset", { email: `nobody-${u.email}` });
    expect(known.status).toBe(303);
    expect(unknown.status).toBe(303);
    expect(known.headers.get("Location")).toBe(unknown.headers.get("Location"));
    const a = await asker.follow(known);
    expect(a.html).toContain("If an account exists for that email");
  });

  it("rejects an empty or malformed email", async () => {
    for (const [email, message] of [
      ["", "Email is required."],
      ["nope", "Enter a valid email address."],
      ["a".repeat(70), "Email must be at most 64 characters."],
    ] as const) {
      const res = await new Client().post("/auth/reset", { email });
      expect(res.status).toBe(422);
      expect(await res.text(), email).toContain(message);
    }
  });

  it("allows 5 reset requests per email per 30 minutes", async () => {
    const email = uniqueUser("rlim").email;
    for (let i = 0; i < 5; i++) expect((await new Client().post("/auth/reset", { email })).status).toBe(303);
    const sixth = await new Client().post("/auth/reset", { email });
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get("Retry-After")).toBeTruthy();
    expect(await sixth.text()).toContain("Too many attempts. Please try again in");
  });

  it("resets through the mailed link, ends every session and does not log in", async () => {
    const u = await confirmedUser("rflow");
    await new Client().post("/auth/reset", { email: u.email });
    const link = linkIn((await latestMailTo(u.email))!.text);
    const visitor = new Client();
    const form = await visitor.get(link);
    expect(form.status).toBe(200);
    expect(form.headers.get("Referrer-Policy")).toBe("no-referrer");
    const mismatch = await visitor.post(link, { password: "new secret one", password2: "new secret two" });
    expect(mismatch.status).toBe(422);
    const ok = await visitor.post(link, { password: "new secret one", password2: "new secret one" });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("Location")).toBe("/auth/login");
    expect(visitor.session()).toBeUndefined();
    expect(await (await u.client.get("/")).text()).toContain("Your own blog, among friends.");
    expect((await login(new Client(), u.email, "new secret one")).status).toBe(303);
    // The link is single-use.
    const reuse = await visitor.get(link);
    expect(reuse.status).toBe(303);
    expect((await visitor.follow(reuse)).html).toContain("The password reset link is invalid or has expired.");
  });
});

describe("change email", () => {
  it("needs a session", async () => {
    const res = await new Client().post("/auth/change-email", { email: "a@example.org", password: "whatever1" });
    expectSentToLogin(res);
  });

  it("rejects empty, malformed, taken addresses and a wrong password", async () => {
    const u = await confirmedUser("cebad");
    const other = await confirmedUser("ceother");
    const cases: [Record<string, string>, string][] = [
      [{ email: "", password: u.password }, "Email is required."],
      [{ email: "nope", password: u.password }, "Enter a valid email address."],
      [{ email: other.email.toUpperCase(), password: u.password }, "Email already registered."],
      [{ email: uniqueUser().email, password: "wrong password" }, "Invalid password."],
      [{ email: uniqueUser().email, password: "" }, "Enter your password."],
    ];
    for (const [body, message] of cases) {
      const res = await u.client.post("/auth/change-email", body);
      expect(res.status).toBe(422);
      expect(await res.text()).toContain(message);
    }
  });

  it("changes the address only when the link sent to the new address is used", async () => {
    const u = await confirmedUser("ceok");
    const newEmail = uniqueUser("cenew").email;
    const res = await u.client.post("/auth/change-email", { email: newEmail, password: u.password });
    expect(res.status).toBe(303);
    expect((await u.client.follow(res)).html).toContain("An email with instructions to confirm your new email address has been sent to you.");
    expect((await login(new Client(), newEmail, u.password)).status).toBe(422);
    const link = linkIn((await latestMailTo(newEmail))!.text);
    // Another logged-in user cannot use it.
    const intruder = await confirmedUser("ceint");
    expect((await intruder.client.follow(await intruder.client.get(link))).html).toContain("The confirmation link is invalid or has expired.");
    const done = await u.client.follow(await u.client.get(link));
    expect(done.html).toContain("Your email address has been updated.");
    expect((await login(new Client(), newEmail, u.password)).status).toBe(303);
  });
});
