// Keyset pagination behind ?page=N links. Links carry the page number (for people) and a cursor (for the
// database): `before` = the last item shown, `after` = the first. A bare ?page=N (typed by hand) still
// works through OFFSET; the links the app renders never need it, so page 500 costs what page 1 costs.

import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db";

export type Cursor = { ts: number; id: number };
/** `shown` > 1: that many pages at once from page 1 (what a list looks like after "Load more", see parsePageRequest). */
export type PageRequest = { page: number; before: Cursor | null; after: Cursor | null; shown?: number };

/** The most pages one `?shown=` request returns: bounds its cost (LIMIT 10 pages + 1). */
export const MAX_SHOWN = 10;

const MAX_PAGE = 1_000_000;

export function parsePageNumber(raw: string | undefined): number {
  if (!raw || !/^\d{1,7}$/.test(raw)) return 1;
  const n = Number(raw);
  return n >= 1 && n <= MAX_PAGE ? n : 1;
}

export function encodeCursor(c: Cursor): string {
  return `${c.ts}.${c.id}`;
}

/** `<created_at ms>.<id>`: what links carry. The API's query schema validates with this same pattern. */
export const CURSOR_PATTERN = /^(\d{1,15})\.(\d{1,15})$/;

export function decodeCursor(raw: string | undefined): Cursor | null {
  const m = raw?.match(CURSOR_PATTERN);
  if (!m) return null;
  return { ts: Number(m[1]), id: Number(m[2]) };
}

/**
 * `stackable` lists also take `?shown=N` (2..MAX_SHOWN): pages 1 to N in one list, the URL that "Load
 * more" pushes into history, so Back (which re-requests that URL) shows the same posts.
 */
export function parsePageRequest(query: (name: string) => string | undefined, opts: { stackable?: boolean } = {}): PageRequest {
  const page = parsePageNumber(query("page"));
  const before = decodeCursor(query("before"));
  const after = before ? null : decodeCursor(query("after"));
  // Page 1 never needs a cursor; a cursor on it would only hide the newest items.
  if (page !== 1) return { page, before, after };
  const shown = opts.stackable ? parsePageNumber(query("shown")) : 1;
  return shown > 1 && shown <= MAX_SHOWN ? { page, before: null, after: null, shown } : { page, before: null, after: null };
}

export type KeysetPage<T> = {
  items: T[];
  /** The (last) page number shown; with `?shown=N`, pages firstPage..page are. */
  page: number;
  firstPage?: number;
  /** Query strings for the neighbouring pages, or null at either end. */
  olderQuery: string | null;
  newerQuery: string | null;
};

/**
 * Builds a page from rows fetched with LIMIT perPage + 1 in the request's direction (newest first for
 * `before`/offset, oldest first for `after`), so "is there more" needs no COUNT.
 */
export function buildKeysetPage<T>(req: PageRequest, rows: T[], onePage: number, key: (item: T) => Cursor, extra = ""): KeysetPage<T> {
  const shown = req.shown ?? 1;
  const perPage = onePage * shown;
  const more = rows.length > perPage;
  let items = rows.slice(0, perPage);
  if (req.after) items = items.reverse();
  const hasOlder = req.after ? true : more;
  const hasNewer = req.after ? more || req.page > 2 : req.page > 1;
  const first = items[0];
  const last = items[items.length - 1];
  const q = (page: number, dir: "before" | "after", c: Cursor) => `?page=${page}&${dir}=${encodeCursor(c)}${extra}`;
  const page = req.page + shown - 1;
  return {
    items,
    page,
    ...(shown > 1 ? { firstPage: req.page } : {}),
    olderQuery: hasOlder && last ? q(page + 1, "before", key(last)) : null,
    newerQuery: hasNewer && first ? (req.page - 1 === 1 ? `?page=1${extra}` : q(req.page - 1, "after", key(first))) : null,
  };
}

/** What a keyset list is made of: the SELECT (with its joins), the filter, and the (time, id) sort key. */
export type KeysetQuery = { select: SQL; where: SQL; ts: SQL; id: SQL };

/**
 * The SQL for one page, newest first, fetching one extra row so buildKeysetPage knows if there is more:
 * `before` walks down the (ts, id) index from a cursor, `after` walks up from one (and buildKeysetPage
 * reverses), a bare page number falls back to OFFSET.
 */
export function keysetPageSql(q: KeysetQuery, req: PageRequest, perPage: number): SQL {
  const { select, where, ts, id } = q;
  const limit = perPage * (req.shown ?? 1) + 1;
  if (req.before) return sql`${select} WHERE ${where} AND (${ts}, ${id}) < (${req.before.ts}, ${req.before.id}) ORDER BY ${ts} DESC, ${id} DESC LIMIT ${limit}`;
  if (req.after) return sql`${select} WHERE ${where} AND (${ts}, ${id}) > (${req.after.ts}, ${req.after.id}) ORDER BY ${ts} ASC, ${id} ASC LIMIT ${limit}`;
  return sql`${select} WHERE ${where} ORDER BY ${ts} DESC, ${id} DESC LIMIT ${limit} OFFSET ${(req.page - 1) * perPage}`;
}

/**
 * A page of a list that belongs to one owner (a user's posts, a post's comments): whether the owner
 * exists and the list's total (null where counting would read too much) come with the page.
 */
export type OwnedPage<T> = KeysetPage<T> & { found: boolean; total: number | null };

/** The one-row header of an owned list: `found` (a boolean expression) and `total` (a count, or NULL). */
export type ListHeader = { found: SQL; total: SQL };

/** The outer ORDER BY of a wrapped page must repeat its direction: a join does not keep a subquery's order. */
export const pageDirection = (req: PageRequest) => (req.after ? sql`ASC` : sql`DESC`);

/** A page row without the header's columns (a copy: typed as T with them optional, so they can be deleted). */
function withoutHeader<T>(r: T & { found: number; total: number | null }): T {
  const row: T & { found?: number; total?: number | null } = { ...r };
  delete row.found;
  delete row.total;
  return row;
}

/**
 * Runs a page query (from keysetPageSql, its columns read as `l.*`) together with its header as a single
 * statement, so a list costs one round trip: the header LEFT JOINs the page, so an empty page still
 * returns the header row (with NULL page columns). `order` gets the direction and sorts on `l.` columns.
 */
export async function pageWithHeader<T extends { id: number }>(
  db: Db,
  header: ListHeader,
  page: SQL,
  order: (dir: SQL) => SQL,
  req: PageRequest,
): Promise<{ found: boolean; total: number | null; rows: T[] }> {
  const rows = await db.all<T & { found: number; total: number | null }>(
    sql`SELECT h.found, h.total, l.* FROM (SELECT ${header.found} AS found, ${header.total} AS total) AS h LEFT JOIN (${page}) AS l ON 1 = 1 ORDER BY ${order(pageDirection(req))}`,
  );
  const head = rows[0];
  const items = rows.filter((r) => r.id !== null).map(withoutHeader);
  return { found: !!head?.found, total: head?.total ?? null, rows: items };
}
