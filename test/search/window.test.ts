// Search's cost is bounded whatever the number of matches: it ranks the newest SEARCH_WINDOW matches (best
// first), and "Older matches" continues with the next window through a `before` cursor, so every match is
// reachable once, page 1 and the last page cost the same, and new posts never shift an older window.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { SEARCH_WINDOW } from "../../src/features/search";
import { API, apiUser } from "../api/helpers";
import { confirmedUser } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { d1Queries, d1RowsRead } from "../helpers/http";
import { insertPost, link } from "../helpers/posts";

const EXTRA = 30;
const TOTAL = SEARCH_WINDOW + EXTRA;
/** The pages of the newest window, then of the next one (20 a page). */
const PAGES = Math.ceil(SEARCH_WINDOW / 20) + Math.ceil(EXTRA / 20);

const hitIds = (html: string) => [...html.matchAll(/<li class="post search-hit" id="post-(\d+)"/g)].map((m) => Number(m[1]));
const get = (path: string) => new Client().get(path);

let word: string;
/** Post ids, oldest first: the EXTRA oldest say the word three times (bm25's favourites), the rest once. */
let ids: number[];

/** `n` posts with the word, a minute apart from `start`: the `strong` oldest say it three times, the rest once. */
async function insertMatches(authorId: number, n: number, strong: number, start: number) {
  // One statement (the FTS triggers fire per row).
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
     INSERT INTO posts (author_id, body, body_html, created_at, updated_at)
     SELECT ?2, CASE WHEN i <= ?3 THEN ?4 || ' ' || ?4 || ' ' || ?4 ELSE ?4 || ' and some other words, number ' || i END, '', ?5 + i * 60000, ?5 + i * 60000 FROM n`,
  )
    .bind(n, authorId, strong, word, start)
    .run();
}

beforeAll(async () => {
  const u = await confirmedUser("swin");
  word = `wombat${Math.random()
    .toString(36)
    .replace(/[^a-z]/g, "")
    .slice(0, 6)}`;
  await insertMatches(u.id, TOTAL, EXTRA, Date.now() - TOTAL * 60_000);
  const { results } = await env.DB.prepare("SELECT id FROM posts WHERE author_id = ? ORDER BY id").bind(u.id).all<{ id: number }>();
  ids = results.map((r) => r.id);
  expect(ids).toHaveLength(TOTAL);
});

describe("a word in more posts than the window", () => {
  it("page 1 is the best of the newest matches, not of all: the strongest (older) matches wait for their window", async () => {
    const html = await (await get(`/search?q=${word}`)).text();
    const shown = hitIds(html);
    expect(shown).toHaveLength(20);
    const strongest = new Set(ids.slice(0, EXTRA));
    expect(shown.filter((id) => strongest.has(id))).toEqual([]);
    // Equal ranks among the newest: newest first.
    expect(shown).toEqual(ids.slice(-20).reverse());
    expect(html).toContain('<span class="muted">Page 1</span>');
  });

  it("pages through every match exactly once, across the window, following the links", async () => {
    const seen: number[] = [];
    let next: string | null = `/search?q=${word}`;
    let pages = 0;
    let crossing = "";
    while (next) {
      const html = await (await get(next)).text();
      pages += 1;
      seen.push(...hitIds(html));
      const following = link(html, "next");
      if (following?.includes("before=")) crossing ||= html;
      next = following;
      expect(pages).toBeLessThanOrEqual(PAGES);
    }
    expect(pages).toBe(PAGES);
    expect(new Set(seen).size).toBe(TOTAL);
    expect([...seen].sort((a, b) => a - b)).toEqual(ids);
    // The window's last page offers the older matches; the next window starts with its best (the triple ones).
    expect(crossing).toContain(`Page ${SEARCH_WINDOW / 20}`);
    expect(crossing).toContain("Older matches →");
    expect(seen.slice(SEARCH_WINDOW, SEARCH_WINDOW + 20).every((id) => ids.indexOf(id) < EXTRA)).toBe(true);
  });

  it("highlights the word in every hit of every page: page 1, page 2, the window's last page, an older window", async () => {
    const paths = [`/search?q=${word}`, `/search?q=${word}&page=2`, `/search?q=${word}&page=${SEARCH_WINDOW / 20}`, `/search?q=${word}&before=${ids[EXTRA]}`];
    for (const path of paths) {
      const html = await (await get(path)).text();
      const hits = html.split('<li class="post search-hit"').slice(1);
      expect(hits, path).toHaveLength(20);
      for (const hit of hits) expect(hit.slice(0, hit.indexOf("</li>")), path).toContain(`<mark>${word}</mark>`);
    }
  });

  it("an older window is a keyset: a new matching post does not shift it, and it links back to the newest", async () => {
    const before = ids[EXTRA]!;
    const path = `/search?q=${word}&before=${before}`;
    const first = await (await get(path)).text();
    expect(hitIds(first)).toHaveLength(20);
    expect(first).toContain("Older matches, page 1");
    expect(first).toMatch(new RegExp(`<a href="/search\\?q=${word}" rel="first">← Newest matches</a>`));
    expect(link(first, "next")).toBe(`/search?q=${word}&before=${before}&page=2`);
    const u = await confirmedUser("swin2");
    const fresh = await insertPost(u.id, `${word} ${word} ${word} ${word} fresh`, Date.now());
    const again = await (await get(path)).text();
    expect(hitIds(again)).toEqual(hitIds(first));
    expect((await (await get(`/search?q=${word}`)).text()).includes(`id="post-${fresh}"`)).toBe(true);
    await env.DB.prepare("DELETE FROM posts WHERE id = ?").bind(fresh).run();
    const last = await (await get(`${path}&page=2`)).text();
    expect(hitIds(last)).toHaveLength(EXTRA - 20);
    expect(link(last, "next")).toBeNull();
    expect(link(last, "prev")).toBe(path);
  });

  it("costs the same on page 1, the window's last page and an older window, and does not grow with the matches", async () => {
    const paths = [`/search?q=${word}`, `/search?q=${word}&page=${SEARCH_WINDOW / 20}`, `/search?q=${word}&before=${ids[EXTRA]}`];
    const rows: number[] = [];
    for (const path of paths) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(d1Queries(res), path).toBeLessThanOrEqual(2);
      rows.push(d1RowsRead(res));
    }
    // Another window's worth of newer matches: page 1 still ranks 500 of them, so it reads what it read.
    const u = await confirmedUser("swin3");
    await insertMatches(u.id, SEARCH_WINDOW, 0, Date.now());
    const more = d1RowsRead(await get(paths[0]!));
    await env.DB.prepare("DELETE FROM posts WHERE author_id = ?").bind(u.id).run();
    expect(more).toBeLessThanOrEqual(rows[0]! * 1.1);
    // The window's last page also counts the window once (is there an older one to link to?); the others skip that.
    expect(rows[1]).toBeLessThanOrEqual(rows[0]! * 1.1 + SEARCH_WINDOW);
    expect(rows[2]).toBeLessThanOrEqual(rows[0]!);
  });
});

describe("bad cursors", () => {
  const lenient: Array<[string, string]> = [
    ["not a number", "abc"],
    ["zero", "0"],
    ["negative", "-5"],
    ["too long", "9".repeat(30)],
    ["a fraction", "1.5"],
    ["empty", ""],
  ];
  it.each(lenient)("before=%s: the newest matches, 200", async (_name, raw) => {
    const res = await get(`/search?q=${word}&before=${encodeURIComponent(raw)}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<span class="muted">Page 1</span>');
    expect(hitIds(html)).toHaveLength(20);
  });

  it("before the oldest match: no results and a way back; a page past the window: the same", async () => {
    for (const path of [`/search?q=${word}&before=${ids[0]}`, `/search?q=${word}&page=${SEARCH_WINDOW / 20 + 1}`]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html, path).toContain(`No results for “${word}”`);
      expect(html, path).toContain(`<a href="/search?q=${word}">Back to the first page</a>`);
    }
  });

  it("people searches ignore a cursor", async () => {
    const res = await get(`/search?q=${word}&type=people&before=12`);
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain("Older matches");
  });
});

describe("in the API", () => {
  it("next crosses the window with before=; a malformed before is a 400", async () => {
    const u = await apiUser("swinapi");
    const last = await u.api.get(`/search?q=${word}&page=${SEARCH_WINDOW / 20}`);
    expect(last.status).toBe(200);
    expect(last.body.posts).toHaveLength(20);
    expect(last.body.next).toBe(`${API}/search?q=${word}&before=${ids[EXTRA]}`);
    const older = await u.api.get(last.body.next);
    expect(older.status).toBe(200);
    expect(older.body.posts).toHaveLength(20);
    expect(older.body.prev).toBe(`${API}/search?q=${word}`);
    expect(older.body.next).toBe(`${API}/search?q=${word}&before=${ids[EXTRA]}&page=2`);
    for (const bad of ["abc", "0", "-1", "1.5", "9".repeat(16)]) {
      const r = await u.api.get(`/search?q=${word}&before=${bad}`);
      expect(r.status, bad).toBe(400);
      expect(r.body.message, bad).toBe("before: must be a post id (a whole number from 1)");
    }
  });
});
