// Read side of comments. A disabled comment's text never leaves the database except for the
// moderation list: the SQL itself replaces it with NULL.
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { buildKeysetPage, type KeysetPage, keysetPageSql, type PageRequest } from "../../lib/pagination";

export const COMMENTS_PER_PAGE = 30;

export type CommentItem = {
  id: number;
  postId: number;
  bodyHtml: string | null;
  disabled: boolean;
  createdAt: number;
  authorId: number;
  authorUsername: string;
  authorName: string | null;
  authorAvatarHash: string;
};

type RawComment = Omit<CommentItem, "disabled"> & { disabled: number };
const toItem = (r: RawComment): CommentItem => ({ ...r, disabled: !!r.disabled });

/** Correlated count for a post list's SELECT: one indexed count per row, inside the same query. */
export function commentCountSql(postId: SQL): SQL {
  return sql`(SELECT count(*) FROM comments c WHERE c.post_id = ${postId})`;
}

/** A comment's text for readers (comments aliased `c`): NULL when disabled, so it never reaches a page or a serializer. */
export const visibleCommentSql = (column: SQL) => sql`CASE WHEN c.disabled THEN NULL ELSE ${column} END`;

const COLUMNS = sql`c.id, c.post_id AS postId, c.disabled, c.created_at AS createdAt, c.author_id AS authorId,
  u.username AS authorUsername, u.name AS authorName, u.avatar_hash AS authorAvatarHash`;

export type PostCommentsPage = { items: CommentItem[]; page: number; lastPage: number; total: number };

/**
 * One page of a post's comments, oldest first. `page` -1 (or past the end) means the last page; the
 * offset is computed in SQL from the count, so this is a single round trip either way.
 */
export async function listPostComments(db: Db, postId: number, page: number): Promise<PostCommentsPage> {
  const per = COMMENTS_PER_PAGE;
  const total = sql`(SELECT count(*) FROM comments WHERE post_id = ${postId})`;
  // D1 binds JS numbers as REAL: without the CASTs, (n - 1) / 30 is fractional and OFFSET rejects it.
  const lastIndex = sql`max(0, CAST((${total} - 1) / ${per} AS INTEGER))`;
  const pageIndex = page === -1 ? lastIndex : sql`CAST(${page - 1} AS INTEGER)`;
  const rows = await db.all<RawComment & { total: number; pageIndex: number }>(sql`
    SELECT ${COLUMNS}, ${visibleCommentSql(sql`c.body_html`)} AS bodyHtml,
      ${total} AS total, ${pageIndex} AS pageIndex
    FROM comments c JOIN users u ON u.id = c.author_id
    WHERE c.post_id = ${postId}
    ORDER BY c.created_at ASC, c.id ASC
    LIMIT ${per} OFFSET ${pageIndex} * ${per}`);
  const first = rows[0];
  if (!first) {
    // Empty page: either no comments or past the end; both render the same, with the count for links.
    const count = page === 1 ? 0 : ((await db.get<{ n: number }>(sql`SELECT ${total} AS n`))?.n ?? 0);
    return { items: [], page, lastPage: Math.max(1, Math.ceil(count / per)), total: count };
  }
  return { items: rows.map(toItem), page: first.pageIndex + 1, lastPage: Math.max(1, Math.ceil(first.total / per)), total: first.total };
}

/** Every comment, newest first, with its text even when disabled: only for moderators. */
export async function listForModeration(db: Db, req: PageRequest): Promise<KeysetPage<CommentItem>> {
  const select = sql`SELECT ${COLUMNS}, c.body_html AS bodyHtml FROM comments c JOIN users u ON u.id = c.author_id`;
  const rows = await db.all<RawComment>(keysetPageSql({ select, where: sql`1 = 1`, ts: sql`c.created_at`, id: sql`c.id` }, req, COMMENTS_PER_PAGE));
  return buildKeysetPage(req, rows.map(toItem), COMMENTS_PER_PAGE, (c) => ({ ts: c.createdAt, id: c.id }));
}

/** One comment for moderation or deletion (with its text, for the moderator's eyes). */
export async function getComment(db: Db, id: number): Promise<CommentItem | undefined> {
  const rows = await db.all<RawComment>(sql`SELECT ${COLUMNS}, c.body_html AS bodyHtml FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = ${id}`);
  return rows[0] ? toItem(rows[0]) : undefined;
}
