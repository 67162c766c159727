// Account rules: registration, credentials, single-use mailed tokens, password and email changes.
// Every multi-row change is one db.batch() (D1's only atomic unit); mail rows join the same batch.
// The Administrator role comes only from using a link mailed to ADMIN_EMAIL (see roleForMailbox).
import { and, eq, gt, inArray, isNull, ne, type SQL, sql } from "drizzle-orm";
import { getConfig, limits } from "../../config";
import type { Db } from "../../db";
import { insertWhere } from "../../db/insert-where";
import { authTokens, mailOutbox, roles, users } from "../../db/schema";
import { commit, type EventContext } from "../../events/commit";
// `t` is a timestamp in this file; messages come from msg.
import { t as msg } from "../../i18n";
import { avatarHash } from "../../lib/avatar";
import { UNKNOWN_NETWORK } from "../../lib/client-network";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "../../lib/password";
import { release, reserve, reserveAll } from "../../lib/rate-limit";
import { isUniqueViolation } from "../../lib/sql-errors";
import { looksLikeToken, randomToken, sha256Hex } from "../../lib/tokens";
import { emailChangedMail, passwordChangedMail } from "../../mail/account-mails";
import { enqueueMail, type OutgoingMail, outboxInsert } from "../../mail/outbox";
import { selfFollowStatement } from "../users";

/** `network`: the client network (lib/client-network) that wrong passwords are counted against. */
export type Deps = { env: Env; db: Db; now?: number; network?: string };
type TokenPurpose = "confirm" | "reset" | "change_email" | "undo_email";

const now = (d: Pick<Deps, "now">) => d.now ?? Date.now();

/** A new single-use link for `userId`; `mailedTo` is the address the link goes to (stored as new_email). */
function tokenInsert(d: Deps, userId: number, purpose: TokenPurpose, ttlMs: number, mailedTo: string) {
  const token = randomToken();
  const t = now(d);
  const stmt = d.db.insert(authTokens).values({ tokenHash: sha256Hex(token), userId, purpose, newEmail: mailedTo, createdAt: t, expiresAt: t + ttlMs });
  return { token, stmt };
}

/** The condition for a token that can still be used: right purpose (and user), unused, unexpired. */
function usableToken(d: Deps, token: string, purpose: TokenPurpose, userId?: number) {
  return and(
    eq(authTokens.tokenHash, sha256Hex(token)),
    eq(authTokens.purpose, purpose),
    isNull(authTokens.usedAt),
    gt(authTokens.expiresAt, now(d)),
    userId === undefined ? undefined : eq(authTokens.userId, userId),
  );
}

/** "The link is still usable", for the other statements of the batch that uses it (they come before it). */
function stillUsable(valid: SQL | undefined) {
  return sql`EXISTS (SELECT 1 FROM ${authTokens} WHERE ${valid})`;
}

/**
 * Marks every unused link of `userId` with one of `purposes` as used, except the one being used now (its
 * own UPDATE … RETURNING comes last and tells whether the batch did anything). Old links must not outlive
 * a reset, a password change or an email change (issue 10). Undo links are never in `purposes` for those:
 * whoever changed the email must not be able to cancel the old address's way back.
 */
function endLinks(d: Deps, userId: number, purposes: TokenPurpose[], using: string, valid: SQL | undefined) {
  return d.db
    .update(authTokens)
    .set({ usedAt: now(d) })
    .where(
      and(
        eq(authTokens.userId, userId),
        inArray(authTokens.purpose, purposes),
        isNull(authTokens.usedAt),
        ne(authTokens.tokenHash, sha256Hex(using)),
        stillUsable(valid),
      ),
    );
}

/** A mail written only while the link (`valid`) is still usable at its place in the batch. */
function mailWhere(d: Deps, mail: OutgoingMail, valid: SQL | undefined) {
  const row = {
    to: mail.to,
    kind: mail.kind,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    status: "pending" as const,
    attempts: 0,
    createdAt: now(d),
  };
  return insertWhere(d.db, mailOutbox, row, authTokens, valid).returning({ id: mailOutbox.id });
}

/** The account a usable link (`valid`) belongs to, and the address the link was mailed to. */
function linkHolder(d: Deps, valid: SQL | undefined) {
  return d.db
    .select({ id: users.id, email: users.email, username: users.username, confirmed: users.confirmed, locale: users.locale, mailedTo: authTokens.newEmail })
    .from(authTokens)
    .innerJoin(users, eq(users.id, authTokens.userId))
    .where(valid)
    .get();
}

/**
 * The end of a batch that sets a new password through a link: the account's API tokens go, the notice is
 * written, its other `ending` links end and the link itself is marked used, last (its RETURNING tells
 * whether the batch did anything). Each runs only while the link is still usable.
 */
function newPasswordTail(d: Deps, userId: number, notice: OutgoingMail, ending: TokenPurpose[], token: string, valid: SQL | undefined) {
  return [
    d.db.delete(authTokens).where(and(eq(authTokens.userId, userId), eq(authTokens.purpose, "api"), stillUsable(valid))),
    mailWhere(d, notice, valid),
    endLinks(d, userId, ending, token, valid),
    d.db
      .update(authTokens)
      .set({ usedAt: now(d) })
      .where(valid)
      .returning({ id: authTokens.id }),
  ] as const;
}

/**
 * Runs an email change's batch (it answers the mails it wrote and whether the link was used) and sends
 * those mails. The new address being taken by then fails the batch on the UNIQUE index: "taken".
 */
async function settleEmailChange(d: Deps, email: string, run: () => Promise<{ mailed: { id: number }[]; used: unknown[] }>): Promise<EmailChangeResult> {
  try {
    const { mailed, used } = await run();
    await enqueueMail(
      d.env.MAIL_QUEUE,
      mailed.map((r) => r.id),
    );
    return used.length === 1 ? { ok: true, email } : { ok: false, reason: "invalid" };
  } catch (err) {
    if (isUniqueViolation(err, "users.email")) return { ok: false, reason: "taken" };
    throw err;
  }
}

const roleNamed = (name: string) => sql<number>`(SELECT ${roles.id} FROM ${roles} WHERE ${roles.name} = ${name})`;
const defaultRole = sql<number>`(SELECT ${roles.id} FROM ${roles} WHERE ${roles.isDefault} = 1 LIMIT 1)`;

/**
 * role_id for an account using a link mailed to `mailedTo` (its address stays): Administrator when that
 * link went to ADMIN_EMAIL and ADMIN_EMAIL is still the account's address; otherwise unchanged.
 */
function roleForMailbox(d: Deps, mailedTo: SQL) {
  const admin = getConfig(d.env).adminEmail;
  if (!admin) return sql<number>`${users.roleId}`;
  return sql<number>`CASE WHEN ${mailedTo} = ${admin} AND ${users.email} = ${admin} THEN ${roleNamed("Administrator")} ELSE ${users.roleId} END`;
}

/**
 * role_id for an account moving to `address` through a link mailed there. Moving to ADMIN_EMAIL grants
 * Administrator; moving away from it drops an Administrator to the default role, because that role was
 * the mailbox's, not the person's (an Administrator appointed in the admin editor under another
 * address keeps the role). Reads users.email before the UPDATE's SET applies (SQLite semantics).
 */
function roleForNewAddress(d: Deps, address: string) {
  const admin = getConfig(d.env).adminEmail;
  if (!admin) return sql<number>`${users.roleId}`;
  if (address === admin) return roleNamed("Administrator");
  return sql<number>`CASE WHEN ${users.email} = ${admin} AND ${users.roleId} = ${roleNamed("Administrator")} THEN ${defaultRole} ELSE ${users.roleId} END`;
}

/** What the event subscribers of a change see (events/commit.ts). */
/** What every account notice is built from: the app's name and address, the mailbox, the holder's name and language, now. */
function noticeFields(d: Deps, to: string, holder: { username: string; locale: string | null }) {
  const cfg = getConfig(d.env);
  return { appName: cfg.appName, baseUrl: cfg.baseUrl, to, username: holder.username, locale: holder.locale, at: now(d) };
}

const eventContext = (d: Deps): EventContext => ({ db: d.db, config: getConfig(d.env), env: d.env, now: now(d) });

// ---------------------------------------------------------------------------------------------------
// Registration and confirmation

export type RegisterInput = { email: string; username: string; password: string };
export type FieldFailure = { ok: false; errors: Record<string, string> };

export async function register(d: Deps, input: RegisterInput): Promise<{ ok: true; userId: number } | FieldFailure> {
  const taken = await d.db
    .select({ email: users.email, username: users.username })
    .from(users)
    .where(sql`${users.email} = ${input.email} OR lower(${users.username}) = lower(${input.username})`)
    .all();
  const errors: Record<string, string> = {};
  if (taken.some((u) => u.email === input.email)) errors.email = msg("auth.emailTaken");
  if (taken.some((u) => u.username.toLowerCase() === input.username.toLowerCase())) errors.username = msg("auth.usernameTaken");
  if (Object.keys(errors).length) return { ok: false, errors };

  const t = now(d);
  // Never Administrator here, even for ADMIN_EMAIL: the role comes with the confirmation link (issue 10).
  const roleId = defaultRole;
  const userRow = {
    email: input.email,
    username: input.username,
    passwordHash: await hashPassword(input.password),
    roleId: roleId,
    confirmed: false,
    memberSince: t,
    lastSeen: t,
    avatarHash: await avatarHash(input.email),
  };
  const byEmail = sql<number>`(SELECT id FROM users WHERE email = ${input.email})`;
  const token = randomToken();
  try {
    // One atomic unit: the user, their self-follow, the confirm token and (through the event's subscribers)
    // the mail. A concurrent registration of the same email/username fails the whole batch on the UNIQUE index.
    const [inserted] = await commit(
      eventContext(d),
      [
        d.db.insert(users).values(userRow).returning({ id: users.id }),
        selfFollowStatement(d.db, input.email, t),
        d.db.insert(authTokens).values({
          tokenHash: sha256Hex(token),
          userId: byEmail,
          purpose: "confirm",
          newEmail: input.email,
          createdAt: t,
          expiresAt: t + limits.confirmTokenMs,
        }),
      ],
      [{ type: "user.registered", email: input.email, username: input.username, confirmToken: token }],
    );
    const userId = Array.isArray(inserted) && typeof inserted[0]?.id === "number" ? inserted[0].id : null;
    if (userId === null) throw new Error("registration batch returned no user id");
    return { ok: true, userId };
  } catch (err) {
    if (isUniqueViolation(err, "users.email")) return { ok: false, errors: { email: msg("auth.emailTaken") } };
    if (isUniqueViolation(err, "username")) return { ok: false, errors: { username: msg("auth.usernameTaken") } };
    throw err;
  }
}

export type Limited = { ok: false; limited: true; retryAfterSeconds: number };

export async function resendConfirmation(
  d: Deps,
  user: { id: number; email: string; username: string; locale?: string | null },
): Promise<{ ok: true } | Limited> {
  const slot = await reserve(d.db, "mail", user.email, limits.mailRequests, now(d));
  if (!slot.ok) return { ok: false, limited: true, retryAfterSeconds: slot.retryAfterSeconds };
  const { token, stmt } = tokenInsert(d, user.id, "confirm", limits.confirmTokenMs, user.email);
  await commit(
    eventContext(d),
    [stmt],
    [{ type: "user.confirmation_requested", userId: user.id, email: user.email, username: user.username, locale: user.locale ?? null, confirmToken: token }],
  );
  return { ok: true };
}

/** Confirms `userId` if `token` is that user's unused, unexpired confirm token (Administrator for ADMIN_EMAIL). */
export async function confirmAccount(d: Deps, userId: number, token: string): Promise<boolean> {
  if (!looksLikeToken(token)) return false;
  const t = now(d);
  const valid = usableToken(d, token, "confirm", userId);
  const mailedTo = sql`(SELECT ${authTokens.newEmail} FROM ${authTokens} WHERE ${valid})`;
  const [confirmed, used] = await d.db.batch([
    d.db
      .update(users)
      .set({ confirmed: true, roleId: roleForMailbox(d, mailedTo) })
      .where(and(eq(users.id, userId), stillUsable(valid))),
    d.db.update(authTokens).set({ usedAt: t }).where(valid).returning({ id: authTokens.id }),
  ]);
  void confirmed;
  return used.length === 1;
}

// ---------------------------------------------------------------------------------------------------
// Login

export type LoginResult = { ok: true; user: { id: number; sessionEpoch: number; username: string } } | { ok: false; limited: false } | Limited;

type ThrottledCheck = { ok: true; needsRehash: boolean } | { ok: false; limited: false } | Limited;

/**
 * Every password check goes through here: a failure slot is reserved in the three windows of
 * `limits.loginFailures` (account+network, account, network) in one statement before PBKDF2 runs, and
 * given back when the password is right, so the 10th attempt is still judged on the password and the
 * 11th failure-in-window gets 429. `account` is `user:<id>`, or `name:<typed name>` with a null hash when
 * no account matches: the same statements and the same PBKDF2 work, so unknown accounts answer alike.
 */
async function checkPassword(d: Pick<Deps, "db" | "now" | "network">, account: string, hash: string | null, password: string): Promise<ThrottledCheck> {
  const network = d.network ?? UNKNOWN_NETWORK;
  const w = limits.loginFailures;
  const slot = await reserveAll(
    d.db,
    [
      { bucket: "login-account-network", key: `${account} ${network}`, limit: w.accountNetwork },
      { bucket: "login-account", key: account, limit: w.account },
      { bucket: "login-network", key: network, limit: w.network },
    ],
    now(d),
  );
  if (!slot.ok) return { ok: false, limited: true, retryAfterSeconds: slot.retryAfterSeconds };
  if (hash === null) {
    await verifyAgainstDummy(password);
    return { ok: false, limited: false };
  }
  const check = await verifyPassword(password, hash);
  if (!check.ok) return { ok: false, limited: false };
  await release(d.db, slot.eventIds);
  return { ok: true, needsRehash: check.needsRehash };
}

/** Re-checks a logged-in user's password (before deleting the account), counted like a login. */
export async function recheckPassword(
  d: Pick<Deps, "db" | "now" | "network">,
  userId: number,
  password: string,
): Promise<{ ok: true } | { ok: false; limited: false } | Limited> {
  const row = await d.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)).get();
  const check = await checkPassword(d, `user:${userId}`, row?.passwordHash ?? null, password);
  return check.ok ? { ok: true } : check;
}

/**
 * Email-or-username login. Wrong passwords count in the failure windows of `checkPassword` (per typed
 * name when no account matches, so unknown and known accounts answer alike).
 */
export async function login(d: Deps, identifier: string, password: string): Promise<LoginResult> {
  const ident = identifier.trim();
  const user = await d.db
    .select({ id: users.id, passwordHash: users.passwordHash, sessionEpoch: users.sessionEpoch, username: users.username })
    .from(users)
    .where(ident.includes("@") ? eq(users.email, ident.toLowerCase()) : sql`lower(${users.username}) = lower(${ident})`)
    .get();
  const account = user ? `user:${user.id}` : `name:${ident.toLowerCase()}`;
  const check = await checkPassword(d, account, user?.passwordHash ?? null, password);
  if (!check.ok) return check;
  if (!user) return { ok: false, limited: false }; // unreachable: a null hash never matches
  if (check.needsRehash) {
    await d.db
      .update(users)
      .set({ passwordHash: await hashPassword(password) })
      .where(eq(users.id, user.id));
  }
  return { ok: true, user: { id: user.id, sessionEpoch: user.sessionEpoch, username: user.username } };
}

// ---------------------------------------------------------------------------------------------------
// Passwords

/**
 * Checks the old password, stores the new one and moves the session epoch (ending other sessions); the
 * user's API tokens are deleted and their unused reset and email-change links ended in the same batch, so
 * nothing outlives the password it was issued under, and the account's address gets a notice.
 */
export async function changePassword(
  d: Deps,
  userId: number,
  oldPassword: string,
  newPassword: string,
): Promise<{ ok: true; sessionEpoch: number } | FieldFailure | Limited> {
  const row = await d.db
    .select({ passwordHash: users.passwordHash, email: users.email, username: users.username, locale: users.locale })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  const check = await checkPassword(d, `user:${userId}`, row?.passwordHash ?? null, oldPassword);
  if (!row || !check.ok) {
    return !check.ok && check.limited ? check : { ok: false, errors: { old_password: msg("auth.invalidPassword") } };
  }
  const notice = passwordChangedMail(noticeFields(d, row.email, row));
  const [updated, , , mailed] = await d.db.batch([
    d.db
      .update(users)
      .set({ passwordHash: await hashPassword(newPassword), sessionEpoch: sql`${users.sessionEpoch} + 1` })
      .where(eq(users.id, userId))
      .returning({ sessionEpoch: users.sessionEpoch }),
    d.db.delete(authTokens).where(and(eq(authTokens.userId, userId), eq(authTokens.purpose, "api"))),
    d.db
      .update(authTokens)
      .set({ usedAt: now(d) })
      .where(and(eq(authTokens.userId, userId), inArray(authTokens.purpose, ["reset", "change_email"]), isNull(authTokens.usedAt))),
    outboxInsert(d.db, notice, now(d)),
  ]);
  await enqueueMail(
    d.env.MAIL_QUEUE,
    mailed.map((r) => r.id),
  );
  return { ok: true, sessionEpoch: updated[0]!.sessionEpoch };
}

/** Always answers the same way; sends a reset mail only when the account exists. */
export async function requestPasswordReset(d: Deps, email: string): Promise<{ ok: true } | Limited> {
  const slot = await reserve(d.db, "mail", email, limits.mailRequests, now(d));
  if (!slot.ok) return { ok: false, limited: true, retryAfterSeconds: slot.retryAfterSeconds };
  const user = await d.db.select({ id: users.id, username: users.username, locale: users.locale }).from(users).where(eq(users.email, email)).get();
  if (!user) return { ok: true };
  const { token, stmt } = tokenInsert(d, user.id, "reset", limits.resetTokenMs, email);
  await commit(
    eventContext(d),
    [stmt],
    [{ type: "user.password_reset_requested", userId: user.id, email, username: user.username, locale: user.locale, resetToken: token }],
  );
  return { ok: true };
}

/**
 * Sets a new password from a reset token and ends every session, API token and other reset or
 * email-change link of that user. Using the link proves the mailbox, so it also confirms the account (and
 * makes it Administrator when the link went to ADMIN_EMAIL): the real owner of a squatted address gets
 * the account back. The account's address gets a notice. Does not log in.
 */
export async function resetPassword(d: Deps, token: string, newPassword: string): Promise<boolean> {
  if (!looksLikeToken(token)) return false;
  const valid = usableToken(d, token, "reset");
  const owner = await linkHolder(d, valid);
  if (!owner) return false;
  const hash = await hashPassword(newPassword);
  const notice = passwordChangedMail(noticeFields(d, owner.email, owner));
  const mailedTo = sql`(SELECT ${authTokens.newEmail} FROM ${authTokens} WHERE ${valid})`;
  // Every statement is guarded by the link still being usable; the link itself is marked used last.
  const [, , mailed, , used] = await d.db.batch([
    d.db
      .update(users)
      .set({ passwordHash: hash, sessionEpoch: sql`${users.sessionEpoch} + 1`, confirmed: true, roleId: roleForMailbox(d, mailedTo) })
      .where(and(eq(users.id, owner.id), stillUsable(valid))),
    ...newPasswordTail(d, owner.id, notice, ["reset", "change_email"], token, valid),
  ]);
  await enqueueMail(
    d.env.MAIL_QUEUE,
    mailed.map((r) => r.id),
  );
  return used.length === 1;
}

export async function isResetTokenUsable(d: Deps, token: string): Promise<boolean> {
  if (!looksLikeToken(token)) return false;
  return !!(await d.db
    .select({ id: authTokens.id })
    .from(authTokens)
    .where(usableToken(d, token, "reset"))
    .get());
}

// ---------------------------------------------------------------------------------------------------
// Email change

export async function requestEmailChange(
  d: Deps,
  user: { id: number; username: string; locale?: string | null },
  newEmail: string,
  password: string,
): Promise<{ ok: true } | FieldFailure | Limited> {
  const row = await d.db
    .select({ passwordHash: users.passwordHash, email: users.email, confirmed: users.confirmed })
    .from(users)
    .where(eq(users.id, user.id))
    .get();
  const check = await checkPassword(d, `user:${user.id}`, row?.passwordHash ?? null, password);
  if (!check.ok && check.limited) return check;
  if (!row || !check.ok) return { ok: false, errors: { password: msg("auth.invalidPassword") } };
  // An unproven address must not be swapped for another (squatting ADMIN_EMAIL, issue 10); the web gate also stops it.
  if (!row.confirmed) return { ok: false, errors: { email: msg("auth.confirmBeforeChange") } };
  if (newEmail === row.email) return { ok: false, errors: { email: msg("auth.sameEmail") } };
  const taken = await d.db.select({ id: users.id }).from(users).where(eq(users.email, newEmail)).get();
  if (taken) return { ok: false, errors: { email: msg("auth.emailTaken") } };
  const slot = await reserve(d.db, "mail", `change:${user.id}`, limits.mailRequests, now(d));
  if (!slot.ok) return { ok: false, limited: true, retryAfterSeconds: slot.retryAfterSeconds };
  const { token, stmt } = tokenInsert(d, user.id, "change_email", limits.changeEmailTokenMs, newEmail);
  await commit(
    eventContext(d),
    [stmt],
    [{ type: "user.email_change_requested", userId: user.id, newEmail, username: user.username, locale: user.locale ?? null, changeToken: token }],
  );
  return { ok: true };
}

export type EmailChangeResult = { ok: true; email: string } | { ok: false; reason: "invalid" | "taken" };

/**
 * Applies a change-email token of `userId`: the email and avatar hash change only now (and the role, see
 * roleForNewAddress). Every other unused confirm, reset and email-change link ends; the OLD address gets a
 * notice with an undo link (7 days) — all in one batch, guarded by the link still being usable.
 */
export async function changeEmail(d: Deps, userId: number, token: string): Promise<EmailChangeResult> {
  if (!looksLikeToken(token)) return { ok: false, reason: "invalid" };
  const valid = usableToken(d, token, "change_email", userId);
  const row = await linkHolder(d, valid);
  if (!row?.confirmed || !row.mailedTo) return { ok: false, reason: "invalid" };
  const email = row.mailedTo;
  const t = now(d);
  const undo = randomToken();
  const notice = emailChangedMail({ ...noticeFields(d, row.email, row), token: undo, at: t, newEmail: email });
  const undoRow = {
    tokenHash: sha256Hex(undo),
    userId,
    purpose: "undo_email" as const,
    newEmail: row.email,
    createdAt: t,
    expiresAt: t + limits.undoEmailTokenMs,
  };
  return settleEmailChange(d, email, async () => {
    const [, , mailed, , used] = await d.db.batch([
      d.db
        .update(users)
        .set({ email, avatarHash: await avatarHash(email), roleId: roleForNewAddress(d, email) })
        .where(and(eq(users.id, userId), stillUsable(valid))),
      insertWhere(d.db, authTokens, undoRow, authTokens, valid),
      mailWhere(d, notice, valid),
      endLinks(d, userId, ["confirm", "reset", "change_email"], token, valid),
      d.db.update(authTokens).set({ usedAt: t }).where(valid).returning({ id: authTokens.id }),
    ]);
    return { mailed, used };
  });
}

// ---------------------------------------------------------------------------------------------------
// Undoing an email change (the link mailed to the old address)

/** The address an undo link would restore, or null when the link is not usable. */
export async function undoEmailTarget(d: Deps, token: string): Promise<string | null> {
  if (!looksLikeToken(token)) return null;
  const row = await d.db
    .select({ email: authTokens.newEmail })
    .from(authTokens)
    .where(usableToken(d, token, "undo_email"))
    .get();
  return row?.email ?? null;
}

/**
 * Puts the old address back, sets `newPassword`, ends every session (epoch), API token and other unused
 * link (undo links included, so a later change cannot be undone back), and confirms the account. Nothing
 * the person who changed the email can do blocks it: their password, later links and changes do not end
 * this link, and an unconfirmed account registered on the old address meanwhile is deleted (it never
 * proved the mailbox). Only a confirmed account on that address, which did prove it, wins ("taken").
 */
export async function undoEmailChange(d: Deps, token: string, newPassword: string): Promise<EmailChangeResult> {
  if (!looksLikeToken(token)) return { ok: false, reason: "invalid" };
  const valid = usableToken(d, token, "undo_email");
  const row = await linkHolder(d, valid);
  if (!row?.mailedTo) return { ok: false, reason: "invalid" };
  const { id: userId, mailedTo: email } = row;
  const hash = await hashPassword(newPassword);
  const notice = passwordChangedMail(noticeFields(d, email, row));
  return settleEmailChange(d, email, async () => {
    const [, , , mailed, , used] = await d.db.batch([
      d.db.delete(users).where(and(eq(users.email, email), ne(users.id, userId), eq(users.confirmed, false), stillUsable(valid))),
      d.db
        .update(users)
        .set({
          email,
          avatarHash: await avatarHash(email),
          roleId: roleForNewAddress(d, email),
          passwordHash: hash,
          sessionEpoch: sql`${users.sessionEpoch} + 1`,
          confirmed: true,
        })
        .where(and(eq(users.id, userId), stillUsable(valid))),
      ...newPasswordTail(d, userId, notice, ["confirm", "reset", "change_email", "undo_email"], token, valid),
    ]);
    return { mailed, used };
  });
}
