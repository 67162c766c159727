// User Markdown → HTML (src/lib/markdown.ts): exact output for posts and comments, and properties over random
// hostile input: only allowlisted tags, attributes only href+rel on <a>, only http(s)/mailto hrefs, deterministic.
// Runs in plain Node (the vitest "node" project: no DOM, as in workerd, where the app renders Markdown in every post test).
import { describe, expect, it } from "vitest";
import {
  COMMENT_TAGS,
  isSafeHref,
  MAX_COMMENT_LENGTH,
  MAX_POST_LENGTH,
  POST_TAGS,
  renderCommentMarkdown,
  renderPost,
  renderPostMarkdown,
} from "../../src/lib/markdown";
// Data: exact-output cases, [name, input, expected HTML] (links written out in full, the HTML a() below
// builds), and hrefs that must never become links.
import COMMENT_CASES from "./fixtures/markdown-comment-cases.json";
import POST_CASES from "./fixtures/markdown-post-cases.json";
import UNSAFE_HREFS from "./fixtures/unsafe-hrefs.json";

const REL = 'rel="nofollow ugc noopener"';
const a = (href: string, text: string) => `<a href="${href}" ${REL}>${text}</a>`;

describe("renderPostMarkdown", () => {
  it("has enough exact-output cases", () => expect(POST_CASES.length).toBeGreaterThanOrEqual(40));
  it.each(POST_CASES)("%s", (_name, input, expected) => {
    expect(renderPostMarkdown(input)).toBe(expected);
  });
});

// #hashtags and @mentions: links to /tags/<tag> and /user/<name>, only where they start a word.
const SOCIAL_CASES: Array<[string, string, string, string[]]> = [
  ["a tag", "#roost", `<p>${a("/tags/roost", "#roost")}</p>`, ["roost"]],
  ["a tag is lower-cased in the link, kept in the text", "Hello #World!", `<p>Hello ${a("/tags/world", "#World")}!</p>`, ["world"]],
  ["after a newline, not after '(' (a refused link stays text)", "(#one)\n#two [x](#top)", `<p>(#one)\n${a("/tags/two", "#two")} [x](#top)</p>`, ["two"]],
  ["a repeated tag is listed once", "#a #A", `<p>${a("/tags/a", "#a")} ${a("/tags/a", "#A")}</p>`, ["a"]],
  ["not inside a word", "x#y c#", "<p>x#y c#</p>", []],
  ["not a digit first", "#1 #_x", "<p>#1 #_x</p>", []],
  ["not longer than 50", `#${"x".repeat(51)}`, `<p>#${"x".repeat(51)}</p>`, []],
  ["50 is fine", `#${"x".repeat(50)}`, `<p>${a(`/tags/${"x".repeat(50)}`, `#${"x".repeat(50)}`)}</p>`, ["x".repeat(50)]],
  ["not in code", "`#code` and\n\n    #block", "<p><code>#code</code> and</p>\n<pre><code>#block\n</code></pre>", []],
  ["not in a link's text", "[#in](http://a.b)", `<p>${a("http://a.b", "#in")}</p>`, []],
  ["not in a URL fragment", "http://a.b/#frag", `<p>${a("http://a.b/#frag", "http://a.b/#frag")}</p>`, []],
  ["a heading stays a heading", "## two #tag", `<h2>two ${a("/tags/tag", "#tag")}</h2>`, ["tag"]],
  ["non-ASCII letters end a tag", "#café", `<p>${a("/tags/caf", "#caf")}é</p>`, ["caf"]],
  ["a mention", "hi @Bob_1.", `<p>hi ${a("/user/Bob_1", "@Bob_1")}.</p>`, []],
  ["a mention with a dot inside", "@a.b", `<p>${a("/user/a.b", "@a.b")}</p>`, []],
  ["an email is not a mention", "a@b.c", `<p>${a("mailto:a@b.c", "a@b.c")}</p>`, []],
  ["markup around stays escaped", "<b>#x</b>", "<p>&lt;b&gt;#x&lt;/b&gt;</p>", []],
];

describe("hashtags and mentions (posts)", () => {
  it.each(SOCIAL_CASES)("%s", (_name, input, html, tags) => {
    const r = renderPost(input);
    expect(r.html).toBe(html);
    expect(r.tags).toEqual(tags);
  });

  it("lists the mentioned usernames", () => {
    expect(renderPost("@ann and @bob, @ann again").mentions).toEqual(["ann", "bob"]);
  });

  it("comments keep them as text", () => {
    expect(renderCommentMarkdown("#tag @bob")).toBe("#tag @bob");
  });
});

describe("renderCommentMarkdown", () => {
  it("has enough exact-output cases", () => expect(COMMENT_CASES.length).toBeGreaterThanOrEqual(15));
  it.each(COMMENT_CASES)("%s", (_name, input, expected) => {
    expect(renderCommentMarkdown(input)).toBe(expected);
  });
});

describe("isSafeHref", () => {
  it.each(["http://a.b", "https://a.b/c?d#e", "HTTP://A.B", "mailto:a@b.c"])("accepts %j", (url) => {
    expect(isSafeHref(url)).toBe(true);
  });
  it.each(UNSAFE_HREFS)("refuses %j", (url) => {
    expect(isSafeHref(url)).toBe(false);
  });
});

// ---- properties over hostile random input ----

const TAG_RE = /<\/?([a-zA-Z0-9]+)([^>]*)>/g;
const A_ATTRS_RE = new RegExp(`^ href="([^"]*)" ${REL}$`);

/** Every problem with `html` against `allowed`; [] when it is fine. */
function violations(html: string, allowed: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const m of html.matchAll(TAG_RE)) {
    const [whole, name = "", attrs = ""] = m;
    if (!allowed.has(name)) problems.push(`tag not allowed: ${whole}`);
    const closing = whole.startsWith("</");
    if (name === "a" && !closing) {
      const href = A_ATTRS_RE.exec(attrs)?.[1];
      if (href === undefined) problems.push(`bad <a> attributes: ${whole}`);
      else {
        const decoded = href
          .replace(/&quot;/g, '"')
          .replace(/&lt;/g, "<")
          .replace(/&gt;/g, ">")
          .replace(/&amp;/g, "&");
        const own = /^\/(?:tags\/[a-z][a-z0-9_]*|user\/[A-Za-z][A-Za-z0-9_.]*)$/.test(decoded);
        if (own) continue;
        if (!/^(?:https?:\/\/|mailto:)/i.test(decoded) || /^\s*(?:javascript|data|vbscript):/i.test(decoded) || !isSafeHref(decoded)) {
          problems.push(`unsafe href: ${whole}`);
        }
      }
    } else if (attrs !== "") problems.push(`attributes on <${name}>: ${whole}`);
  }
  // Outside the tags everything is escaped text: no stray markup characters at all.
  const text = html.replace(TAG_RE, "");
  if (/[<>"]/.test(text)) problems.push(`unescaped markup character in text: ${JSON.stringify(text)}`);
  return problems;
}

const FRAGMENTS = [
  "<",
  ">",
  '"',
  "'",
  "`",
  "```",
  "```js\n",
  "[",
  "]",
  "](",
  ")",
  "(",
  "!",
  "![",
  "*",
  "**",
  "_",
  "~~",
  "|",
  "#",
  "# ",
  "- ",
  "1. ",
  "3. ",
  "> ",
  "    ",
  "\n",
  "\n\n",
  "  \n",
  "\\",
  "&",
  "&#x09;",
  "&lt;",
  "&#106;",
  "&quot;",
  " ",
  "\t",
  "x",
  "=",
  "/",
  "//",
  "javascript:",
  "JaVaScRiPt:",
  "java\tscript:",
  "data:text/html,",
  "vbscript:",
  "file:",
  "http://",
  "https://a.b/",
  "mailto:",
  "a@b.c",
  "www.",
  "onerror=",
  "onmouseover=",
  "onload=",
  "alert(1)",
  "<script>",
  "</script>",
  "<img src=x ",
  "<a href=",
  "<svg ",
  "<iframe ",
  "<style>",
  "<b>",
  "</i>",
  "<http://a.b>",
  "<javascript:x>",
  "---",
  "===",
  "\u0000",
  "%22",
  "\u2028",
];

/** Deterministic PRNG (mulberry32) so a failure is reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomInputs(count: number, seed: number): string[] {
  const next = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = 1 + Math.floor(next() * 40);
    let s = "";
    for (let j = 0; j < n; j++) s += FRAGMENTS[Math.floor(next() * FRAGMENTS.length)];
    out.push(s);
  }
  return out;
}

describe("hostile random input", () => {
  const inputs = randomInputs(200, 20240601);

  it("posts emit only allowlisted tags, attributes only href+rel on <a>, safe hrefs", () => {
    for (const input of inputs) {
      const html = renderPostMarkdown(input);
      expect(violations(html, POST_TAGS), `input ${JSON.stringify(input)} → ${JSON.stringify(html)}`).toEqual([]);
    }
  });

  it("comments emit only inline allowlisted tags, attributes only href+rel on <a>, safe hrefs", () => {
    for (const input of inputs) {
      const html = renderCommentMarkdown(input);
      expect(violations(html, COMMENT_TAGS), `input ${JSON.stringify(input)} → ${JSON.stringify(html)}`).toEqual([]);
    }
  });

  it("rendering is deterministic and has no leading/trailing newline", () => {
    for (const input of inputs) {
      const post = renderPostMarkdown(input);
      const comment = renderCommentMarkdown(input);
      expect(renderPostMarkdown(input)).toBe(post);
      expect(renderCommentMarkdown(input)).toBe(comment);
      expect(post).not.toMatch(/^\n|\n$/);
      expect(comment).not.toMatch(/^\n|\n$/);
    }
  });

  it("the checker itself catches what it must", () => {
    expect(violations("<img src=x>", POST_TAGS)).not.toEqual([]);
    expect(violations('<p class="x">', POST_TAGS)).not.toEqual([]);
    expect(violations(`<a href="javascript:alert(1)" ${REL}>`, POST_TAGS)).not.toEqual([]);
    expect(violations('<a href="http://a.b">', POST_TAGS)).not.toEqual([]);
    expect(violations(`<a href="/tags/x" ${REL}>`, POST_TAGS)).toEqual([]);
    expect(violations(`<a href="/tags/x?y" ${REL}>`, POST_TAGS)).not.toEqual([]);
    expect(violations(`<a href="http://a.b" ${REL} title="t">`, POST_TAGS)).not.toEqual([]);
    expect(violations("<p>x</p>", COMMENT_TAGS)).not.toEqual([]);
    expect(violations('a"b', POST_TAGS)).not.toEqual([]);
    expect(violations(`<p>${a("http://a.b", "x")}</p>`, POST_TAGS)).toEqual([]);
  });
});

describe("limits", () => {
  it("exports the length limits", () => {
    expect(MAX_POST_LENGTH).toBe(5000);
    expect(MAX_COMMENT_LENGTH).toBe(1000);
  });

  // Deployed workerd advances Date.now() only between I/O events; awaiting a timer on both sides keeps this honest there.
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
  const heavy: Array<[string, string]> = [
    ["mixed markdown", "**[a](http://x.y) `c` _e_ <b> ".repeat(166)],
    ["open brackets", "[".repeat(MAX_POST_LENGTH)],
    ["open image brackets", "![".repeat(MAX_POST_LENGTH / 2)],
    ["alternating emphasis", "*a".repeat(MAX_POST_LENGTH / 2)],
    ["unclosed emphasis", "*a _b ".repeat(MAX_POST_LENGTH / 6)],
    ["deep quotes", "> ".repeat(MAX_POST_LENGTH / 2)],
    ["deep lists", "- ".repeat(MAX_POST_LENGTH / 2)],
    ["angle brackets", "<a ".repeat(MAX_POST_LENGTH / 3)],
    ["backticks", "`` ` ".repeat(MAX_POST_LENGTH / 5)],
    ["link destinations", "[x](http://a.b/".repeat(MAX_POST_LENGTH / 15)],
    ["bare URLs", "http://a.b/c ".repeat(MAX_POST_LENGTH / 13)],
  ];
  it.each(heavy)("a %s post of ~5000 characters renders quickly", async (_name, input) => {
    expect(input.length).toBeLessThanOrEqual(MAX_POST_LENGTH);
    expect(input.length).toBeGreaterThan(MAX_POST_LENGTH * 0.9);
    await tick();
    const start = Date.now();
    const post = renderPostMarkdown(input);
    const comment = renderCommentMarkdown(input.slice(0, MAX_COMMENT_LENGTH));
    await tick();
    expect(Date.now() - start).toBeLessThan(1000);
    expect(violations(post, POST_TAGS)).toEqual([]);
    expect(violations(comment, COMMENT_TAGS)).toEqual([]);
  });
});
