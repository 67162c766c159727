// Account rules: registration, credentials, single-use mailed tokens, password and email changes.
// Every multi-row change is one db.batch() (D1's only atomic unit); mail rows join the same batch.
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { getConfig, limits } from "../../config";
import type { Db } from "../../db";
import { authTokens, follows, roles, users } from "../../db/schema";
import { avatarHash } from "../../lib/avatar";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "../../lib/password";
import { UNKNOWN_NETWORK } from "../../lib/client-network";
import { release, reserve, reserveAll } from "../../lib/rate-limit";
import { looksLikeToken, randomToken, sha256Hex } from "../../lib/tokens";
import { enqueueMail, outboxInsert, type OutgoingMail } from "../../mail/outbox";
import { changeEmailMail, confirmMail, resetMail } from "./emails";

/** `network`: the client network (lib/client-network) that wrong passwords are counted against. */
export type Deps = { env: Env; db: Db; now?: number; network?: string };
type TokenPurpose = "confirm" | "reset" | "change_email";

const now = (d: Pick<Deps, "now">) => d.now ?? Date.now();

function isUniqueViolation(err: unknown, what: "email" | "username"): boolean {
  const msg = String((err as Error)?.message ?? err);
  if (!msg.includes("UNIQUE constraint failed")) return false;
  return what === "email" ? msg.includes("users.email") : msg.includes("username");
}

function mailCtx(d: Deps, to: string, username: string, token: string) {
  const cfg = getConfig(d.env);
  return { appName: cfg.appName, baseUrl: cfg.baseUrl, to, username, token };
}

function tokenInsert(d: Deps, userId: number, purpose: TokenPurpose, ttlMs: number, newEmail: string | null = null) {
  const token = randomToken();
  const t = now(d);
  const stmt = d.db.insert(authTokens).values({ tokenHash: sha256Hex(token), userId, purpose, newEmail, createdAt: t, expiresAt: t + ttlMs });
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

async function sendMail(d: Deps, mail: OutgoingMail, extra: Parameters<Db["batch"]>[0][number][] = []): Promise<void> {
  const results = await d.db.batch([...extra, outboxInsert(d.db, mail, now(d))] as unknown as Parameters<Db["batch"]>[0]);
  const outbox = results[results.length - 1] as { id: number }[];
  await enqueueMail(d.env.MAIL_QUEUE, outbox.map((r) => r.id));
}

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
  if (taken.some((u) => u.email === input.email)) errors.email = "Email already registered.";
  if (taken.some((u) => u.username.toLowerCase() === input.username.toLowerCase())) errors.username = "Username already in use.";
  if (Object.keys(errors).length) return { ok: false, errors };

  const cfg = getConfig(d.env);
  const t = now(d);
  const roleName = cfg.adminEmail && input.email === cfg.adminEmail ? "Administrator" : null;
  const roleId = roleName
    ? sql`(SELECT ${roles.id} FROM ${roles} WHERE ${roles.name} = ${roleName})`
    : sql`(SELECT ${roles.id} FROM ${roles} WHERE ${roles.isDefault} = 1 LIMIT 1)`;
  const userRow = {
    email: input.email,
    username: input.username,
    passwordHash: await hashPassword(input.password),
    roleId: roleId as unknown as number,
    confirmed: false,
    memberSince: t,
    lastSeen: t,
    avatarHash: await avatarHash(input.email),
  };
  const byEmail = sql`(SELECT id FROM users WHERE email = ${input.email})`;
  const token = randomToken();
  const mail = confirmMail(mailCtx(d, input.email, input.username, token));
  try {
    // One atomic unit: the user, their self-follow, the confirm token and the mail. A concurrent
    // registration of the same email/username fails the whole batch on the UNIQUE index.
    const results = await d.db.batch([
      d.db.insert(users).values(userRow).returning({ id: users.id }),
      d.db
        .insert(follows)
        .select(d.db.select({ followerId: users.id, followedId: users.id, createdAt: sql<number>`${t}`.as("created_at") }).from(users).where(eq(users.email, input.email))),
      d.db.insert(authTokens).values({
        tokenHash: sha256Hex(token),
        userId: byEmail as unknown as number,
        purpose: "confirm",
        createdAt: t,
        expiresAt: t + limits.confirmTokenMs,
      }),
      outboxInsert(d.db, mail, t),
    ]);
    const userId = results[0][0]!.id;
    await enqueueMail(d.env.MAIL_QUEUE, results[3].map((r) => r.id));
    return { ok: true, userId };
  } catch (err) {
    if (isUniqueViolation(err, "email")) return { ok: false, errors: { email: "Email already registered." } };
    if (isUniqueViolation(err, "username")) return { ok: false, errors: { username: "Username already in use." } };
    throw err;
  }
}

export type Limited = { ok: false; limited: true; retryAfterSeconds: number };

export async function resendConfirmation(d: Deps, user: { id: number; email: string; username: string }): Promise<{ ok: true } | Limited> {
  const slot = await reserve(d.db, "mail", user.email, limits.mailRequests, now(d));
  if (!slot.ok) return { ok: false, limited: true, retryAfterSeconds: slot.retryAfterSeconds };
  const { token, stmt } = tokenInsert(d, user.id, "confirm", limits.confirmTokenMs);
  await sendMail(d, confirmMail(mailCtx(d, user.email, user.username, token)), [stmt]);
  return { ok: true };
}

/** Confirms `userId` if `token` is that user's unused, unexpired confirm token. */
export async function confirmAccount(d: Deps, userId: number, token: string): Promise<boolean> {
  if (!looksLikeToken(token)) return false;
  const t = now(d);
  const valid = usableToken(d, token, "confirm", userId);
  const [confirmed, used] = await d.db.batch([
    d.db.update(users).set({ confirmed: true }).where(and(eq(users.id, userId), sql`EXISTS (SELECT 1 FROM ${authTokens} WHERE ${valid})`)),
    d.db.update(authTokens).set({ usedAt: t }).where(valid).returning({ id: authTokens.id }),
  ]);
  void confirmed;
  return used.length === 1;
}

// ---------------------------------------------------------------------------------------------------
// Login

export type LoginResult =
  | { ok: true; user: { id: number; sessionEpoch: number; username: string } }
  | { ok: false; limited: false }
  | Limited;

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
export async function recheckPassword(d: Pick<Deps, "db" | "now" | "network">, userId: number, password: string): Promise<{ ok: true } | { ok: false; limited: false } | Limited> {
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
    await d.db.update(users).set({ passwordHash: await hashPassword(password) }).where(eq(users.id, user.id));
  }
  return { ok: true, user: { id: user.id, sessionEpoch: user.sessionEpoch, username: user.username } };
}

// ---------------------------------------------------------------------------------------------------
// Passwords

/**
 * Checks the old password, stores the new one and moves the session epoch (ending other sessions); the
 * user's API tokens are deleted in the same batch, so no token outlives the password it was minted with.
 */
export async function changePassword(
  d: Deps,
  userId: number,
  oldPassword: string,
  newPassword: string,
): Promise<{ ok: true; sessionEpoch: number } | FieldFailure | Limited> {
  const row = await d.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)).get();
  const check = await checkPassword(d, `user:${userId}`, row?.passwordHash ?? null, oldPassword);
  if (!check.ok) {
    return check.limited ? check : { ok: false, errors: { old_password: "Invalid password." } };
  }
  const [updated] = await d.db.batch([
    d.db
      .update(users)
      .set({ passwordHash: await hashPassword(newPassword), sessionEpoch: sql`${users.sessionEpoch} + 1` })
      .where(eq(users.id, userId))
      .returning({ sessionEpoch: users.sessionEpoch }),
    d.db.delete(authTokens).where(and(eq(authTokens.userId, userId), eq(authTokens.purpose, "api"))),
  ]);
  return { ok: true, sessionEpoch: updated[0]!.sessionEpoch };
}

/** Always answers the same way; sends a reset mail only when the account exists. */
export async function requestPasswordReset(d: Deps, email: string): Promise<{ ok: true } | Limited> {
  const slot = await reserve(d.db, "mail", email, limits.mailRequests, now(d));
  if (!slot.ok) return { ok: false, limited: true, retryAfterSeconds: slot.retryAfterSeconds };
  const user = await d.db.select({ id: users.id, username: users.username }).from(users).where(eq(users.email, email)).get();
  if (!user) return { ok: true };
  const { token, stmt } = tokenInsert(d, user.id, "reset", limits.resetTokenMs);
  await sendMail(d, resetMail(mailCtx(d, email, user.username, token)), [stmt]);
  return { ok: true };
}

/** Sets a new password from a reset token and ends every session and API token of that user. Does not log in. */
export async function resetPassword(d: Deps, token: string, newPassword: string): Promise<boolean> {
  if (!looksLikeToken(token)) return false;
  const t = now(d);
  const valid = usableToken(d, token, "reset");
  const hash = await hashPassword(newPassword);
  const owner = sql`(SELECT ${authTokens.userId} FROM ${authTokens} WHERE ${valid})`;
  // The API tokens go before the reset token is marked used: `valid` stops matching after that.
  const [, , used] = await d.db.batch([
    d.db
      .update(users)
      .set({ passwordHash: hash, sessionEpoch: sql`${users.sessionEpoch} + 1` })
      .where(sql`${users.id} = ${owner}`),
    d.db.delete(authTokens).where(and(eq(authTokens.userId, owner), eq(authTokens.purpose, "api"))),
    d.db.update(authTokens).set({ usedAt: t }).where(valid).returning({ id: authTokens.id }),
  ]);
  return used.length === 1;
}

export async function isResetTokenUsable(d: Deps, token: string): Promise<boolean> {
  if (!looksLikeToken(token)) return false;
  return !!(await d.db.select({ id: authTokens.id }).from(authTokens).where(usableToken(d, token, "reset")).get());
}

// ---------------------------------------------------------------------------------------------------
// Email change

export async function requestEmailChange(
  d: Deps,
  user: { id: number; username: string },
  newEmail: string,
  password: string,
): Promise<{ ok: true } | FieldFailure | Limited> {
  const row = await d.db.select({ passwordHash: users.passwordHash, email: users.email }).from(users).where(eq(users.id, user.id)).get();
  const check = await checkPassword(d, `user:${user.id}`, row?.passwordHash ?? null, password);
  if (!check.ok && check.limited) return check;
  if (!row || !check.ok) return { ok: false, errors: { password: "Invalid password." } };
  if (newEmail === row.email) return { ok: false, errors: { email: "That is already your email address." } };
  const taken = await d.db.select({ id: users.id }).from(users).where(eq(users.email, newEmail)).get();
  if (taken) return { ok: false, errors: { email: "Email already registered." } };
  const slot = await reserve(d.db, "mail", `change:${user.id}`, limits.mailRequests, now(d));
  if (!slot.ok) return { ok: false, limited: true, retryAfterSeconds: slot.retryAfterSeconds };
  const { token, stmt } = tokenInsert(d, user.id, "change_email", limits.changeEmailTokenMs, newEmail);
  await sendMail(d, changeEmailMail(mailCtx(d, newEmail, user.username, token)), [stmt]);
  return { ok: true };
}

export type EmailChangeResult = { ok: true; email: string } | { ok: false; reason: "invalid" | "taken" };

/** Applies a change-email token of `userId`: the email and avatar hash change only now. */
export async function changeEmail(d: Deps, userId: number, token: string): Promise<EmailChangeResult> {
  if (!looksLikeToken(token)) return { ok: false, reason: "invalid" };
  const valid = usableToken(d, token, "change_email", userId);
  const row = await d.db.select({ newEmail: authTokens.newEmail }).from(authTokens).where(valid).get();
  if (!row?.newEmail) return { ok: false, reason: "invalid" };
  const email = row.newEmail;
  try {
    const [, used] = await d.db.batch([
      d.db
        .update(users)
        .set({ email, avatarHash: await avatarHash(email) })
        .where(and(eq(users.id, userId), sql`EXISTS (SELECT 1 FROM ${authTokens} WHERE ${valid})`)),
      d.db.update(authTokens).set({ usedAt: now(d) }).where(valid).returning({ id: authTokens.id }),
    ]);
    return used.length === 1 ? { ok: true, email } : { ok: false, reason: "invalid" };
  } catch (err) {
    if (isUniqueViolation(err, "email")) return { ok: false, reason: "taken" };
    throw err;
  }
}

