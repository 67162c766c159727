// Read side of the JSON API: the rows behind each resource, one D1 round trip per page whatever its size.
// Post pages reuse the posts feature's own keyset SQL (listPostsSql) and add the Markdown source the
// API returns; comment and follower pages use the same (created_at, id) keyset shape. Lists that belong
// to one user or post also answer, in the same statement, whether that user/post exists and how many
// items the whole list has (an indexed count); global lists and timelines have no count (see docs).
// Writes never happen here: they go through the owning features' services.
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { buildKeysetPage, type KeysetPage, keysetPageSql, type PageRequest } from "../../lib/pagination";
import { COMMENTS_PER_PAGE, commentCountSql, visibleCommentSql } from "../comments";
import { listPostsSql, POSTS_PER_PAGE, type PostScope } from "../posts";
import { FOLLOWERS_PER_PAGE } from "../users";

export type ApiPostRow = { id: number; body: string; bodyHtml: string; createdAt: number; authorId: number; commentCount: number };
export type ApiCommentRow = {
  id: number;
  postId: number;
  authorId: number;
  createdAt: number;
  /** NULL when disabled: the SQL never selects a disabled comment's text. */
  body: string | null;
  bodyHtml: string | null;
  disabled: boolean;
};
export type ApiUserRow = { id: number; username: string; memberSince: number; lastSeen: number; postCount: number };

/** A page plus, for lists owned by one user or post, whether the owner exists and the list's total. */
export type ApiPage<T> = KeysetPage<T> & { found: boolean; total: number | null };

const postCountSql = (userId: SQL) => sql`(SELECT count(*) FROM posts WHERE author_id = ${userId})`;
const USER_COLUMNS = sql`u.id, u.username, u.member_since AS memberSince, u.last_seen AS lastSeen, ${postCountSql(sql`u.id`)} AS postCount`;
/** A disabled comment's text is replaced by NULL here, so it can never reach a serializer. */
const COMMENT_COLUMNS = sql`c.id, c.post_id AS postId, c.author_id AS authorId, c.created_at AS createdAt, c.disabled,
  ${visibleCommentSql(sql`c.body`)} AS body, ${visibleCommentSql(sql`c.body_html`)} AS bodyHtml`;

type RawComment = Omit<ApiCommentRow, "disabled"> & { disabled: number };
const toComment = ({ disabled, ...rest }: RawComment): ApiCommentRow => ({ ...rest, disabled: !!disabled });

/** The outer ORDER BY must repeat the page's direction: a join does not keep a subquery's order. */
const direction = (req: PageRequest) => (req.after ? sql`ASC` : sql`DESC`);

/**
 * Runs a page query together with a one-row header (`found`, `total`) as a single statement: the header
 * LEFT JOINs the page, so an empty page still returns the header row (with NULL page columns).
 */
async function pageWithHeader<T extends { id: number }>(
  db: Db,
  header: SQL,
  page: SQL,
  order: (dir: SQL) => SQL,
  req: PageRequest,
): Promise<{ found: boolean; total: number | null; rows: T[] }> {
  const rows = await db.all<T & { found: number; total: number | null }>(
    sql`SELECT h.found, h.total, l.* FROM (${header}) AS h LEFT JOIN (${page}) AS l ON 1 = 1 ORDER BY ${order(direction(req))}`,
  );
  const head = rows[0];
  const items = rows.filter((r) => r.id !== null).map(({ found: _f, total: _t, ...row }) => row as unknown as T);
  return { found: !!head?.found, total: head?.total ?? null, rows: items };
}

// --- Posts --------------------------------------------------------------------------------------

/** listPostsSql's page (same scope, keyset and limit) with the Markdown source the API also returns. */
function postPageSql(scope: PostScope, req: PageRequest): SQL {
  return sql`SELECT pl.id, p.body, pl.bodyHtml, pl.createdAt, pl.authorId, pl.commentCount
    FROM (${listPostsSql(scope, req, POSTS_PER_PAGE)}) AS pl JOIN posts p ON p.id = pl.id`;
}
const postOrder = (dir: SQL) => sql`l.createdAt ${dir}, l.id ${dir}`;
const postKey = (p: ApiPostRow) => ({ ts: p.createdAt, id: p.id });

/** Every post, newest first; no total (a count would read the whole table). */
export async function listAllPosts(db: Db, req: PageRequest): Promise<ApiPage<ApiPostRow>> {
  const rows = await db.all<ApiPostRow>(sql`${postPageSql({ kind: "all" }, req)} ORDER BY pl.createdAt ${direction(req)}, pl.id ${direction(req)}`);
  return { ...buildKeysetPage(req, rows, POSTS_PER_PAGE, postKey), found: true, total: null };
}

/** One author's posts with their total (served by the posts_author_created index). */
export async function listUserPosts(db: Db, userId: number, req: PageRequest): Promise<ApiPage<ApiPostRow>> {
  const header = sql`SELECT EXISTS (SELECT 1 FROM users WHERE id = ${userId}) AS found, ${postCountSql(sql`${userId}`)} AS total`;
  const r = await pageWithHeader<ApiPostRow>(db, header, postPageSql({ kind: "author", authorId: userId }, req), postOrder, req);
  return { ...buildKeysetPage(req, r.rows, POSTS_PER_PAGE, postKey), found: r.found, total: r.total };
}

/** Posts of everyone the user follows (themselves included); no total, as on the web's Followed tab. */
export async function listTimeline(db: Db, userId: number, req: PageRequest): Promise<ApiPage<ApiPostRow>> {
  const header = sql`SELECT EXISTS (SELECT 1 FROM users WHERE id = ${userId}) AS found, NULL AS total`;
  const r = await pageWithHeader<ApiPostRow>(db, header, postPageSql({ kind: "followed", viewerId: userId }, req), postOrder, req);
  return { ...buildKeysetPage(req, r.rows, POSTS_PER_PAGE, postKey), found: r.found, total: null };
}

export async function getApiPost(db: Db, id: number): Promise<ApiPostRow | undefined> {
  const rows = await db.all<ApiPostRow>(sql`SELECT p.id, p.body, p.body_html AS bodyHtml, p.created_at AS createdAt, p.author_id AS authorId,
    ${commentCountSql(sql`p.id`)} AS commentCount FROM posts p WHERE p.id = ${id}`);
  return rows[0];
}

// --- Comments -----------------------------------------------------------------------------------

const commentOrder = (dir: SQL) => sql`l.createdAt ${dir}, l.id ${dir}`;
const commentKey = (c: ApiCommentRow) => ({ ts: c.createdAt, id: c.id });
const COMMENT_SELECT = sql`SELECT ${COMMENT_COLUMNS} FROM comments c`;

/** Every comment, newest first (comments_created index); no total. */
export async function listAllComments(db: Db, req: PageRequest): Promise<ApiPage<ApiCommentRow>> {
  const rows = await db.all<RawComment>(keysetPageSql({ select: COMMENT_SELECT, where: sql`1 = 1`, ts: sql`c.created_at`, id: sql`c.id` }, req, COMMENTS_PER_PAGE));
  return { ...buildKeysetPage(req, rows.map(toComment), COMMENTS_PER_PAGE, commentKey), found: true, total: null };
}

/** A post's comments, newest first, with their total (comments_post_created index). */
export async function listPostComments(db: Db, postId: number, req: PageRequest): Promise<ApiPage<ApiCommentRow>> {
  const header = sql`SELECT EXISTS (SELECT 1 FROM posts WHERE id = ${postId}) AS found, ${commentCountSql(sql`${postId}`)} AS total`;
  const page = keysetPageSql({ select: COMMENT_SELECT, where: sql`c.post_id = ${postId}`, ts: sql`c.created_at`, id: sql`c.id` }, req, COMMENTS_PER_PAGE);
  const r = await pageWithHeader<RawComment>(db, header, page, commentOrder, req);
  return { ...buildKeysetPage(req, r.rows.map(toComment), COMMENTS_PER_PAGE, commentKey), found: r.found, total: r.total };
}

export async function getApiComment(db: Db, id: number): Promise<ApiCommentRow | undefined> {
  const rows = await db.all<RawComment>(sql`${COMMENT_SELECT} WHERE c.id = ${id}`);
  return rows[0] ? toComment(rows[0]) : undefined;
}

// --- Users --------------------------------------------------------------------------------------

export async function getApiUser(db: Db, id: number): Promise<ApiUserRow | undefined> {
  const rows = await db.all<ApiUserRow>(sql`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ${id}`);
  return rows[0];
}

export type FollowKind = "followers" | "following";
type FollowRow = ApiUserRow & { since: number };

/**
 * Followers (who follow the user) or following (whom the user follows), most recent first, without the
 * self-follow every user has, plus the total. Keyset on (follow time, other user's id).
 */
export async function listFollows(db: Db, kind: FollowKind, userId: number, req: PageRequest): Promise<ApiPage<ApiUserRow>> {
  const [mine, other] = kind === "followers" ? [sql`f.followed_id`, sql`f.follower_id`] : [sql`f.follower_id`, sql`f.followed_id`];
  const header = sql`SELECT EXISTS (SELECT 1 FROM users WHERE id = ${userId}) AS found,
    (SELECT count(*) FROM follows f WHERE ${mine} = ${userId} AND f.follower_id != f.followed_id) AS total`;
  const select = sql`SELECT ${USER_COLUMNS}, f.created_at AS since FROM follows f JOIN users u ON u.id = ${other}`;
  const where = sql`${mine} = ${userId} AND f.follower_id != f.followed_id`;
  const page = keysetPageSql({ select, where, ts: sql`f.created_at`, id: other }, req, FOLLOWERS_PER_PAGE);
  const r = await pageWithHeader<FollowRow>(db, header, page, (dir) => sql`l.since ${dir}, l.id ${dir}`, req);
  const built = buildKeysetPage(req, r.rows, FOLLOWERS_PER_PAGE, (u) => ({ ts: u.since, id: u.id }));
  return { ...built, items: built.items.map(({ since: _s, ...u }) => u), found: r.found, total: r.total };
}
