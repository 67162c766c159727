// What a search request asks for and gets: the query text made safe (lib/fts.ts), which kinds of result,
// which window and page. Bad input never errors: no words, too deep a page, a malformed cursor or an unknown
// kind simply find less (or start from the newest matches).
import type { Db } from "../../db";
import { ftsSearch, MAX_QUERY_CHARS } from "../../lib/fts";
import { MAX_SEARCH_PAGE, PEOPLE_HITS_PER_PAGE, PEOPLE_PREVIEW, type PersonHit, POST_HITS_PER_PAGE, type PostHit, type Searcher, searchBoth } from "./queries";

/** "all": a few people above a page of posts; "people": a page of people only. */
export type SearchKind = "all" | "people";

/**
 * `page` counts within the window of matches (queries.ts SEARCH_WINDOW); `before` (posts only) starts the
 * window below that post id, null for the newest matches.
 */
export type SearchRequest = { q: string; kind: SearchKind; page: number; before: number | null };

/**
 * One kind's results on this page, and whether more follow: `more`, another page of this window; `older`,
 * when this is the window's last page and older matches exist, the `before` of the next window.
 */
export type HitsPage<T> = { items: T[]; more: boolean; older: number | null };

export type SearchResult = SearchRequest & {
  /** False when the text had no words to look for (empty, only punctuation): "no results" without a query. */
  searched: boolean;
  people: HitsPage<PersonHit> | null;
  posts: HitsPage<PostHit> | null;
};

/** A post id bound: a whole number from 1, at most 15 digits; anything else is no cursor. */
export function parseBefore(raw: string | undefined): number | null {
  return raw && /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : null;
}

/** Reads `q`, `type`, `page` and `before` leniently: anything unexpected falls back to the default. */
export function parseSearchRequest(query: (name: string) => string | undefined, parsePage: (raw: string | undefined) => number): SearchRequest {
  const kind = query("type") === "people" ? "people" : "all";
  return {
    q: (query("q") ?? "").slice(0, MAX_QUERY_CHARS).trim(),
    kind,
    page: parsePage(query("page")),
    before: kind === "all" ? parseBefore(query("before")) : null,
  };
}

function pageOf<T>(rows: T[] | null, perPage: number, older: (rows: T[]) => number | null = () => null): HitsPage<T> | null {
  if (!rows) return null;
  const more = rows.length > perPage;
  return { items: rows.slice(0, perPage), more, older: more ? null : older(rows) };
}

/** `viewerId`: the member searching (null for visitors); members blocked either way are not found. */
export async function search(db: Db, req: SearchRequest, viewerId: Searcher = null): Promise<SearchResult> {
  const match = ftsSearch(req.q);
  if (!match || req.page > MAX_SEARCH_PAGE) {
    return { ...req, searched: !!match, people: match && req.kind === "people" ? { items: [], more: false, older: null } : null, posts: null };
  }
  if (req.kind === "people") {
    const { people } = await searchBoth(db, match, { limit: PEOPLE_HITS_PER_PAGE + 1, offset: (req.page - 1) * PEOPLE_HITS_PER_PAGE }, null, viewerId);
    return { ...req, searched: true, people: pageOf(people, PEOPLE_HITS_PER_PAGE), posts: null };
  }
  // The people preview is on the very first page only; later pages (and windows) turn the posts' pages.
  const peopleAsk = req.page === 1 && req.before === null ? { limit: PEOPLE_PREVIEW + 1, offset: 0 } : null;
  const postsAsk = { limit: POST_HITS_PER_PAGE + 1, offset: (req.page - 1) * POST_HITS_PER_PAGE, before: req.before };
  const r = await searchBoth(db, match, peopleAsk, postsAsk, viewerId);
  return {
    ...req,
    searched: true,
    people: pageOf(r.people, PEOPLE_PREVIEW),
    posts: pageOf(r.posts, POST_HITS_PER_PAGE, (rows) => rows[0]?.olderBefore ?? null),
  };
}

/** The query string of another page (or kind, or window) of the same search. */
export function searchQuery(q: string, kind: SearchKind, page: number, before: number | null = null): string {
  const params = new URLSearchParams({ q });
  if (kind !== "all") params.set("type", kind);
  if (before !== null) params.set("before", String(before));
  if (page > 1) params.set("page", String(page));
  return `?${params}`;
}
