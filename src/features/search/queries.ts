// Read side of search: ranked FTS5 matches (migrations/0006_search.sql) joined with what a result shows.
// A results page costs at most two statements, sent together: the people page and the posts page.
// Ranked results are paged by number (LIMIT n + 1 OFFSET): bm25 ranks every match anyway, so a keyset
// cursor would save nothing, and pages are capped at MAX_SEARCH_PAGE.
import { sql } from "drizzle-orm";
import type { Db } from "../../db";
import { avatarSourceSql } from "../../db/avatar-source";
import { notHiddenFromSql } from "../../db/blocks";
import { MARK_CLOSE, MARK_OPEN } from "../../lib/fts";

export const POST_HITS_PER_PAGE = 20;
export const PEOPLE_HITS_PER_PAGE = 20;
/** People shown above the posts when both kinds are listed (the rest are one link away). */
export const PEOPLE_PREVIEW = 5;
/** Deeper pages answer "no more results": nobody reads result 1,000, and OFFSET costs grow with the page. */
export const MAX_SEARCH_PAGE = 50;

export type PostHit = {
  id: number;
  createdAt: number;
  authorId: number;
  authorUsername: string;
  authorName: string | null;
  authorAvatar: string | null;
  /** A few words around the matches, with MARK_OPEN/MARK_CLOSE around each (lib/fts.ts markedToHtml). */
  snippet: string;
};

export type PersonHit = {
  id: number;
  username: string;
  /** Each marked like PostHit.snippet. */
  usernameMarked: string;
  nameMarked: string | null;
  locationMarked: string | null;
  aboutSnippet: string | null;
  /** lib/avatar.ts AvatarOwner.avatar */
  avatar: string | null;
};

const OPEN = sql.raw(`char(${MARK_OPEN.charCodeAt(0)})`);
const CLOSE = sql.raw(`char(${MARK_CLOSE.charCodeAt(0)})`);

/** Who is searching: blocks either way between them and an author or person hide that one (features/blocks). */
export type Searcher = number | null;

/** Posts matching `match` (an ftsQuery), best first (bm25; ties newest first). */
export function postHitsSql(match: string, limit: number, offset: number, viewerId: Searcher = null) {
  return sql`SELECT p.id, p.created_at AS createdAt, p.author_id AS authorId, u.username AS authorUsername, u.name AS authorName,
    ${avatarSourceSql("u")} AS authorAvatar, snippet(posts_fts, 0, ${OPEN}, ${CLOSE}, '…', 24) AS snippet
    FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid JOIN users u ON u.id = p.author_id
    WHERE posts_fts MATCH ${match} AND ${notHiddenFromSql(viewerId, sql`p.author_id`, true)} ORDER BY bm25(posts_fts), p.id DESC LIMIT ${limit} OFFSET ${offset}`;
}

// Column weights: a username or name match matters more than a word in someone's about-me.
const PEOPLE_RANK = sql.raw("bm25(users_fts, 10.0, 5.0, 2.0, 1.0)");

/** People whose username, name, location or about me match, best first. */
export function personHitsSql(match: string, limit: number, offset: number, viewerId: Searcher = null) {
  return sql`SELECT u.id, u.username, ${avatarSourceSql("u")} AS avatar,
    highlight(users_fts, 0, ${OPEN}, ${CLOSE}) AS usernameMarked, highlight(users_fts, 1, ${OPEN}, ${CLOSE}) AS nameMarked,
    highlight(users_fts, 2, ${OPEN}, ${CLOSE}) AS locationMarked, snippet(users_fts, 3, ${OPEN}, ${CLOSE}, '…', 16) AS aboutSnippet
    FROM users_fts JOIN users u ON u.id = users_fts.rowid
    WHERE users_fts MATCH ${match} AND ${notHiddenFromSql(viewerId, sql`u.id`, true)} ORDER BY ${PEOPLE_RANK}, u.id LIMIT ${limit} OFFSET ${offset}`;
}

/** One request's worth of results: `people`/`posts` are null when that kind was not asked for. */
export async function searchBoth(
  db: Db,
  match: string,
  people: { limit: number; offset: number } | null,
  posts: { limit: number; offset: number } | null,
  viewerId: Searcher = null,
): Promise<{ people: PersonHit[] | null; posts: PostHit[] | null }> {
  if (people && posts) {
    // Concurrent rather than db.batch(): Drizzle's D1 batch takes query builders, not raw SQL reads.
    const [p, q] = await Promise.all([
      db.all<PersonHit>(personHitsSql(match, people.limit, people.offset, viewerId)),
      db.all<PostHit>(postHitsSql(match, posts.limit, posts.offset, viewerId)),
    ]);
    return { people: p, posts: q };
  }
  if (people) return { people: await db.all<PersonHit>(personHitsSql(match, people.limit, people.offset, viewerId)), posts: null };
  if (posts) return { people: null, posts: await db.all<PostHit>(postHitsSql(match, posts.limit, posts.offset, viewerId)) };
  return { people: null, posts: null };
}
