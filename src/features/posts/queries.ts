// Read side of posts: one D1 query per list page (posts joined with their authors), whatever the page
// size, ordered by (created_at, id) so the composite indexes serve every scope with a LIMIT.
// Pages "with source" are what the JSON API returns (the Markdown too); a list that belongs to a user is
// composed by the users feature, which passes its own `found` expression (posts cannot import users).
import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { avatarSourceSql } from "../../db/avatar-source";
import { blockedBySql, notHiddenFromSql, type ViewerId } from "../../db/blocks";
import { followedRemotePostsQuery, LOCAL_ROW_REMOTE_COLUMNS } from "../../db/remote-posts";
import { posts } from "../../db/schema";
import {
  buildKeysetPage,
  type Cursor,
  type KeysetPage,
  type KeysetQuery,
  keysetPageSql,
  type ListHeader,
  type OwnedPage,
  type PageRequest,
  pageDirection,
  pageWithHeader,
} from "../../lib/pagination";
import { commentCountSql, listPostPublicComments, type PublicComment } from "../comments";
import { likedSql } from "./likes";

export type PostListItem = {
  id: number;
  bodyHtml: string;
  createdAt: number;
  updatedAt: number;
  authorId: number;
  authorUsername: string;
  authorName: string | null;
  /** lib/avatar.ts AvatarOwner.avatar */
  authorAvatar: string | null;
  commentCount: number;
  likeCount: number;
  /** Boosts (Announce) from other servers: posts.boost_count, kept by triggers (features/federation). */
  boostCount: number;
  /** Whether the viewer likes it: 1/0, or null for anonymous visitors. */
  liked: number | null;
};

export type PostScope =
  | { kind: "all" }
  | { kind: "author"; authorId: number }
  /** `remote`: with the notes of people elsewhere the viewer follows (the web's Followed feed; db/remote-posts.ts). */
  | { kind: "followed"; viewerId: number; remote?: boolean }
  | { kind: "tag"; tag: string };

/** A row of a feed that merges remote notes: the original's URL and the remote author's profile (null for local posts). */
export type RemoteColumns = { remoteUrl?: string | null; remoteProfile?: string | null };

export const POSTS_PER_PAGE = 20;

/**
 * The list columns; `viewerId` decides `liked` (a correlated lookup on post_likes' primary key) and which
 * comments are counted (not those hidden by blocks either way); `extra` adds columns.
 */
const select = (viewerId: number | null, extra = sql``) => sql`SELECT p.id, p.body_html AS bodyHtml, p.created_at AS createdAt, p.updated_at AS updatedAt,
  p.author_id AS authorId, u.username AS authorUsername, u.name AS authorName, ${avatarSourceSql("u")} AS authorAvatar,
  ${commentCountSql(sql`p.id`, viewerId)} AS commentCount, p.like_count AS likeCount, p.boost_count AS boostCount,
  ${likedSql(sql`p.id`, viewerId)} AS liked${extra}
  FROM posts p JOIN users u ON u.id = p.author_id`;

/**
 * Which posts of a scope `viewerId` is shown: blocks hide posts both ways between signed-in members (the
 * blocker's from the blocked member too). A profile's own list still shows the blocker the posts of someone
 * they blocked (they went there on purpose; each opens as "You blocked …"), but not the blocked member the
 * blocker's.
 */
function shownTo(scope: PostScope, viewerId: ViewerId): SQL {
  return scope.kind === "author" ? notBlockedByAuthor(sql`p.author_id`, viewerId) : notHiddenFromSql(viewerId, sql`p.author_id`, true);
}

/** The blocked member's side only: true unless `author` blocked `viewerId` (always for visitors). */
const notBlockedByAuthor = (author: SQL, viewerId: ViewerId) => (viewerId === null ? sql`1 = 1` : sql`NOT ${blockedBySql(author, sql`${viewerId}`)}`);

/** A scope's join and filter; `ts`/`id` when its keyset walks another index than posts' own. */
function scopeFilter(scope: PostScope): { join: SQL; where: SQL; ts?: SQL; id?: SQL } {
  switch (scope.kind) {
    case "all":
      return { join: sql``, where: sql`1 = 1` };
    case "author":
      return { join: sql``, where: sql`p.author_id = ${scope.authorId}` };
    case "followed":
      return { join: sql` JOIN follows f ON f.followed_id = p.author_id AND f.follower_id = ${scope.viewerId}`, where: sql`1 = 1` };
    case "tag":
      // post_tags_tag_created walks the tag's posts newest first; its created_at is the post's.
      return { join: sql` JOIN post_tags t ON t.post_id = p.id`, where: sql`t.tag = ${scope.tag}`, ts: sql`t.created_at`, id: sql`t.post_id` };
  }
}

/**
 * The SQL for one page of a scope (exported so tests can EXPLAIN exactly what runs). A member's lists leave out
 * what blocks hide from them (shownTo: primary-key lookups per row inside the same statement).
 */
export function listPostsSql(scope: PostScope, req: PageRequest, perPage = POSTS_PER_PAGE, viewerId: number | null = null): SQL {
  const { join, where, ts = sql`p.created_at`, id = sql`p.id` } = scopeFilter(scope);
  const visible = sql`${where} AND ${shownTo(scope, viewerId)}`;
  if (scope.kind === "followed" && scope.remote) {
    const local = { select: sql`${select(viewerId, LOCAL_ROW_REMOTE_COLUMNS)}${join}`, where: visible, ts, id };
    return mergedPageSql([local, followedRemotePostsQuery(scope.viewerId)], req, perPage);
  }
  return keysetPageSql({ select: sql`${select(viewerId)}${join}`, where: visible, ts, id }, req, perPage);
}

/**
 * One page of several keyset lists merged by (createdAt, id), in one statement: each list reads its own page
 * from its own index (a bare page number: its first `offset + page` rows), and the outer query keeps the page.
 */
function mergedPageSql(queries: KeysetQuery[], req: PageRequest, perPage: number): SQL {
  const offset = req.before || req.after ? 0 : (req.page - 1) * perPage;
  const inner: PageRequest = offset > 0 ? { page: 1, before: null, after: null, shown: req.shown } : req;
  const parts = queries.map((q) => sql`SELECT * FROM (${keysetPageSql(q, inner, perPage + offset)})`);
  const dir = pageDirection(req);
  return sql`SELECT * FROM (${sql.join(parts, sql` UNION ALL `)}) ORDER BY createdAt ${dir}, id ${dir} LIMIT ${perPage * (req.shown ?? 1) + 1} OFFSET ${offset}`;
}

export async function listPosts(
  db: Db,
  scope: PostScope,
  req: PageRequest,
  extraQuery = "",
  perPage = POSTS_PER_PAGE,
  viewerId: number | null = null,
): Promise<KeysetPage<PostListItem & RemoteColumns>> {
  const rows = await db.all<PostListItem & RemoteColumns>(listPostsSql(scope, req, perPage, viewerId));
  return buildKeysetPage(req, rows, perPage, (p) => ({ ts: p.createdAt, id: p.id }), extraQuery);
}

/** The permalink's post: also whether the viewer blocked its author, or its author the viewer (features/blocks). */
export type PostPageItem = PostListItem & { viewerBlocks: boolean; blocksViewer: boolean };

/** One post with its author, for the permalink page (one statement, the blocks both ways included). */
export async function getPostWithAuthor(db: Db, id: number, viewerId: number | null = null): Promise<PostPageItem | undefined> {
  const viewer = sql`${viewerId ?? -1}`;
  const blocks = sql`, ${blockedBySql(viewer, sql`p.author_id`)} AS viewerBlocks, ${blockedBySql(sql`p.author_id`, viewer)} AS blocksViewer`;
  const rows = await db.all<PostListItem & { viewerBlocks: number; blocksViewer: number }>(sql`${select(viewerId, blocks)} WHERE p.id = ${id}`);
  const row = rows[0];
  return row && { ...row, viewerBlocks: !!row.viewerBlocks, blocksViewer: !!row.blocksViewer };
}

export async function postExists(db: Db, id: number): Promise<boolean> {
  return !!(await db.get(sql`SELECT 1 AS one FROM posts WHERE id = ${id}`));
}

/** Whether post `id` exists for `viewerId` (not when its author blocked them): the `found` of a list that belongs to a post. */
const postExistsSql = (id: number, viewerId: ViewerId) =>
  sql`EXISTS (SELECT 1 FROM posts WHERE id = ${id} AND ${notBlockedByAuthor(sql`author_id`, viewerId)})`;

/** Correlated count of an author's posts (posts_author_created index), for a header or a user's columns. */
export const postCountSql = (authorId: SQL) => sql`(SELECT count(*) FROM posts WHERE author_id = ${authorId})`;

// --- Feeds (Atom) --------------------------------------------------------------------------------

export type FeedPost = Pick<PostListItem, "id" | "bodyHtml" | "createdAt" | "updatedAt" | "authorId" | "authorUsername" | "authorName"> & { body: string };
const FEED_COLUMNS = sql`pl.id, p.body, pl.bodyHtml, pl.createdAt, pl.updatedAt, pl.authorId, pl.authorUsername, pl.authorName`;

/**
 * A scope's newest posts (older than `before`, a keyset cursor, when given) with their Markdown (for feed
 * titles, federation's mentions): the list page's statement, one query.
 */
export function listFeedPosts(db: Db, scope: PostScope, limit = POSTS_PER_PAGE, before: Cursor | null = null): Promise<FeedPost[]> {
  const first: PageRequest = { page: 1, before, after: null };
  return db.all<FeedPost>(sql`SELECT ${FEED_COLUMNS}
    FROM (${listPostsSql(scope, first, limit)}) AS pl JOIN posts p ON p.id = pl.id ORDER BY pl.createdAt DESC, pl.id DESC LIMIT ${limit}`);
}

/** How many posts an author has (the posts_author_created index). */
export async function authorPostCount(db: Db, authorId: number): Promise<number> {
  const row = await db.get<{ n: number }>(sql`SELECT ${postCountSql(sql`${authorId}`)} AS n`);
  return row?.n ?? 0;
}

/** One post as a feed entry (a federation Note). */
export async function getFeedPost(db: Db, id: number): Promise<FeedPost | undefined> {
  const rows = await db.all<FeedPost>(sql`SELECT ${FEED_COLUMNS} FROM (${select(null)} WHERE p.id = ${id}) AS pl JOIN posts p ON p.id = pl.id`);
  return rows[0];
}

// --- With the Markdown source (the JSON API's rows) ---------------------------------------------

export type PostWithSource = { id: number; body: string; bodyHtml: string; createdAt: number; authorId: number; commentCount: number; likeCount: number };

/** listPostsSql's page (same scope, keyset, limit and blocks for the caller) with the Markdown source. */
function sourcePageSql(scope: PostScope, req: PageRequest, viewerId: number | null): SQL {
  return sql`SELECT pl.id, p.body, pl.bodyHtml, pl.createdAt, pl.authorId, pl.commentCount, pl.likeCount
    FROM (${listPostsSql(scope, req, POSTS_PER_PAGE, viewerId)}) AS pl JOIN posts p ON p.id = pl.id`;
}
const sourceKey = (p: PostWithSource) => ({ ts: p.createdAt, id: p.id });

/** Every post the caller is shown (blocks), newest first; no total (a count would read the whole table). */
export async function listAllPostsWithSource(db: Db, req: PageRequest, viewerId: number | null = null): Promise<OwnedPage<PostWithSource>> {
  const dir = pageDirection(req);
  const rows = await db.all<PostWithSource>(sql`${sourcePageSql({ kind: "all" }, req, viewerId)} ORDER BY pl.createdAt ${dir}, pl.id ${dir}`);
  return { ...buildKeysetPage(req, rows, POSTS_PER_PAGE, sourceKey), found: true, total: null };
}

/** A page of one user's scope (their posts, their timeline) with that user's `found` and the `total` in the same statement. */
async function ownedSourcePage(db: Db, scope: PostScope, req: PageRequest, header: ListHeader, viewerId: number | null): Promise<OwnedPage<PostWithSource>> {
  const r = await pageWithHeader<PostWithSource>(db, header, sourcePageSql(scope, req, viewerId), (dir) => sql`l.createdAt ${dir}, l.id ${dir}`, req);
  return { ...buildKeysetPage(req, r.rows, POSTS_PER_PAGE, sourceKey), found: r.found, total: r.total };
}

/** One author's posts with their total; `found` (from the users feature) says whether the author exists. */
export function listAuthorPostsWithSource(db: Db, authorId: number, req: PageRequest, found: SQL, callerId: ViewerId): Promise<OwnedPage<PostWithSource>> {
  return ownedSourcePage(db, { kind: "author", authorId }, req, { found, total: postCountSql(sql`${authorId}`) }, callerId);
}

/** Posts of everyone the user follows (themselves included); no total, as on the web's Followed tab. */
export function listFollowedPostsWithSource(db: Db, userId: number, req: PageRequest, userFound: SQL, callerId: ViewerId): Promise<OwnedPage<PostWithSource>> {
  return ownedSourcePage(db, { kind: "followed", viewerId: userId }, req, { found: userFound, total: sql`NULL` }, callerId);
}

/**
 * One post with its source, as `viewerId` is shown it: none when its author blocked them (like a missing
 * post, as the web's permalink), and a comment count without what blocks hide from them.
 */
export async function getPostWithSource(db: Db, id: number, viewerId: number | null = null): Promise<PostWithSource | undefined> {
  const rows = await db.all<PostWithSource>(sql`SELECT p.id, p.body, p.body_html AS bodyHtml, p.created_at AS createdAt, p.author_id AS authorId,
    ${commentCountSql(sql`p.id`, viewerId)} AS commentCount, p.like_count AS likeCount FROM posts p WHERE p.id = ${id} AND ${notBlockedByAuthor(sql`p.author_id`, viewerId)}`);
  return rows[0];
}

/** A post's readable comments the caller is shown (blocks), newest first, with whether the post exists and their total, in one statement. */
export function listCommentsOfPost(db: Db, postId: number, req: PageRequest, viewerId: number | null = null): Promise<OwnedPage<PublicComment>> {
  return listPostPublicComments(db, postId, req, postExistsSql(postId, viewerId), viewerId);
}

/** Every post of an author as stored, oldest first: their data export (a query builder, so it can join a batch). */
export function postsOfAuthorQuery(db: Db, authorId: number) {
  return db.select().from(posts).where(eq(posts.authorId, authorId)).orderBy(asc(posts.createdAt));
}

/** The author's posts among `ids` (at most 99: one statement's bound parameters), for "Your posts". */
export function authorPostsByIds(db: Db, authorId: number, ids: number[]) {
  return db
    .select({ id: posts.id, body: posts.body, createdAt: posts.createdAt })
    .from(posts)
    .where(and(eq(posts.authorId, authorId), inArray(posts.id, ids.slice(0, 99))));
}
