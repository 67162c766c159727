// Accounts for the Workers tests: the one place that makes users, gives them roles and logs them in.
// Users a test acts as are made through the real pages (register → mail → confirm link), so a session
// cookie is a real one; crowds that only need to exist (follower lists, pagination) go straight into D1.
// Storage is shared by every test in a file, so every user gets a unique email and username.
// API tokens are minted in test/api/helpers.ts (apiUser), through the doc-checked API client.
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { Client } from "./client";

export type Credentials = { email: string; username: string; password: string };
/** A user a test acts as: its credentials, its row id and a client that carries its session cookie. */
export type Account = Credentials & { id: number; client: Client };

let counter = 0;
function tag(): string {
  counter += 1;
  return `${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 6)}`;
}

/** Unique identity per call: storage is shared by all tests in a file. */
export function uniqueUser(prefix = "user"): Credentials {
  const name = `${prefix}${tag()}`;
  return { email: `${name}@example.org`, username: name, password: "correct horse battery" };
}

export async function latestMailTo(to: string): Promise<{ id: number; subject: string; text: string; status: string } | null> {
  return env.DB.prepare('SELECT id, subject, text, status FROM mail_outbox WHERE "to" = ? ORDER BY id DESC LIMIT 1').bind(to).first();
}

/** The path of the first link in a mail's text. */
export function linkIn(text: string): string {
  const m = text.match(/https?:\/\/\S+/);
  if (!m) throw new Error(`no link in mail: ${text}`);
  return new URL(m[0]).pathname;
}

/** The register form's fields for these credentials. */
export function registrationForm(u: Credentials): Record<string, string> {
  return { email: u.email, username: u.username, password: u.password, password2: u.password };
}

export async function register(client: Client, u: Credentials) {
  return client.post("/auth/register", registrationForm(u));
}

export async function login(client: Client, identifier: string, password: string, remember = false) {
  return client.post("/auth/login", { email: identifier, password, ...(remember ? { remember_me: "y" } : {}) });
}

async function idOf(email: string): Promise<number> {
  const row = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: number }>();
  if (!row) throw new Error(`no user ${email}`);
  return row.id;
}

/** Asserts what an anonymous visitor of a members-only page gets: a 303 to the login page. */
export function expectSentToLogin(res: Response): void {
  expect(res.status).toBe(303);
  expect(res.headers.get("Location")).toMatch(/^\/auth\/login/);
}

/** Registered through the form but never confirmed; its client is logged in when `login` is set. */
export async function unconfirmedUser(prefix = "unconf", opts: { login?: boolean } = {}): Promise<Account> {
  const u = uniqueUser(prefix);
  const client = new Client();
  const reg = await register(client, u);
  if (reg.status !== 303) throw new Error(`register failed: ${reg.status} ${await reg.text()}`);
  if (opts.login) await login(client, u.email, u.password);
  return { ...u, id: await idOf(u.email), client };
}

/** A registered, confirmed and logged-in user with its own client; `role` names a row in `roles`. */
export async function confirmedUser(prefix = "user", opts: { role?: string } = {}): Promise<Account> {
  const u = await unconfirmedUser(prefix, { login: true });
  const mail = await latestMailTo(u.email);
  const res = await u.client.get(linkIn(mail!.text));
  if (res.status !== 303) throw new Error(`confirm failed: ${res.status}`);
  if (opts.role && opts.role !== "User") await setRole(u.id, opts.role);
  return u;
}

/** Gives a user the named role; throws when the user or the role does not exist. */
export async function setRole(userId: number, roleName: string): Promise<void> {
  const r = await env.DB.prepare(
    "UPDATE users SET role_id = (SELECT id FROM roles WHERE name = ?) WHERE id = ? AND EXISTS (SELECT 1 FROM roles WHERE name = ?)",
  )
    .bind(roleName, userId, roleName)
    .run();
  if (r.meta.changes !== 1) throw new Error(`setRole(${userId}, ${roleName}) changed ${r.meta.changes} rows`);
}

/** A role with exactly these permission bits (for "no WRITE" and similar checks); returns its id. */
export async function ensureRole(name: string, permissions: number): Promise<number> {
  const row = await env.DB.prepare(
    "INSERT INTO roles (name, is_default, permissions) VALUES (?, 0, ?) ON CONFLICT(name) DO UPDATE SET permissions = excluded.permissions RETURNING id",
  )
    .bind(name, permissions)
    .first<{ id: number }>();
  return row!.id;
}

/** Gives a user a role named `name` with exactly `permissions`. */
export async function setPermissions(userId: number, name: string, permissions: number): Promise<void> {
  await ensureRole(name, permissions);
  await setRole(userId, name);
}

export async function roleId(name: string): Promise<number> {
  const row = await env.DB.prepare("SELECT id FROM roles WHERE name = ?").bind(name).first<{ id: number }>();
  return row!.id;
}

/** Inserts `n` confirmed users (no password that works) with their self-follows; returns them in order. */
export async function insertUsers(n: number, prefix = "u"): Promise<{ id: number; username: string; email: string }[]> {
  const t = Date.now();
  const made = Array.from({ length: n }, () => {
    const name = `${prefix}${tag()}`;
    return { username: name, email: `${name.toLowerCase()}@example.org` };
  });
  const stmts = made.map((u) =>
    env.DB.prepare(
      `INSERT INTO users (email, username, password_hash, role_id, confirmed, member_since, last_seen, avatar_hash)
       VALUES (?, ?, 'x', (SELECT id FROM roles WHERE is_default = 1), 1, ?, ?, 'd41d8cd98f00b204e9800998ecf8427e') RETURNING id`,
    ).bind(u.email, u.username, t, t),
  );
  const out: { id: number; username: string; email: string }[] = [];
  for (let i = 0; i < stmts.length; i += 50) {
    const results = await env.DB.batch<{ id: number }>(stmts.slice(i, i + 50));
    for (const [j, r] of results.entries()) out.push({ ...made[i + j]!, id: r.results[0]!.id });
  }
  await env.DB.batch(out.map((u) => env.DB.prepare("INSERT INTO follows (follower_id, followed_id, created_at) VALUES (?1, ?1, ?2)").bind(u.id, t)));
  return out;
}

/** A user's profile row with its role's name: what the profile editors may change. */
export async function userRow(id: number) {
  return env.DB.prepare(
    "SELECT u.email, u.username, u.confirmed, u.name, u.location, u.about_me, u.avatar_hash, r.name AS role FROM users u JOIN roles r ON r.id = u.role_id WHERE u.id = ?",
  )
    .bind(id)
    .first<{
      email: string;
      username: string;
      confirmed: number;
      name: string | null;
      location: string | null;
      about_me: string | null;
      avatar_hash: string;
      role: string;
    }>();
}
