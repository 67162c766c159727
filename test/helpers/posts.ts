// Direct D1 fixtures for posts, comments and follows: fast inserts with chosen timestamps, where going
// through the pages would only be slow; plus readers of the rendered post list.
import { env } from "cloudflare:test";

export async function insertPost(authorId: number, body: string, createdAt: number): Promise<number> {
  const row = await env.DB.prepare("INSERT INTO posts (author_id, body, body_html, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id")
    .bind(authorId, body, `<p>${body}</p>`, createdAt)
    .first<{ id: number }>();
  return row!.id;
}

/** `n` posts one second apart from `start`; post i reads "post number i of <author id>". */
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

/** A comment row; its HTML is its body (tests that need markup post through the form instead). */
export async function insertComment(postId: number, authorId: number, body: string, opts: { at?: number; disabled?: boolean } = {}): Promise<number> {
  const row = await env.DB.prepare("INSERT INTO comments (post_id, author_id, body, body_html, created_at, disabled) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")
    .bind(postId, authorId, body, body, opts.at ?? Date.now(), opts.disabled ? 1 : 0)
    .first<{ id: number }>();
  return row!.id;
}

/** `followerId` follows `followedId` at time `at` (ms): a statement, for batches. */
export function followRow(followerId: number, followedId: number, at = Date.now()) {
  return env.DB.prepare("INSERT INTO follows (follower_id, followed_id, created_at) VALUES (?, ?, ?)").bind(followerId, followedId, at);
}

/** `followerId` follows `followedId` now (a no-op when it already does). */
export async function follow(followerId: number, followedId: number) {
  await env.DB.prepare("INSERT OR IGNORE INTO follows (follower_id, followed_id, created_at) VALUES (?, ?, ?)").bind(followerId, followedId, Date.now()).run();
}

export async function followCount(followerId: number, followedId: number): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM follows WHERE follower_id = ? AND followed_id = ?")
    .bind(followerId, followedId)
    .first<{ n: number }>();
  return row!.n;
}

/** Post ids in page order, read from the rendered list. */
export function postIds(html: string): number[] {
  return [...html.matchAll(/<li class="post" id="post-(\d+)"/g)].map((m) => Number(m[1]));
}

export function link(html: string, rel: "next" | "prev"): string | null {
  const m = html.match(new RegExp(`<a href="([^"]+)" rel="${rel}"`));
  return m ? m[1]!.replaceAll("&amp;", "&") : null;
}
