// Read side of posts: one D1 query per list page (posts joined with their authors), whatever the page
// size, ordered by (created_at, id) so the composite indexes serve every scope with a LIMIT.
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { buildKeysetPage, type KeysetPage, keysetPageSql, type PageRequest } from "../../lib/pagination";
import { commentCountSql } from "../comments";

export type PostListItem = {
  id: number;
  bodyHtml: string;
  createdAt: number;
  updatedAt: number;
  authorId: number;
  authorUsername: string;
  authorName: string | null;
  authorAvatarHash: string;
  commentCount: number;
};

export type PostScope = { kind: "all" } | { kind: "author"; authorId: number } | { kind: "followed"; viewerId: number };

export const POSTS_PER_PAGE = 20;

const SELECT = sql`SELECT p.id, p.body_html AS bodyHtml, p.created_at AS createdAt, p.updated_at AS updatedAt,
  p.author_id AS authorId, u.username AS authorUsername, u.name AS authorName, u.avatar_hash AS authorAvatarHash,
  ${commentCountSql(sql`p.id`)} AS commentCount
  FROM posts p JOIN users u ON u.id = p.author_id`;

function scopeFilter(scope: PostScope): { join: SQL; where: SQL } {
  switch (scope.kind) {
    case "all":
      return { join: sql``, where: sql`1 = 1` };
    case "author":
      return { join: sql``, where: sql`p.author_id = ${scope.authorId}` };
    case "followed":
      return { join: sql` JOIN follows f ON f.followed_id = p.author_id AND f.follower_id = ${scope.viewerId}`, where: sql`1 = 1` };
  }
}

/** The SQL for one page of a scope (exported so tests can EXPLAIN exactly what runs). */
export function listPostsSql(scope: PostScope, req: PageRequest, perPage = POSTS_PER_PAGE): SQL {
  const { join, where } = scopeFilter(scope);
  return keysetPageSql({ select: sql`${SELECT}${join}`, where, ts: sql`p.created_at`, id: sql`p.id` }, req, perPage);
}

export async function listPosts(db: Db, scope: PostScope, req: PageRequest, extraQuery = "", perPage = POSTS_PER_PAGE): Promise<KeysetPage<PostListItem>> {
  const rows = await db.all<PostListItem>(listPostsSql(scope, req, perPage));
  return buildKeysetPage(req, rows, perPage, (p) => ({ ts: p.createdAt, id: p.id }), extraQuery);
}

/** One post with its author, for the permalink page. */
export async function getPostWithAuthor(db: Db, id: number): Promise<PostListItem | undefined> {
  const rows = await db.all<PostListItem>(sql`${SELECT} WHERE p.id = ${id}`);
  return rows[0];
}

export async function postExists(db: Db, id: number): Promise<boolean> {
  return !!(await db.get(sql`SELECT 1 AS one FROM posts WHERE id = ${id}`));
}
