// Remote HTML (a note's `content` from another server) reduced to our Markdown output's allowlist before it is
// stored (issue 13): the tags in POST_TAGS (plus `br`, which Mastodon writes for line breaks), no attributes at
// all except a link's `href` when isSafeHref accepts it, and every link given our one `rel`. Everything else
// goes: unknown tags are dropped with their text kept, `script`/`style`/`template`/… with their content,
// comments, doctype and processing instructions entirely. Text is re-escaped (an `&` that does not start an
// entity, every `<`, `>`, `"`), and tags left open are closed, so the result can never break out of the element
// it is put in. There is no DOM sanitizer in workerd: this is a small tokenizer, and test/lib/remote-html.test.ts
// is the table of hostile inputs it must survive.
import { escapeHtml } from "./html";
import { isSafeHref, LINK_REL, POST_TAGS } from "./markdown";

/** Tags whose content is never text a reader should see. */
const DROP_WITH_CONTENT = new Set(["script", "style", "template", "textarea", "title", "noscript", "iframe", "object", "svg", "math", "select"]);

/** Deeper nesting is flattened (its tags dropped, its text kept). */
const MAX_DEPTH = 20;

/** Stored remote notes are cut at this many characters of (sanitized) HTML. */
export const MAX_REMOTE_HTML = 20_000;

const TOKEN = /<!--[\s\S]*?(?:-->|$)|<![^>]*>?|<\?[^>]*>?|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const ENTITY = /&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/iy;

/** Text between tags, escaped; entities that are already entities stay as they are. */
function text(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] ?? "";
    if (ch === "&") {
      ENTITY.lastIndex = i;
      const m = ENTITY.exec(s);
      if (m) {
        out += m[0];
        i += m[0].length - 1;
        continue;
      }
    }
    out += escapeHtml(ch);
  }
  return out;
}

/** The value of attribute `name` in a tag's attribute text (entities in it decoded for &amp; only), or null. */
function attribute(attrs: string, name: string): string | null {
  const re = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'=<>\`]+))`, "i");
  const m = attrs.match(re);
  const value = m ? (m[1] ?? m[2] ?? m[3] ?? "") : null;
  return value === null ? null : value.replace(/&amp;/gi, "&");
}

/**
 * Remote HTML as HTML our pages may show (see the top of this file).
 *
 * @example sanitizeRemoteHtml('<p>Hi <a href="https://x.example/" onclick="x()">x</a><script>y()</script></p>')
 * // '<p>Hi <a href="https://x.example/" rel="nofollow ugc noopener">x</a></p>'
 */
export function sanitizeRemoteHtml(html: string, max = MAX_REMOTE_HTML): string {
  let out = "";
  const open: string[] = [];
  let dropping: string | null = null;
  let last = 0;
  for (const m of html.matchAll(TOKEN)) {
    const before = html.slice(last, m.index);
    last = m.index + m[0].length;
    if (dropping === null) out += text(before);
    const name = m[2]?.toLowerCase();
    if (!name) continue; // a comment, doctype or processing instruction
    const closing = m[1] === "/";
    if (dropping !== null) {
      if (closing && name === dropping) dropping = null;
      continue;
    }
    if (DROP_WITH_CONTENT.has(name)) {
      if (!closing && !/\/\s*$/.test(m[3] ?? "")) dropping = name;
      continue;
    }
    if (name === "br") {
      if (!closing) out += "<br>";
      continue;
    }
    if (!POST_TAGS.has(name) || (!closing && open.length >= MAX_DEPTH)) continue;
    if (closing) {
      const at = open.lastIndexOf(name);
      if (at < 0) continue;
      // Close what was opened inside it too, so the nesting stays well formed.
      out += open
        .splice(at)
        .reverse()
        .map((t) => `</${t}>`)
        .join("");
      continue;
    }
    if (name === "a") {
      const href = attribute(m[3] ?? "", "href");
      out += href !== null && isSafeHref(href) ? `<a href="${escapeHtml(href)}" rel="${LINK_REL}">` : "<a>";
    } else {
      out += `<${name}>`;
    }
    open.push(name);
  }
  if (dropping === null) out += text(html.slice(last));
  out += open
    .reverse()
    .map((t) => `</${t}>`)
    .join("");
  return out.length > max ? sanitizeRemoteHtml(truncateText(out, max), max) : out;
}

/** Cuts sanitized HTML to about `max` characters without cutting inside a tag or an entity (closing tags are re-added by the caller). */
function truncateText(html: string, max: number): string {
  const cut = html.slice(0, max - 400);
  const lt = cut.lastIndexOf("<");
  const amp = cut.lastIndexOf("&");
  const safe = lt > cut.lastIndexOf(">") ? cut.slice(0, lt) : amp > cut.lastIndexOf(";") ? cut.slice(0, amp) : cut;
  return `${safe}…`;
}
