// Issue 10 item 3: people hear about changes to their account. A password change or reset mails the
// account's address; an email change mails the OLD address with an undo link (7 days, single use) that
// restores it, ends every session and API token and sets a new password — and that the person who made
// the change cannot block.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { confirmedUser, latestMailTo, linkIn, login, register, uniqueUser } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { sha256HexWebCrypto } from "../helpers/http";

const DAY = 86_400_000;

async function mails(to: string) {
  return (
    await env.DB.prepare('SELECT kind, subject, text FROM mail_outbox WHERE "to" = ? ORDER BY id')
      .bind(to)
      .all<{ kind: string; subject: string; text: string }>()
  ).results;
}

async function userById(id: number) {
  return env.DB.prepare("SELECT email, confirmed, session_epoch FROM users WHERE id = ?")
    .bind(id)
    .first<{ email: string; confirmed: number; session_epoch: number }>();
}

async function addApiToken(userId: number) {
  const token = `api${crypto.randomUUID()}`;
  await env.DB.prepare("INSERT INTO auth_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES (?, ?, 'api', ?, ?)")
    .bind(await sha256HexWebCrypto(token), userId, Date.now(), Date.now() + 3600_000)
    .run();
}

async function apiTokens(userId: number) {
  return (await env.DB.prepare("SELECT count(*) AS n FROM auth_tokens WHERE user_id = ? AND purpose = 'api'").bind(userId).first<{ n: number }>())!.n;
}

/** Changes the email of the account `client` is logged in to, using the link mailed to the new address. */
async function changeEmail(client: Client, password: string, newEmail: string) {
  expect((await client.post("/auth/change-email", { email: newEmail, password })).status).toBe(303);
  const res = await client.get(linkIn((await latestMailTo(newEmail))!.text));
  expect((await client.follow(res)).html).toContain("Your email address has been updated.");
}

describe("password notices", () => {
  it("a password change mails the account's address that it happened", async () => {
    const u = await confirmedUser("pwnote");
    const res = await u.client.post("/auth/change-password", { old_password: u.password, password: "a new password", password2: "a new password" });
    expect(res.status).toBe(303);
    const last = (await mails(u.email)).at(-1)!;
    expect(last.kind).toBe("password_changed");
    expect(last.subject).toBe("[Roost] Your password was changed");
    expect(last.text).toContain(`Dear ${u.username},`);
    expect(last.text).toContain("The password of your Roost account was changed on ");
    expect(last.text).toContain("/auth/reset");
  });

  it("a password reset mails the account's address that it happened", async () => {
    const u = await confirmedUser("rsnote");
    await new Client().post("/auth/reset", { email: u.email });
    const link = linkIn((await latestMailTo(u.email))!.text);
    expect((await new Client().post(link, { password: "reset password", password2: "reset password" })).status).toBe(303);
    const last = (await mails(u.email)).at(-1)!;
    expect(last.kind).toBe("password_changed");
    expect(last.text).toContain("The password of your Roost account was changed on ");
  });

  it("a failed change or an invalid reset link mails nothing", async () => {
    const u = await confirmedUser("nonote");
    const before = (await mails(u.email)).length;
    expect(
      (await u.client.post("/auth/change-password", { old_password: "wrong password", password: "a new password", password2: "a new password" })).status,
    ).toBe(422);
    expect((await new Client().post(`/auth/reset/${"a".repeat(32)}`, { password: "reset password", password2: "reset password" })).status).toBe(303);
    expect((await mails(u.email)).length).toBe(before);
  });
});

describe("email change notice and undo", () => {
  it("mails the old address what changed, when, and an undo link valid for 7 days", async () => {
    const u = await confirmedUser("ecnote");
    const newEmail = uniqueUser("ecnotenew").email;
    await changeEmail(u.client, u.password, newEmail);
    const notice = (await mails(u.email)).at(-1)!;
    expect(notice.kind).toBe("email_changed");
    expect(notice.subject).toBe("[Roost] Your email address was changed");
    expect(notice.text).toContain(`The email address of your Roost account was changed from ${u.email} to ${newEmail} on `);
    expect(linkIn(notice.text)).toMatch(/^\/auth\/undo-email\/[a-z2-7]{32}$/);
    const token = await env.DB.prepare("SELECT new_email, expires_at - created_at AS ttl FROM auth_tokens WHERE user_id = ? AND purpose = 'undo_email'")
      .bind(u.id)
      .first<{ new_email: string; ttl: number }>();
    expect(token).toEqual({ new_email: u.email, ttl: 7 * DAY });
  });

  it("undoes a hijack: restores the address, ends every session and API token, sets a new password, once", async () => {
    const victim = await confirmedUser("victim");
    await addApiToken(victim.id);
    // The attacker knows the password, logs in, moves the account to their address and tries to keep it.
    const attacker = new Client();
    await login(attacker, victim.email, victim.password);
    const attackerEmail = uniqueUser("attacker").email;
    await changeEmail(attacker, victim.password, attackerEmail);
    const undo = linkIn((await mails(victim.email)).at(-1)!.text);
    await attacker.post("/auth/change-password", { old_password: victim.password, password: "attacker secret", password2: "attacker secret" });
    await addApiToken(victim.id);
    // ... squats the old address with a new, unconfirmed account, and resets the password by mail.
    const squat = { ...uniqueUser("squatold"), email: victim.email };
    expect((await register(new Client(), squat)).status).toBe(303);
    await new Client().post("/auth/reset", { email: attackerEmail });
    await new Client().post(linkIn((await latestMailTo(attackerEmail))!.text), { password: "attacker reset", password2: "attacker reset" });
    await login(attacker, attackerEmail, "attacker reset");
    expect(await (await attacker.get("/")).text()).toContain(`Hello, ${victim.username}!`);

    // The victim uses the undo link (whether or not their browser is logged in).
    const form = await victim.client.get(undo);
    expect(form.status).toBe(200);
    expect(form.headers.get("Referrer-Policy")).toBe("no-referrer");
    const page = await form.text();
    expect(page).toContain(victim.email);
    const mismatch = await victim.client.post(undo, { password: "victim again", password2: "something else" });
    expect(mismatch.status).toBe(422);
    expect(await mismatch.text()).toContain("Passwords must match.");
    const done = await victim.client.post(undo, { password: "victim again", password2: "victim again" });
    expect(done.status).toBe(303);
    expect(done.headers.get("Location")).toBe("/auth/login");
    expect((await victim.client.follow(done)).html).toContain("Your email address is back to");

    expect(await userById(victim.id)).toMatchObject({ email: victim.email, confirmed: 1 });
    expect(await apiTokens(victim.id)).toBe(0);
    expect(await (await attacker.get("/")).text()).toContain("Your own blog, among friends.");
    expect((await login(new Client(), attackerEmail, "attacker reset")).status).toBe(422);
    expect((await login(new Client(), victim.email, "attacker reset")).status).toBe(422);
    expect((await login(new Client(), victim.email, "victim again")).status).toBe(303);
    // The squatting account is gone; the link works once.
    const squatters = await env.DB.prepare("SELECT count(*) AS n FROM users WHERE username = ?").bind(squat.username).first<{ n: number }>();
    expect(squatters!.n).toBe(0);
    const c = new Client();
    const again = await c.post(undo, { password: "third password", password2: "third password" });
    expect(again.status).toBe(303);
    expect((await c.follow(again)).html).toContain("The undo link is invalid or has expired.");
    expect((await login(new Client(), victim.email, "victim again")).status).toBe(303);
  }, 30_000); // a dozen PBKDF2 hashes on a shared machine

  it("a later email change by the attacker does not end the undo link, and the undo ends theirs", async () => {
    const victim = await confirmedUser("victim2");
    const first = uniqueUser("hop1").email;
    const second = uniqueUser("hop2").email;
    await changeEmail(victim.client, victim.password, first);
    const undo = linkIn((await mails(victim.email)).at(-1)!.text);
    await changeEmail(victim.client, victim.password, second);
    const attackersUndo = linkIn((await mails(first)).at(-1)!.text);
    expect(attackersUndo).toMatch(/^\/auth\/undo-email\//);
    expect((await new Client().post(undo, { password: "victim again", password2: "victim again" })).status).toBe(303);
    expect((await userById(victim.id))!.email).toBe(victim.email);
    const c = new Client();
    const res = await c.post(attackersUndo, { password: "attacker again", password2: "attacker again" });
    expect((await c.follow(res)).html).toContain("The undo link is invalid or has expired.");
    expect((await userById(victim.id))!.email).toBe(victim.email);
  });

  it("refuses junk, unknown and expired undo links without changing anything", async () => {
    const u = await confirmedUser("undox");
    const newEmail = uniqueUser("undoxnew").email;
    await changeEmail(u.client, u.password, newEmail);
    await env.DB.prepare("UPDATE auth_tokens SET expires_at = ? WHERE user_id = ? AND purpose = 'undo_email'")
      .bind(Date.now() - 1, u.id)
      .run();
    const expired = linkIn((await mails(u.email)).at(-1)!.text);
    for (const path of ["/auth/undo-email/junk", `/auth/undo-email/${"a".repeat(32)}`, expired]) {
      const c = new Client();
      const get = await c.get(path);
      expect(get.status).toBe(303);
      const post = await c.post(path, { password: "whatever123", password2: "whatever123" });
      expect(post.status).toBe(303);
      expect((await c.follow(post)).html).toContain("The undo link is invalid or has expired.");
    }
    expect((await userById(u.id))!.email).toBe(newEmail);
  });
});
