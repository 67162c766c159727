// Direct D1 fixtures for post tests: fast inserts of posts and follows with chosen timestamps.
import { env } from "cloudflare:test";

export async function insertPost(authorId: number, body: string, createdAt: number): Promise<number> {
  const row = await env.DB.prepare("INSERT INTO posts (author_id, body, body_html, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id")
    .bind(authorId, body, `<p>${body}</p>`, createdAt)
    .first<{ id: number }>();
  return row!.id;
}

export async function follow(followerId: number, followedId: number) {
  await env.DB.prepare("INSERT OR IGNORE INTO follows (follower_id, followed_id, created_at) VALUES (?, ?, ?)").bind(followerId, followedId, Date.now()).run();
}

/** D1 round trips reported by the app in Server-Timing. */
export function d1Queries(res: Response): number {
  const m = (res.headers.get("Server-Timing") ?? "").match(/d1;dur=[\d.]+;desc="(\d+) queries"/);
  if (!m) throw new Error(`no d1 Server-Timing on ${res.url}`);
  return Number(m[1]);
}

/** Post ids in page order, read from the rendered list. */
export function postIds(html: string): number[] {
  return [...html.matchAll(/<li class="post" id="post-(\d+)"/g)].map((m) => Number(m[1]));
}

export function link(html: string, rel: "next" | "prev"): string | null {
  const m = html.match(new RegExp(`<a href="([^"]+)" rel="${rel}"`));
  return m ? m[1]!.replaceAll("&amp;", "&") : null;
}
