// Read side of comments. A disabled comment's text never leaves the database except for the
// moderation list: the SQL itself replaces it with NULL.
import { asc, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { avatarSourceSql } from "../../db/avatar-source";
import { notHiddenFromSql, remoteBlockedBySql, type ViewerId } from "../../db/blocks";
import { comments } from "../../db/schema";
import { markdownExcerpt } from "../../lib/markdown";
import { buildKeysetPage, type KeysetPage, keysetPageSql, type OwnedPage, type PageRequest, pageWithHeader } from "../../lib/pagination";

export const COMMENTS_PER_PAGE = 30;

export type CommentItem = {
  id: number;
  postId: number;
  bodyHtml: string | null;
  disabled: boolean;
  createdAt: number;
  /** NULL for a reply from another server: then authorUsername is its `@user@host` handle. */
  authorId: number | null;
  authorUsername: string;
  authorName: string | null;
  /** lib/avatar.ts AvatarOwner.avatar */
  authorAvatar: string | null;
  /** A remote author's profile page (their `url`, else their actor id); NULL for members. */
  remoteUrl: string | null;
  /** A remote author's remote_actors id (what a member's block of them names); NULL for members. */
  remoteActorId: number | null;
};

/** A comment as moderators see it: also which post it is under (its author and opening words). */
export type ModerationItem = CommentItem & { postAuthorUsername: string; postExcerpt: string };

type RawComment = Omit<CommentItem, "disabled"> & { disabled: number };
const toItem = (r: RawComment): CommentItem => ({ ...r, disabled: !!r.disabled });
type RawModeration = RawComment & { postAuthorUsername: string; postSource: string };
const toModerationItem = ({ postSource, ...r }: RawModeration): ModerationItem => ({
  ...toItem(r),
  postAuthorUsername: r.postAuthorUsername,
  postExcerpt: markdownExcerpt(postSource),
});

/**
 * Whether comment `alias` is shown to `viewerId`: blocks hide comments both ways between signed-in members
 * (the blocker's from the blocked member too), in lists and in every count of them (features/blocks); and a
 * reply from someone on another server whom the post's author blocked is hidden from everyone (issue 13).
 */
const shownTo = (viewerId: number | null, alias: "c" | "tc" | "pc") => {
  const c = sql.raw(alias);
  return sql`${notHiddenFromSql(viewerId, sql`${c}.author_id`, true)} AND (${c}.remote_actor_id IS NULL OR NOT EXISTS (
    SELECT 1 FROM posts bp WHERE bp.id = ${c}.post_id AND ${remoteBlockedBySql(sql`bp.author_id`, sql`${c}.remote_actor_id`)}))`;
};

/**
 * Correlated count for a post list's SELECT: one indexed count per row, inside the same query; the comments
 * `viewerId` is not shown (blocks) are not counted.
 */
export function commentCountSql(postId: SQL, viewerId: number | null = null): SQL {
  return sql`(SELECT count(*) FROM comments c WHERE c.post_id = ${postId} AND ${shownTo(viewerId, "c")})`;
}

/** A comment's text for readers (comments aliased `c`): NULL when disabled, so it never reaches a page or a serializer. */
export const visibleCommentSql = (column: SQL) => sql`CASE WHEN c.disabled THEN NULL ELSE ${column} END`;

const COLUMNS = sql`c.id, c.post_id AS postId, c.disabled, c.created_at AS createdAt, c.author_id AS authorId,
  coalesce(u.username, ra.handle) AS authorUsername, coalesce(u.name, ra.name) AS authorName, ${avatarSourceSql("u")} AS authorAvatar,
  CASE WHEN ra.id IS NOT NULL THEN coalesce(ra.url, ra.uri) END AS remoteUrl, c.remote_actor_id AS remoteActorId`;

/** A comment's author: a member (u) or, for a reply from another server, a remote actor (ra). */
const AUTHOR_JOIN = sql`LEFT JOIN users u ON u.id = c.author_id LEFT JOIN remote_actors ra ON ra.id = c.remote_actor_id`;

export type PostCommentsPage = { items: CommentItem[]; page: number; lastPage: number; total: number };

/**
 * One page of a post's comments, oldest first. `page` -1 (or past the end) means the last page; the
 * offset is computed in SQL from the count, so this is a single round trip either way. Comments of members
 * the viewer blocked or who blocked the viewer are left out of the page and of its count (features/blocks).
 */
export async function listPostComments(db: Db, postId: number, page: number, viewerId: number | null = null): Promise<PostCommentsPage> {
  const per = COMMENTS_PER_PAGE;
  const total = sql`(SELECT count(*) FROM comments tc WHERE tc.post_id = ${postId} AND ${shownTo(viewerId, "tc")})`;
  // D1 binds JS numbers as REAL: without the CASTs, (n - 1) / 30 is fractional and OFFSET rejects it.
  const lastIndex = sql`max(0, CAST((${total} - 1) / ${per} AS INTEGER))`;
  const pageIndex = page === -1 ? lastIndex : sql`CAST(${page - 1} AS INTEGER)`;
  const rows = await db.all<RawComment & { total: number; pageIndex: number }>(sql`
    SELECT ${COLUMNS}, ${visibleCommentSql(sql`c.body_html`)} AS bodyHtml,
      ${total} AS total, ${pageIndex} AS pageIndex
    FROM comments c ${AUTHOR_JOIN}
    WHERE c.post_id = ${postId} AND ${shownTo(viewerId, "c")}
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

// The post's author and the start of its source (enough for an excerpt; a post may be 5,000 characters).
// Raw SQL on posts/users, as the comment count is: the comments feature does not import the posts feature.
const MODERATION_FROM = sql`SELECT ${COLUMNS}, c.body_html AS bodyHtml, pu.username AS postAuthorUsername, substr(p.body, 1, 400) AS postSource
  FROM comments c ${AUTHOR_JOIN} JOIN posts p ON p.id = c.post_id JOIN users pu ON pu.id = p.author_id`;

/** Every comment, newest first, with its text even when disabled and the post it is under: only for moderators. */
export async function listForModeration(db: Db, req: PageRequest): Promise<KeysetPage<ModerationItem>> {
  const rows = await db.all<RawModeration>(
    keysetPageSql({ select: MODERATION_FROM, where: sql`1 = 1`, ts: sql`c.created_at`, id: sql`c.id` }, req, COMMENTS_PER_PAGE),
  );
  return buildKeysetPage(req, rows.map(toModerationItem), COMMENTS_PER_PAGE, (c) => ({ ts: c.createdAt, id: c.id }));
}

/** One comment as the moderation list shows it (after a toggle swaps its entry). */
export async function getModerationItem(db: Db, id: number): Promise<ModerationItem | undefined> {
  const rows = await db.all<RawModeration>(sql`${MODERATION_FROM} WHERE c.id = ${id}`);
  return rows[0] ? toModerationItem(rows[0]) : undefined;
}

/** One comment for moderation or deletion (with its text, for the moderator's eyes). */
export async function getComment(db: Db, id: number): Promise<CommentItem | undefined> {
  const rows = await db.all<RawComment>(sql`SELECT ${COLUMNS}, c.body_html AS bodyHtml FROM comments c ${AUTHOR_JOIN} WHERE c.id = ${id}`);
  return rows[0] ? toItem(rows[0]) : undefined;
}

/**
 * A comment and its post's new comment total, in one query: what an in-place append shows. (Not
 * commentCountSql: its alias `c` would shadow this query's and count every comment.)
 */
export async function getCommentWithTotal(db: Db, id: number, viewerId: number): Promise<{ comment: CommentItem; postTotal: number } | undefined> {
  // The total as the writer's page counts it: without the comments hidden by blocks either way.
  const total = sql`(SELECT count(*) FROM comments pc WHERE pc.post_id = c.post_id AND ${shownTo(viewerId, "pc")})`;
  const rows = await db.all<RawComment & { postTotal: number }>(
    sql`SELECT ${COLUMNS}, c.body_html AS bodyHtml, ${total} AS postTotal FROM comments c ${AUTHOR_JOIN} WHERE c.id = ${id}`,
  );
  if (!rows[0]) return undefined;
  const { postTotal, ...row } = rows[0];
  return { comment: toItem(row), postTotal: Number(postTotal) };
}

// --- Readable comments with their Markdown source (the JSON API's rows) -------------------------

export type PublicComment = {
  id: number;
  postId: number;
  /** NULL for a reply from another server (remoteUrl is its author's profile). */
  authorId: number | null;
  remoteUrl: string | null;
  createdAt: number;
  /** NULL when disabled: the SQL never selects a disabled comment's text. */
  body: string | null;
  bodyHtml: string | null;
  disabled: boolean;
};

type RawPublic = Omit<PublicComment, "disabled"> & { disabled: number };
const toPublic = ({ disabled, ...rest }: RawPublic): PublicComment => ({ ...rest, disabled: !!disabled });
const publicKey = (c: PublicComment) => ({ ts: c.createdAt, id: c.id });
/** A disabled comment's text is replaced by NULL here, so it can never reach a serializer. */
const PUBLIC_SELECT = sql`SELECT c.id, c.post_id AS postId, c.author_id AS authorId,
  (SELECT coalesce(ra.url, ra.uri) FROM remote_actors ra WHERE ra.id = c.remote_actor_id) AS remoteUrl, c.created_at AS createdAt, c.disabled,
  ${visibleCommentSql(sql`c.body`)} AS body, ${visibleCommentSql(sql`c.body_html`)} AS bodyHtml FROM comments c`;

/** Every comment `viewerId` is shown (blocks), newest first (comments_created index); no total. */
export async function listPublicComments(db: Db, req: PageRequest, viewerId: number | null = null): Promise<OwnedPage<PublicComment>> {
  const where = shownTo(viewerId, "c");
  const rows = await db.all<RawPublic>(keysetPageSql({ select: PUBLIC_SELECT, where, ts: sql`c.created_at`, id: sql`c.id` }, req, COMMENTS_PER_PAGE));
  return { ...buildKeysetPage(req, rows.map(toPublic), COMMENTS_PER_PAGE, publicKey), found: true, total: null };
}

/**
 * A post's comments shown to `viewerId` (blocks), newest first (comments_post_created index), with their
 * total; `postFound` (from the posts feature) says whether the post exists. One statement either way.
 */
export async function listPostPublicComments(db: Db, postId: number, req: PageRequest, postFound: SQL, viewerId: ViewerId): Promise<OwnedPage<PublicComment>> {
  const where = sql`c.post_id = ${postId} AND ${shownTo(viewerId, "c")}`;
  const page = keysetPageSql({ select: PUBLIC_SELECT, where, ts: sql`c.created_at`, id: sql`c.id` }, req, COMMENTS_PER_PAGE);
  const r = await pageWithHeader<RawPublic>(
    db,
    { found: postFound, total: commentCountSql(sql`${postId}`, viewerId) },
    page,
    (dir) => sql`l.createdAt ${dir}, l.id ${dir}`,
    req,
  );
  return { ...buildKeysetPage(req, r.rows.map(toPublic), COMMENTS_PER_PAGE, publicKey), found: r.found, total: r.total };
}

export async function getPublicComment(db: Db, id: number): Promise<PublicComment | undefined> {
  const rows = await db.all<RawPublic>(sql`${PUBLIC_SELECT} WHERE c.id = ${id}`);
  return rows[0] ? toPublic(rows[0]) : undefined;
}

/** Every comment of an author as stored, oldest first: their data export (a query builder, so it can join a batch). */
export function commentsOfAuthorQuery(db: Db, authorId: number) {
  return db.select().from(comments).where(eq(comments.authorId, authorId)).orderBy(asc(comments.createdAt));
}
