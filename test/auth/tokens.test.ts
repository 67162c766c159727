// Port of Flasky's user-model token tests: confirmation (valid, other user's, expired, reused), reset
// (valid, invalid, reused), email change (valid, other user's, duplicate email), through the service.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db";
import * as service from "../../src/features/auth/service";
import { verifyPassword } from "../../src/lib/password";
import { latestMailTo, uniqueUser } from "../helpers/accounts";

const HOUR = 3600_000;
const deps = (now?: number): service.Deps => ({ env, db: getDb(env.DB), now });

async function newUser(prefix: string) {
  const u = uniqueUser(prefix);
  const r = await service.register(deps(), u);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const mail = await latestMailTo(u.email);
  const token = mail!.text.match(/\/auth\/confirm\/([a-z2-7]{32})/)![1]!;
  return { ...u, id: r.userId, token };
}

/** The columns the token flows change (the profile's userRow leaves out the secrets). */
async function userRow(id: number) {
  return env.DB.prepare("SELECT email, confirmed, password_hash, session_epoch, avatar_hash FROM users WHERE id = ?")
    .bind(id)
    .first<{ email: string; confirmed: number; password_hash: string; session_epoch: number; avatar_hash: string }>();
}

/** The account's stored password and email are these. */
async function expectAccount(id: number, want: { password: string; email: string }) {
  const row = await userRow(id);
  expect(row!.email).toBe(want.email);
  expect((await verifyPassword(want.password, row!.password_hash)).ok).toBe(true);
}

/** Email changes need a confirmed account (issue 10). */
async function confirmedNewUser(prefix: string) {
  const u = await newUser(prefix);
  expect(await service.confirmAccount(deps(), u.id, u.token)).toBe(true);
  return u;
}

describe("confirmation tokens", () => {
  it("a valid token confirms, once", async () => {
    const u = await newUser("conf");
    expect(await service.confirmAccount(deps(), u.id, u.token)).toBe(true);
    expect((await userRow(u.id))!.confirmed).toBe(1);
    expect(await service.confirmAccount(deps(), u.id, u.token)).toBe(false);
  });

  it("another user's token does not confirm", async () => {
    const a = await newUser("confa");
    const b = await newUser("confb");
    expect(await service.confirmAccount(deps(), b.id, a.token)).toBe(false);
    expect((await userRow(b.id))!.confirmed).toBe(0);
    expect((await userRow(a.id))!.confirmed).toBe(0);
  });

  it("an expired token does not confirm", async () => {
    const u = await newUser("confx");
    expect(await service.confirmAccount(deps(Date.now() + HOUR + 1000), u.id, u.token)).toBe(false);
    expect((await userRow(u.id))!.confirmed).toBe(0);
  });

  it("is stored only as a SHA-256 hash", async () => {
    const u = await newUser("confh");
    const rows = await env.DB.prepare("SELECT token_hash FROM auth_tokens WHERE user_id = ?").bind(u.id).all<{ token_hash: string }>();
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows.results[0]!.token_hash).not.toContain(u.token);
  });
});

describe("reset tokens", () => {
  async function resetToken(email: string, now?: number) {
    expect(await service.requestPasswordReset(deps(now), email)).toEqual({ ok: true });
    const mail = await latestMailTo(email);
    expect(mail?.subject).toBe("[Roost] Reset Your Password");
    return mail!.text.match(/\/auth\/reset\/([a-z2-7]{32})/)![1]!;
  }

  it("a valid token sets the new password and moves the session epoch", async () => {
    const u = await newUser("reset");
    const token = await resetToken(u.email);
    const before = await userRow(u.id);
    expect(await service.resetPassword(deps(), token, "brand new password")).toBe(true);
    const after = await userRow(u.id);
    expect((await verifyPassword("brand new password", after!.password_hash)).ok).toBe(true);
    expect(after!.session_epoch).toBe(before!.session_epoch + 1);
    expect(await service.resetPassword(deps(), token, "another password")).toBe(false);
  });

  it("an invalid or expired token changes nothing", async () => {
    const u = await newUser("resetx");
    const token = await resetToken(u.email);
    const before = await userRow(u.id);
    expect(await service.resetPassword(deps(), "a".repeat(32), "brand new password")).toBe(false);
    expect(await service.resetPassword(deps(), "not a token", "brand new password")).toBe(false);
    expect(await service.resetPassword(deps(Date.now() + HOUR + 1000), token, "brand new password")).toBe(false);
    expect(await userRow(u.id)).toEqual(before);
  });

  it("a confirm token is not a reset token", async () => {
    const u = await newUser("resetp");
    expect(await service.resetPassword(deps(), u.token, "brand new password")).toBe(false);
  });

  it("asking for an unknown email sends nothing but answers the same", async () => {
    const email = uniqueUser("noone").email;
    expect(await service.requestPasswordReset(deps(), email)).toEqual({ ok: true });
    expect(await latestMailTo(email)).toBeNull();
  });
});

describe("email change tokens", () => {
  async function changeToken(u: { id: number; username: string; password: string }, newEmail: string) {
    expect(await service.requestEmailChange(deps(), u, newEmail, u.password)).toEqual({ ok: true });
    const mail = await latestMailTo(newEmail);
    return mail!.text.match(/\/auth\/change-email\/([a-z2-7]{32})/)![1]!;
  }

  it("a valid token changes the email and the avatar hash, only when used", async () => {
    const u = await confirmedNewUser("chg");
    const newEmail = uniqueUser("chgnew").email;
    const before = await userRow(u.id);
    const token = await changeToken(u, newEmail);
    expect((await userRow(u.id))!.email).toBe(u.email);
    expect(await service.changeEmail(deps(), u.id, token)).toEqual({ ok: true, email: newEmail });
    const after = await userRow(u.id);
    expect(after!.email).toBe(newEmail);
    expect(after!.avatar_hash).not.toBe(before!.avatar_hash);
    expect(await service.changeEmail(deps(), u.id, token)).toEqual({ ok: false, reason: "invalid" });
  });

  it("another user's token is invalid", async () => {
    const a = await confirmedNewUser("chga");
    const b = await confirmedNewUser("chgb");
    const token = await changeToken(a, uniqueUser("chgx").email);
    expect(await service.changeEmail(deps(), b.id, token)).toEqual({ ok: false, reason: "invalid" });
    expect((await userRow(b.id))!.email).toBe(b.email);
  });

  it("a duplicate email is refused at request time and at use time", async () => {
    const a = await confirmedNewUser("dupa");
    const b = await confirmedNewUser("dupb");
    expect(await service.requestEmailChange(deps(), a, b.email, a.password)).toEqual({ ok: false, errors: { email: "Email already registered." } });
    const target = uniqueUser("dupt").email;
    const token = await changeToken(a, target);
    // Someone else takes the address before the link is used.
    const c = await confirmedNewUser("dupc");
    await env.DB.prepare("UPDATE users SET email = ? WHERE id = ?").bind(target, c.id).run();
    expect(await service.changeEmail(deps(), a.id, token)).toEqual({ ok: false, reason: "taken" });
    expect((await userRow(a.id))!.email).toBe(a.email);
  });

  it("is refused to an unconfirmed account, which keeps its address", async () => {
    const u = await newUser("chgunc");
    const target = uniqueUser("chguncnew").email;
    expect(await service.requestEmailChange(deps(), u, target, u.password)).toEqual({
      ok: false,
      errors: { email: "Confirm your account before changing its email address." },
    });
    expect(await latestMailTo(target)).toBeNull();
    expect((await userRow(u.id))!.email).toBe(u.email);
  });

  it("needs the right password", async () => {
    const u = await confirmedNewUser("chgpw");
    expect(await service.requestEmailChange(deps(), u, uniqueUser("x").email, "wrong password")).toEqual({
      ok: false,
      errors: { password: "Invalid password." },
    });
  });
});

describe("what ends older links (issue 10 item 2)", () => {
  async function resetLink(email: string) {
    expect(await service.requestPasswordReset(deps(), email)).toEqual({ ok: true });
    return (await latestMailTo(email))!.text.match(/\/auth\/reset\/([a-z2-7]{32})/)![1]!;
  }
  async function changeLink(u: { id: number; username: string; password: string }, newEmail: string) {
    expect(await service.requestEmailChange(deps(), u, newEmail, u.password)).toEqual({ ok: true });
    return (await latestMailTo(newEmail))!.text.match(/\/auth\/change-email\/([a-z2-7]{32})/)![1]!;
  }
  it("a reset with a newer link ends the older unused reset and email-change links", async () => {
    const u = await confirmedNewUser("old1");
    const older = await resetLink(u.email);
    const pending = await changeLink(u, uniqueUser("old1new").email);
    const newer = await resetLink(u.email);
    expect(await service.resetPassword(deps(), newer, "the newest password")).toBe(true);
    expect(await service.resetPassword(deps(), older, "an attacker's password")).toBe(false);
    expect(await service.isResetTokenUsable(deps(), older)).toBe(false);
    expect(await service.changeEmail(deps(), u.id, pending)).toEqual({ ok: false, reason: "invalid" });
    await expectAccount(u.id, { password: "the newest password", email: u.email });
  });

  it("a password change ends reset and email-change links asked for before it", async () => {
    const u = await confirmedNewUser("old2");
    const reset = await resetLink(u.email);
    const pending = await changeLink(u, uniqueUser("old2new").email);
    const changed = await service.changePassword(deps(), u.id, u.password, "changed on purpose");
    expect(changed.ok).toBe(true);
    expect(await service.resetPassword(deps(), reset, "an attacker's password")).toBe(false);
    expect(await service.changeEmail(deps(), u.id, pending)).toEqual({ ok: false, reason: "invalid" });
    await expectAccount(u.id, { password: "changed on purpose", email: u.email });
  });

  it("an email change ends reset links mailed to the old address, other email-change links and confirmation links", async () => {
    const u = await newUser("old3");
    expect(await service.resendConfirmation(deps(), u)).toEqual({ ok: true }); // a spare confirmation link stays unused
    expect(await service.confirmAccount(deps(), u.id, u.token)).toBe(true);
    const reset = await resetLink(u.email);
    const other = await changeLink(u, uniqueUser("old3a").email);
    const target = uniqueUser("old3b").email;
    const chosen = await changeLink(u, target);
    expect(await service.changeEmail(deps(), u.id, chosen)).toEqual({ ok: true, email: target });
    expect(await service.resetPassword(deps(), reset, "an attacker's password")).toBe(false);
    expect(await service.changeEmail(deps(), u.id, other)).toEqual({ ok: false, reason: "invalid" });
    const live = await env.DB.prepare("SELECT purpose FROM auth_tokens WHERE user_id = ? AND used_at IS NULL ORDER BY id")
      .bind(u.id)
      .all<{ purpose: string }>();
    // Only the undo link mailed to the old address is left (issue 10 item 3).
    expect(live.results.map((r) => r.purpose)).toEqual(["undo_email"]);
    await expectAccount(u.id, { password: u.password, email: target });
  });
});
