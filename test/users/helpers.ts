// Fixtures for the users tests: rows written straight into D1 (users, posts, follows, roles) where going
// through HTTP would only be slow, plus htmx headers and the Server-Timing query count.
import { env } from "cloudflare:test";

export const HX = { "HX-Request": "true", "HX-Request-Type": "partial" };

let seq = 0;
const tag = () => `${Date.now().toString(36)}${(seq += 1)}${Math.random().toString(36).slice(2, 6)}`;

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
    results.forEach((r, j) => out.push({ ...made[i + j]!, id: r.results[0]!.id }));
  }
  await env.DB.batch(out.map((u) => env.DB.prepare("INSERT INTO follows (follower_id, followed_id, created_at) VALUES (?1, ?1, ?2)").bind(u.id, t)));
  return out;
}

/** `followerId` follows `followedId` at time `at` (ms). */
export function followRow(followerId: number, followedId: number, at = Date.now()) {
  return env.DB.prepare("INSERT INTO follows (follower_id, followed_id, created_at) VALUES (?, ?, ?)").bind(followerId, followedId, at);
}

export async function insertPosts(authorId: number, n: number, start = Date.now() - n * 60_000): Promise<void> {
  if (n === 0) return;
  const stmts = Array.from({ length: n }, (_, i) =>
    env.DB.prepare("INSERT INTO posts (author_id, body, body_html, created_at, updated_at) VALUES (?, ?, ?, ?, ?)").bind(
      authorId,
      `post ${i}`,
      `<p>post number ${i} of ${authorId}</p>`,
      start + i * 1000,
      start + i * 1000,
    ),
  );
  await env.DB.batch(stmts);
}

export async function setRole(userId: number, roleName: string): Promise<void> {
  await env.DB.prepare("UPDATE users SET role_id = (SELECT id FROM roles WHERE name = ?) WHERE id = ?").bind(roleName, userId).run();
}

/** A role with the given permission bits (created once per file). */
export async function ensureRole(name: string, permissions: number): Promise<number> {
  const row = await env.DB.prepare(
    "INSERT INTO roles (name, is_default, permissions) VALUES (?, 0, ?) ON CONFLICT(name) DO UPDATE SET permissions = excluded.permissions RETURNING id",
  )
    .bind(name, permissions)
    .first<{ id: number }>();
  return row!.id;
}

export async function roleId(name: string): Promise<number> {
  const row = await env.DB.prepare("SELECT id FROM roles WHERE name = ?").bind(name).first<{ id: number }>();
  return row!.id;
}

export async function followCount(followerId: number, followedId: number): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM follows WHERE follower_id = ? AND followed_id = ?")
    .bind(followerId, followedId)
    .first<{ n: number }>();
  return row!.n;
}

/** N from `Server-Timing: d1;dur=…;desc="N queries"`. */
export function queryCount(res: Response): number {
  const m = (res.headers.get("Server-Timing") ?? "").match(/d1;[^,]*desc="(\d+) queries"/);
  if (!m) throw new Error(`no d1 Server-Timing: ${res.headers.get("Server-Timing")}`);
  return Number(m[1]);
}

export async function userRow(id: number) {
  return env.DB.prepare(
    "SELECT u.email, u.username, u.confirmed, u.name, u.location, u.about_me, u.avatar_hash, r.name AS role FROM users u JOIN roles r ON r.id = u.role_id WHERE u.id = ?",
  )
    .bind(id)
    .first<{ email: string; username: string; confirmed: number; name: string | null; location: string | null; about_me: string | null; avatar_hash: string; role: string }>();
}
