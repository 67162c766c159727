// Turning what someone typed into an SQLite FTS5 query, and FTS5's highlighted text into safe HTML.
//
// Users never write FTS5 syntax: their words are pulled out of the text and each is double-quoted (a
// quoted string is always a plain token sequence in FTS5), so operators, column filters, unbalanced quotes
// or stray punctuation can never reach the parser as syntax. The last word is a prefix ("ca" finds "cat")
// because active search asks while the person is still typing. Everything is bound as a parameter.
//
// snippet()/highlight() copy stored text verbatim and wrap matches in the markers we choose, so their output
// is user HTML. We ask for control-character markers, escape everything, and only then turn the markers into
// <mark> tags, balancing them. Stored text may itself contain a marker character; at worst that shifts a
// <mark>, it can never produce markup of the user's choosing.

/** Longest query text looked at (characters); the rest is ignored. Real searches are a few words. */
export const MAX_QUERY_CHARS = 200;
/** At most this many words are searched for (AND-ed): each costs an index lookup. */
export const MAX_QUERY_TERMS = 8;

/** The markers handed to snippet()/highlight() (SQL: char(2), char(3)). */
export const MARK_OPEN = "\u0002";
export const MARK_CLOSE = "\u0003";

// unicode61 splits on everything but letters, numbers (and marks inside words): the same classes here,
// so a quoted term is exactly one FTS token.
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** The words of a query, lower-cased, at most MAX_QUERY_TERMS, duplicates dropped. */
export function queryTerms(input: string): string[] {
  const words = String(input ?? "")
    .slice(0, MAX_QUERY_CHARS)
    .toLowerCase()
    .match(WORD);
  return [...new Set(words ?? [])].slice(0, MAX_QUERY_TERMS);
}

/** The last word's completions are looked for one by one when the index has at most this many (see FtsSearch). */
export const MAX_PREFIX_TERMS = 64;

/**
 * What a search looks for, with the last word (the one being typed) apart: `head`, the other words, each quoted
 * and followed by " AND " ("" for one word); `exact`, the last word quoted; `prefix`, the same as an FTS5 prefix
 * query ('"ca"*'). `range`: the index terms that start with the last word are those from `range[0]` (included)
 * to `range[1]` (excluded) — given when the word is plain ASCII letters and digits, which the tokenizer keeps as
 * they are (so they are spelled as the index spells them); null otherwise (accents, other scripts: the tokenizer's
 * folding decides), and then only `prefix` finds the completions. The search (features/search/queries.ts) lists
 * the vocabulary in that range and looks for those exact terms, which FTS5 reads lazily, newest first; a prefix
 * query merges every completion's whole doclist first.
 * @example ftsSearch('say "hi') // { head: '"say" AND ', exact: '"hi"', prefix: '"hi"*', range: ["hi", "hj"] }
 */
export type FtsSearch = { head: string; exact: string; prefix: string; range: [string, string] | null };

const quoted = (term: string) => `"${term.replaceAll('"', '""')}"`;

/** `input` as an FtsSearch, or null when it has no words (only punctuation, empty): then the answer is "no results". */
export function ftsSearch(input: string): FtsSearch | null {
  const terms = queryTerms(input);
  const last = terms.pop();
  if (last === undefined) return null;
  return {
    head: terms.map((t) => `${quoted(t)} AND `).join(""),
    exact: quoted(last),
    prefix: `${quoted(last)}*`,
    // ASCII: the first string after all those that start with `last` is `last` with its last character plus one.
    range: /^[a-z0-9]+$/.test(last) ? [last, `${last.slice(0, -1)}${String.fromCharCode(last.charCodeAt(last.length - 1) + 1)}`] : null,
  };
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * FTS5 snippet()/highlight() output (matches between MARK_OPEN and MARK_CLOSE) → HTML: the text escaped,
 * matches in <mark>. Markers that do not pair up are dropped, and an open <mark> is closed at the end.
 */
export function markedToHtml(marked: string | null | undefined): string {
  let out = "";
  let open = false;
  for (const ch of String(marked ?? "")) {
    if (ch === MARK_OPEN) {
      if (!open) out += "<mark>";
      open = true;
    } else if (ch === MARK_CLOSE) {
      if (open) out += "</mark>";
      open = false;
    } else out += ESCAPES[ch] ?? ch;
  }
  return open ? `${out}</mark>` : out;
}
