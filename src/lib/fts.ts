// Turning what someone typed into an SQLite FTS5 query, and FTS5's highlighted text into safe HTML.
//
// Users never write FTS5 syntax: their words are pulled out of the text and each is double-quoted (a
// quoted string is always a plain token sequence in FTS5), so operators, column filters, unbalanced quotes
// or stray punctuation can never reach the parser as syntax. The last word is a prefix ("ca" finds "cat")
// because active search asks while the person is still typing. The result is bound as a parameter.
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

/**
 * The FTS5 MATCH expression for `input`, or null when it has no words (only punctuation, empty): then
 * there is nothing to search and the answer is "no results". Every term is quoted; the last is a prefix.
 * @example ftsQuery('say "hi') // '"say" "hi"*'
 */
export function ftsQuery(input: string): string | null {
  const terms = queryTerms(input);
  if (terms.length === 0) return null;
  return terms.map((t, i) => `"${t.replaceAll('"', '""')}"${i === terms.length - 1 ? "*" : ""}`).join(" ");
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
