// Read side of search: FTS5 matches (migrations/0006_search.sql) ranked and joined with what a result shows.
// A results page costs at most two statements, sent together: the people page and the posts page.
//
// Bounded whatever the number of matches: each statement takes only a WINDOW of matches (the newest: FTS5
// walks its doclist by rowid, newest first, and stops), ranks that window with bm25, and computes
// snippet()/highlight() for the page's rows only. "Best first" therefore means "best of the newest
// SEARCH_WINDOW matches". Posts continue past the window: the next window is the matches older than this
// one's oldest (`before`, a keyset cursor on the post id), so every match stays reachable and a page deep
// in the results costs what page 1 costs. Within a window pages are numbered (OFFSET inside at most
// SEARCH_WINDOW ranked rows).
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { avatarSourceSql } from "../../db/avatar-source";
import { blockedEitherWaySql } from "../../db/blocks";
import { type FtsSearch, MARK_CLOSE, MARK_OPEN, MAX_PREFIX_TERMS } from "../../lib/fts";
import type { EntryAuthor } from "../../views/author";

export const POST_HITS_PER_PAGE = 20;
export const PEOPLE_HITS_PER_PAGE = 20;
/** People shown above the posts when both kinds are listed (the rest are one link away). */
export const PEOPLE_PREVIEW = 5;
/** Matches ranked together: the newest this many (posts: per window; people: all that are looked at). */
export const SEARCH_WINDOW = 500;
/** Pages in one window (posts) or in all (people); deeper page numbers answer "no more results". */
export const MAX_SEARCH_PAGE = SEARCH_WINDOW / POST_HITS_PER_PAGE;

export type PostHit = EntryAuthor & {
  id: number;
  createdAt: number;
  /** A few words around the matches, with MARK_OPEN/MARK_CLOSE around each (lib/fts.ts markedToHtml). */
  snippet: string;
  /**
   * When the window is full (older matches may follow): the `before` of the next window (the same on every row).
   * Looked up only on the window's last page (fewer rows than asked for): null on the others, which link to the next page instead.
   */
  olderBefore: number | null;
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

/** Which rows of a window a page takes (after ranking). */
export type HitsAsk = { limit: number; offset: number };

/**
 * "Not hidden from the viewer" for a person `who` (SQL). Members without any block (nearly all) skip the
 * per-row lookup: the first test is uncorrelated, so SQLite answers it once per statement.
 */
function visibleToSql(viewerId: Searcher, who: SQL): SQL {
  if (viewerId === null) return sql`1 = 1`;
  const v = sql`${viewerId}`;
  return sql`(NOT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ${v} OR blocked_id = ${v}) OR NOT ${blockedEitherWaySql(v, who)})`;
}

/**
 * The MATCH expression of `s` (SQL, a string): the whole words AND-ed with the last word's completions, listed from
 * the index's vocabulary `vocab` (migrations/0027_search_vocab.sql) and OR-ed as exact terms, which FTS5 reads
 * lazily (newest first, and the window stops it after 500 matches). A prefix query (`"coffee"*`) would make FTS5
 * merge the whole doclist of every completion on every search, a pass over all the matches. Listing a term costs
 * a pass over its doclist too (fts5vocab counts its documents), but a cheap one; a word with more completions than
 * MAX_PREFIX_TERMS (a letter or two) falls back to the prefix query, and a word that starts no term keeps itself
 * (it finds nothing). The terms are index tokens (letters, numbers: never a quote), quoted like what people type.
 */
function matchSql(vocab: SQL, s: FtsSearch): SQL {
  if (!s.range) return sql`${s.head + s.prefix}`;
  return sql`${s.head} || (SELECT CASE WHEN count(*) = 0 THEN ${s.exact} WHEN count(*) > ${MAX_PREFIX_TERMS} THEN ${s.prefix}
      ELSE '(' || group_concat('"' || replace(term, '"', '""') || '"', ' OR ') || ')' END
    FROM (SELECT term FROM ${vocab} WHERE term >= ${s.range[0]} AND term < ${s.range[1]} LIMIT ${MAX_PREFIX_TERMS + 1}))`;
}

type WindowSpec = {
  /** The FTS5 table ("posts_fts", "users_fts") and its vocabulary ("posts_fts_vocab", "users_fts_vocab"). */
  fts: SQL;
  vocab: SQL;
  rank: SQL;
  match: FtsSearch;
  /** Only rowids below this (the window's upper bound), or null for the newest. */
  before: number | null;
  /** Whether a row (`w.id`) may be shown. */
  visible: SQL;
  /** "DESC" (newest first) or "" among equal ranks. */
  tie: SQL;
  ask: HitsAsk;
};

/**
 * CTEs `q` (the MATCH expression, built once), `win` (the newest SEARCH_WINDOW matches with their rank), `page`
 * (the window's visible rows, ranked, this page's slice) and `marked` (`marks`, the snippet()/highlight() columns,
 * for the page's rows only: one FTS5 scan limited to the page's rowid range that keeps the page's rowids through
 * an IN list, never a `rowid =` lookup, which would re-run the MATCH for each row). The outer statement then starts
 * from `page`: `select` reads `r` (page), `s` (marked) and what `join` adds.
 */
function rankedWindowSql(s: WindowSpec, marks: SQL, select: SQL, join: SQL): SQL {
  const bound = s.before === null ? sql`` : sql`AND rowid < ${s.before}`;
  // `+rowid`: the IN list only filters the scan; handed to FTS5 as a rowid constraint it would be one MATCH per id.
  return sql`WITH q AS MATERIALIZED (SELECT ${matchSql(s.vocab, s.match)} AS m),
    win AS MATERIALIZED (SELECT rowid AS id, ${s.rank} AS score FROM ${s.fts} WHERE ${s.fts} MATCH (SELECT m FROM q) ${bound}
      ORDER BY rowid DESC LIMIT ${SEARCH_WINDOW}),
    page AS MATERIALIZED (SELECT w.id, w.score FROM win w WHERE ${s.visible} ORDER BY w.score, w.id ${s.tie} LIMIT ${s.ask.limit} OFFSET ${s.ask.offset}),
    marked AS MATERIALIZED (SELECT rowid AS id, ${marks} FROM ${s.fts} WHERE ${s.fts} MATCH (SELECT m FROM q)
      AND rowid BETWEEN (SELECT min(id) FROM page) AND (SELECT max(id) FROM page) AND +rowid IN (SELECT id FROM page))
    SELECT ${select} FROM page r JOIN marked s ON s.id = r.id ${join}
    ORDER BY r.score, r.id ${s.tie}`;
}

/** Posts matching `match` (lib/fts.ts ftsSearch) among the newest SEARCH_WINDOW below `before`, best first (bm25; ties newest first). */
export function postHitsSql(match: FtsSearch, ask: HitsAsk, before: number | null, viewerId: Searcher = null) {
  // A full window may have older matches after it (when exactly SEARCH_WINDOW match, that page says "no results").
  // Only the window's last page links there: the other pages skip the pass over the window's rows (CASE is lazy).
  const older = sql`CASE WHEN (SELECT count(*) FROM page) < ${ask.limit} THEN (SELECT CASE WHEN count(*) = ${SEARCH_WINDOW} THEN min(id) END FROM win) END`;
  return rankedWindowSql(
    {
      fts: sql.raw("posts_fts"),
      vocab: sql.raw("posts_fts_vocab"),
      rank: sql.raw("bm25(posts_fts)"),
      match,
      before,
      visible: visibleToSql(viewerId, sql`(SELECT author_id FROM posts WHERE id = w.id)`),
      tie: sql.raw("DESC"),
      ask,
    },
    sql`snippet(posts_fts, 0, ${OPEN}, ${CLOSE}, '…', 24) AS snippet`,
    sql`p.id, p.created_at AS createdAt, p.author_id AS authorId, u.username AS authorUsername, u.name AS authorName,
      ${avatarSourceSql("u")} AS authorAvatar, s.snippet, ${older} AS olderBefore`,
    sql`JOIN posts p ON p.id = r.id JOIN users u ON u.id = p.author_id`,
  );
}

// Column weights: a username or name match matters more than a word in someone's about-me.
const PEOPLE_RANK = sql.raw("bm25(users_fts, 10.0, 5.0, 2.0, 1.0)");

/** People whose username, name, location or about me match, among the newest SEARCH_WINDOW accounts that do; best first. */
export function personHitsSql(match: FtsSearch, ask: HitsAsk, viewerId: Searcher = null) {
  return rankedWindowSql(
    {
      fts: sql.raw("users_fts"),
      vocab: sql.raw("users_fts_vocab"),
      rank: PEOPLE_RANK,
      match,
      before: null,
      visible: visibleToSql(viewerId, sql`w.id`),
      tie: sql``,
      ask,
    },
    sql`highlight(users_fts, 0, ${OPEN}, ${CLOSE}) AS usernameMarked, highlight(users_fts, 1, ${OPEN}, ${CLOSE}) AS nameMarked,
      highlight(users_fts, 2, ${OPEN}, ${CLOSE}) AS locationMarked, snippet(users_fts, 3, ${OPEN}, ${CLOSE}, '…', 16) AS aboutSnippet`,
    sql`u.id, u.username, ${avatarSourceSql("u")} AS avatar, s.usernameMarked, s.nameMarked, s.locationMarked, s.aboutSnippet`,
    sql`JOIN users u ON u.id = r.id`,
  );
}

/** One request's worth of results: `people`/`posts` are null when that kind was not asked for. */
export async function searchBoth(
  db: Db,
  match: FtsSearch,
  people: HitsAsk | null,
  posts: (HitsAsk & { before: number | null }) | null,
  viewerId: Searcher = null,
): Promise<{ people: PersonHit[] | null; posts: PostHit[] | null }> {
  // Concurrent rather than db.batch(): Drizzle's D1 batch takes query builders, not raw SQL reads.
  const [p, q] = await Promise.all([
    people && db.all<PersonHit>(personHitsSql(match, people, viewerId)),
    posts && db.all<PostHit>(postHitsSql(match, posts, posts.before, viewerId)),
  ]);
  return { people: p, posts: q };
}
