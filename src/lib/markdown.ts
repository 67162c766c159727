// Markdown → HTML for user content: post bodies (`posts.body_html`) and comment bodies (`comments.body_html`).
//
// Flasky runs `bleach.clean(markdown(body), tags=allowed, strip=True)` + `bleach.linkify`: render everything, then
// let an HTML sanitizer cut it back. Workers have no DOM, and DOM-based sanitizers (DOMPurify over a fake DOM)
// silently return their input unchanged there, so "render then sanitize" is not an option. Instead the output is
// safe BY CONSTRUCTION: markdown-it parses the source into tokens, and our renderer is the only thing that turns
// tokens into HTML, emitting nothing but an allowlist of tags:
//   - `html: false`: raw HTML in the source never becomes an html_block/html_inline token; it stays text and is
//     escaped (the html renderer rules escape too, in case the option is ever flipped).
//   - every attribute is dropped (no class, start, title, src, alt ...), except `href` + a fixed `rel` on <a>;
//   - links must be absolute http:, https: or mailto: (checked when parsed via `validateLink`, and again when
//     rendered); anything else stays as its literal source text;
//   - tokens whose tag is not allowlisted render as nothing (their text content is still rendered, escaped):
//     images become their alt text, hr disappears, line breaks are text newlines (no <br>), h4-h6 become h3;
//   - tables and ~~strikethrough~~ are not parsed at all (the source stays text).
// Posts allow exactly Flasky's post tags; comments allow only inline tags and are flattened (see below).
// Posts also turn #hashtags into links to /tags/<tag> and @username mentions into links to /user/<name>
// (an inline rule, so never inside code, links or URLs; see `socialRule`), and report the tags they found.
// Both functions are pure and deterministic; the output has no leading/trailing newline.

import type { MarkdownIt as MarkdownItInstance, Renderer, RendererRule, StateInline, Token } from "markdown-it";
import MarkdownIt from "markdown-it";

/** Longest post body accepted (characters). */
export const MAX_POST_LENGTH = 5000;
/** Longest comment body accepted (characters). */
export const MAX_COMMENT_LENGTH = 1000;

/** Flasky's post allowlist. `abbr`/`acronym`/`b`/`i` are allowed but never produced (raw HTML is text). */
export const POST_TAGS: ReadonlySet<string> = new Set([
  "a",
  "abbr",
  "acronym",
  "b",
  "blockquote",
  "code",
  "em",
  "i",
  "li",
  "ol",
  "pre",
  "strong",
  "ul",
  "h1",
  "h2",
  "h3",
  "p",
]);
/** Flasky's comment allowlist: inline tags only. */
export const COMMENT_TAGS: ReadonlySet<string> = new Set(["a", "abbr", "acronym", "b", "code", "em", "i", "strong"]);

/** The one `rel` every link carries: user content is not endorsed, and gets no `window.opener`. */
export const LINK_REL = "nofollow ugc noopener";

const SAFE_SCHEMES = new Set(["http:", "https:", "mailto:"]);

/**
 * True for an absolute http(s) URL with a host, or a mailto: URL with an address. Everything else is refused:
 * other schemes (javascript:, data:, vbscript:, file:, ftp: ...), relative and protocol-relative URLs, and
 * anything with whitespace or control characters (which browsers strip, e.g. "java\tscript:").
 */
export function isSafeHref(url: string): boolean {
  if (typeof url !== "string" || url.length === 0) return false;
  if (/[\u0000-\u0020\u007f-\u009f\\]/.test(url)) return false;
  if (!/^(?:https?:\/\/[^/?#]|mailto:[^/?#])/i.test(url)) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (!SAFE_SCHEMES.has(parsed.protocol)) return false;
  return parsed.protocol === "mailto:" ? parsed.pathname.length > 0 : parsed.hostname.length > 0;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
/** Escapes text and attribute values (attributes are always double-quoted). */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => HTML_ESCAPES[c]!);
}

/** h4-h6 are not allowed: they render as h3 (the smallest allowed heading) so the text keeps its emphasis. */
function mapTag(tag: string): string {
  return tag === "h4" || tag === "h5" || tag === "h6" ? "h3" : tag;
}

/**
 * markdown-it's default `renderToken`, minus attributes, restricted to `allowed`. Tags outside the allowlist (and
 * any void tag: none is allowed) render as nothing. `a` is rendered only by the link rules below.
 */
function allowlistRenderToken(allowed: ReadonlySet<string>): Renderer["renderToken"] {
  return function renderToken(tokens, idx) {
    const token = tokens[idx]!;
    if (token.hidden || token.nesting === 0) return "";
    const tag = mapTag(token.tag);
    if (tag === "a" || !allowed.has(tag)) return "";
    let result = "";
    let prev = idx - 1;
    while (prev >= 0 && tokens[prev]!.hidden && tokens[prev]!.nesting === 0) prev--;
    if (token.block && token.nesting !== -1 && prev >= 0 && tokens[prev]!.hidden && tokens[prev]!.nesting === -1) result += "\n";
    result += (token.nesting === -1 ? "</" : "<") + tag;
    let needLf = false;
    if (token.block) {
      needLf = true;
      if (token.nesting === 1) {
        let next = idx + 1;
        while (next < tokens.length && tokens[next]!.hidden && tokens[next]!.nesting === 0) next++;
        const nextToken = tokens[next];
        if (nextToken && (nextToken.type === "inline" || nextToken.hidden)) needLf = false;
        else if (nextToken && nextToken.nesting === -1 && nextToken.tag === token.tag) needLf = false;
      }
    }
    return result + (needLf ? ">\n" : ">");
  };
}

function linkHref(token: Token | undefined): string | null {
  const href = token?.attrGet("href");
  return typeof href === "string" && isSafeHref(href) ? href : null;
}

/** The link_open matching the link_close at `idx` (links do not nest, but count depth anyway). */
function matchingLinkOpen(tokens: Token[], idx: number): Token | undefined {
  let depth = 0;
  for (let i = idx - 1; i >= 0; i--) {
    const t = tokens[i]!;
    if (t.type === "link_close") depth++;
    else if (t.type === "link_open") {
      if (depth === 0) return t;
      depth--;
    }
  }
  return undefined;
}

const linkOpen: RendererRule = (tokens, idx) => {
  const href = linkHref(tokens[idx]);
  // Only `href` (escaped) and the fixed `rel`; the title and any other attribute are dropped.
  return href === null ? "" : `<a href="${escapeHtml(href)}" rel="${LINK_REL}">`;
};
const linkClose: RendererRule = (tokens, idx) => (linkHref(matchingLinkOpen(tokens, idx)) === null ? "" : "</a>");

// --- #hashtags and @mentions (posts only) ---------------------------------------------------------------
// A tag is '#', an ASCII letter, then up to 49 letters, digits or '_' (migrations/0007_post_tags.sql backfills
// with this same rule, so it stays ASCII); a mention is '@' and a username (lib/validators USERNAME_PATTERN,
// without a trailing '.', which ends a sentence). Either must start the text or follow a space, tab or
// newline — so "a@b.c", "x#y" and URL fragments stay what they were.
// Mentions link every well-formed name, with no query at write time: a name nobody has leads to the profile
// page's "no such user" 404; a name registered later starts working.

/** Longest hashtag (characters after '#'). */
export const MAX_TAG_LENGTH = 50;
const HASHTAG = /^#([A-Za-z][A-Za-z0-9_]{0,49})(?![A-Za-z0-9_])/;
const MENTION = /^@([A-Za-z][A-Za-z0-9_.]{0,63})(?![A-Za-z0-9_.])/;
/** What /tags/<tag> accepts: a tag as stored (lower-cased). */
export const TAG_PATTERN = /^[a-z][a-z0-9_]{0,49}$/;
// Not after '(': a refused link such as "[x](#top)" stays its literal text.
const BEFORE_SOCIAL = new Set(["", " ", "\t", "\n", "\r"]);

/** What rendering a post collected: its hashtags (lower-cased, unique) and the usernames it mentions. */
export type PostEnv = { tags?: Set<string>; mentions?: Set<string> };

function socialRule(state: StateInline, silent: boolean): boolean {
  const ch = state.src[state.pos];
  if ((ch !== "#" && ch !== "@") || state.linkLevel > 0) return false;
  if (!BEFORE_SOCIAL.has(state.pos === 0 ? "" : state.src[state.pos - 1]!)) return false;
  const rest = state.src.slice(state.pos, state.pos + 80);
  const m = ch === "#" ? HASHTAG.exec(rest) : MENTION.exec(rest);
  if (!m) return false;
  // A mention's trailing dots end the sentence, not the name.
  const name = ch === "@" ? m[1]!.replace(/\.+$/, "") : m[1]!;
  if (!silent) {
    const token = state.push(ch === "#" ? "hashtag" : "mention", "", 0);
    token.content = name;
    // markdown-it types env as an open record of unknowns; renderPost passes a PostEnv's sets.
    const found = ch === "#" ? state.env.tags : state.env.mentions;
    if (found instanceof Set) found.add(ch === "#" ? name.toLowerCase() : name);
  }
  state.pos += name.length + 1;
  return true;
}

function enableSocial(md: MarkdownItInstance) {
  md.inline.ruler.before("linkify", "social", socialRule);
  const link = (href: string, text: string) => `<a href="${escapeHtml(href)}" rel="${LINK_REL}">${escapeHtml(text)}</a>`;
  md.renderer.rules.hashtag = (tokens: Token[], idx: number) => link(`/tags/${tokens[idx]!.content.toLowerCase()}`, `#${tokens[idx]!.content}`);
  md.renderer.rules.mention = (tokens: Token[], idx: number) => link(`/user/${encodeURIComponent(tokens[idx]!.content)}`, `@${tokens[idx]!.content}`);
}

/** Builds a configured markdown-it instance whose renderer can only emit `allowed` tags. */
function createMarkdown(allowed: ReadonlySet<string>, disabledRules: string[]) {
  const md = new MarkdownIt("default", { html: false, linkify: true, typographer: false, breaks: false, xhtmlOut: false });
  md.disable(["table", "strikethrough", ...disabledRules]);
  md.validateLink = isSafeHref;

  const r = md.renderer;
  r.renderToken = allowlistRenderToken(allowed);
  r.renderAttrs = () => "";
  const rules = r.rules;
  rules.link_open = linkOpen;
  rules.link_close = linkClose;
  rules.text = (tokens, idx) => escapeHtml(tokens[idx]!.content);
  rules.code_inline = (tokens, idx) => (allowed.has("code") ? `<code>${escapeHtml(tokens[idx]!.content)}</code>` : escapeHtml(tokens[idx]!.content));
  // Code blocks: `<pre><code>` with no class (the fence language is dropped), or bare `<code>` when pre is not allowed.
  const codeBlock: RendererRule = (tokens, idx) => {
    const content = escapeHtml(tokens[idx]!.content);
    if (allowed.has("pre")) return `<pre><code>${content}</code></pre>\n`;
    return allowed.has("code") ? `<code>${content.replace(/\n$/, "")}</code>` : content;
  };
  rules.code_block = codeBlock;
  rules.fence = codeBlock;
  // An image is its alt text, as plain escaped text (no <img>, no src request to a third party).
  rules.image = (tokens, idx, options, env, slf) => escapeHtml(slf.renderInlineAsText(tokens[idx]!.children ?? [], options, env));
  rules.hardbreak = () => "\n";
  rules.softbreak = () => "\n";
  rules.hr = () => "";
  // Unreachable with `html: false`; escaped anyway so flipping the option can never pass HTML through.
  rules.html_block = (tokens, idx) => escapeHtml(tokens[idx]!.content);
  rules.html_inline = (tokens, idx) => escapeHtml(tokens[idx]!.content);
  return md;
}

const postMd = createMarkdown(POST_TAGS, []);
enableSocial(postMd);
// Comments: only paragraphs are parsed as blocks. Headings, lists, quotes, code blocks, rules and reference
// definitions are not recognised, so their markers ("# ", "- ", "> ", "```") stay visible as typed text.
const commentMd = createMarkdown(COMMENT_TAGS, ["heading", "lheading", "list", "blockquote", "code", "fence", "hr", "reference", "html_block"]);

function trimNewlines(html: string): string {
  return html.replace(/^\n+|\n+$/g, "");
}

/** Post body → HTML with only Flasky's post tags (a, abbr, acronym, b, blockquote, code, em, i, li, ol, pre, strong, ul, h1-h3, p). */
export function renderPostMarkdown(source: string): string {
  return renderPost(source).html;
}

/** A post's HTML with the hashtags (lower-cased, in order of first use) and mentioned usernames it contains. */
export function renderPost(source: string): { html: string; tags: string[]; mentions: string[] } {
  const env = { tags: new Set<string>(), mentions: new Set<string>() } satisfies PostEnv;
  const html = trimNewlines(postMd.render(String(source ?? ""), env));
  return { html, tags: [...env.tags], mentions: [...env.mentions] };
}

/**
 * Comment body → HTML with only inline tags (a, abbr, acronym, b, code, em, i, strong). There are no block
 * elements: each paragraph's inline HTML is joined to the next with a single "\n" text newline, and line breaks
 * inside a paragraph are "\n" too (no <br>; style comments with `white-space: pre-line` to show them).
 */
export function renderCommentMarkdown(source: string): string {
  const env = {};
  const tokens = commentMd.parse(String(source ?? ""), env);
  const parts: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    let html = "";
    if (token.type === "inline") html = commentMd.renderer.renderInline(token.children ?? [], commentMd.options, env);
    else if (token.type === "code_block" || token.type === "fence")
      html = commentMd.renderer.rules[token.type]!(tokens, i, commentMd.options, env, commentMd.renderer);
    // Every other block token (paragraph_open/close) carries no text: skipped.
    if (html !== "") parts.push(html);
  }
  return trimNewlines(parts.join("\n"));
}

/**
 * A post's opening words as plain text, for places that name a post without showing it (the moderation list):
 * the text of its blocks joined by spaces, cut at a word boundary within `max` characters, with "…" if cut.
 */
export function markdownExcerpt(source: string, max = 64): string {
  const env = {};
  const words: string[] = [];
  for (const token of postMd.parse(String(source ?? ""), env)) {
    if (token.type === "inline") words.push(postMd.renderer.renderInlineAsText(token.children ?? [], postMd.options, env));
    else if (token.type === "code_block" || token.type === "fence") words.push(token.content);
  }
  const text = words.join(" ").replace(/\s+/g, " ").trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : text.slice(0, max)).replace(/[\s.,;:!?-]+$/, "")}…`;
}

// Plain text with clickable links (private messages): markdown-it's "zero" preset parses no Markdown at all,
// only its linkify rule is on, so everything typed stays text (escaped) and bare URLs become the same safe
// links as in posts (isSafeHref, fixed rel). Line breaks stay "\n" text (styled with white-space: pre-line).
const plainMd = new MarkdownIt("zero", { html: false, linkify: true, typographer: false, breaks: false });
plainMd.enable(["linkify"]);
plainMd.validateLink = isSafeHref;
plainMd.renderer.renderAttrs = () => "";
plainMd.renderer.rules.link_open = linkOpen;
plainMd.renderer.rules.link_close = linkClose;
plainMd.renderer.rules.text = (tokens, idx) => escapeHtml(tokens[idx]!.content);

/** Plain text → escaped HTML whose only tags are links made from bare URLs. */
export function renderPlainTextWithLinks(source: string): string {
  return plainMd.renderInline(String(source ?? ""));
}
