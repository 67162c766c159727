// What a search request asks for and gets: the query text made safe (lib/fts.ts), which kinds of result,
// which page. Bad input never errors: no words, too deep a page or an unknown kind simply find less.
import type { Db } from "../../db";
import { ftsQuery, MAX_QUERY_CHARS } from "../../lib/fts";
import { MAX_SEARCH_PAGE, PEOPLE_HITS_PER_PAGE, PEOPLE_PREVIEW, type PersonHit, POST_HITS_PER_PAGE, type PostHit, type Searcher, searchBoth } from "./queries";

/** "all": a few people above a page of posts; "people": a page of people only. */
export type SearchKind = "all" | "people";

export type SearchRequest = { q: string; kind: SearchKind; page: number };

/** One kind's results on this page, and whether more follow. */
export type HitsPage<T> = { items: T[]; more: boolean };

export type SearchResult = SearchRequest & {
  /** False when the text had no words to look for (empty, only punctuation): "no results" without a query. */
  searched: boolean;
  people: HitsPage<PersonHit> | null;
  posts: HitsPage<PostHit> | null;
};

/** Reads `q`, `type` and `page` leniently: anything unexpected falls back to the default. */
export function parseSearchRequest(query: (name: string) => string | undefined, parsePage: (raw: string | undefined) => number): SearchRequest {
  return {
    q: (query("q") ?? "").slice(0, MAX_QUERY_CHARS).trim(),
    kind: query("type") === "people" ? "people" : "all",
    page: parsePage(query("page")),
  };
}

function pageOf<T>(rows: T[] | null, perPage: number): HitsPage<T> | null {
  return rows && { items: rows.slice(0, perPage), more: rows.length > perPage };
}

/** `viewerId`: the member searching (null for visitors); members blocked either way are not found. */
export async function search(db: Db, req: SearchRequest, viewerId: Searcher = null): Promise<SearchResult> {
  const match = ftsQuery(req.q);
  if (!match || req.page > MAX_SEARCH_PAGE) {
    return { ...req, searched: !!match, people: match && req.kind === "people" ? { items: [], more: false } : null, posts: null };
  }
  if (req.kind === "people") {
    const { people } = await searchBoth(db, match, { limit: PEOPLE_HITS_PER_PAGE + 1, offset: (req.page - 1) * PEOPLE_HITS_PER_PAGE }, null, viewerId);
    return { ...req, searched: true, people: pageOf(people, PEOPLE_HITS_PER_PAGE), posts: null };
  }
  // The people preview is on the first page only; later pages turn the posts' pages.
  const peopleAsk = req.page === 1 ? { limit: PEOPLE_PREVIEW + 1, offset: 0 } : null;
  const r = await searchBoth(db, match, peopleAsk, { limit: POST_HITS_PER_PAGE + 1, offset: (req.page - 1) * POST_HITS_PER_PAGE }, viewerId);
  return { ...req, searched: true, people: pageOf(r.people, PEOPLE_PREVIEW), posts: pageOf(r.posts, POST_HITS_PER_PAGE) };
}

/** The query string of another page (or kind) of the same search. */
export function searchQuery(q: string, kind: SearchKind, page: number): string {
  const params = new URLSearchParams({ q });
  if (kind !== "all") params.set("type", kind);
  if (page > 1) params.set("page", String(page));
  return `?${params}`;
}
