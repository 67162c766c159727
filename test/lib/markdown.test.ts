// User Markdown → HTML (src/lib/markdown.ts): exact output for posts and comments, and properties over random
// hostile input: only allowlisted tags, attributes only href+rel on <a>, only http(s)/mailto hrefs, deterministic.
// Runs inside workerd (no DOM), where the module has to work.
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

const REL = 'rel="nofollow ugc noopener"';
const a = (href: string, text: string) => `<a href="${href}" ${REL}>${text}</a>`;

const POST_CASES: Array<[string, string, string]> = [
  ["plain paragraph", "Hello world", "<p>Hello world</p>"],
  ["two paragraphs", "one\n\ntwo", "<p>one</p>\n<p>two</p>"],
  ["soft break stays a text newline", "a\nb", "<p>a\nb</p>"],
  ["hard break is a newline, no <br>", "line one  \nline two", "<p>line one\nline two</p>"],
  ["backslash hard break, no <br>", "line one\\\nline two", "<p>line one\nline two</p>"],
  ["emphasis and strong", "*em* and **strong** and _em_ __strong__", "<p><em>em</em> and <strong>strong</strong> and <em>em</em> <strong>strong</strong></p>"],
  ["h1", "# One", "<h1>One</h1>"],
  ["h2", "## Two", "<h2>Two</h2>"],
  ["h3", "### Three", "<h3>Three</h3>"],
  ["h4 becomes h3", "#### Four", "<h3>Four</h3>"],
  ["h5 becomes h3", "##### Five", "<h3>Five</h3>"],
  ["h6 becomes h3", "###### Six", "<h3>Six</h3>"],
  ["setext h1", "Title\n=====", "<h1>Title</h1>"],
  ["setext h2", "Title\n-----", "<h2>Title</h2>"],
  ["unordered list", "- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"],
  ["loose list keeps <p>", "- a\n\n- b", "<ul>\n<li>\n<p>a</p>\n</li>\n<li>\n<p>b</p>\n</li>\n</ul>"],
  ["ordered list", "1. a\n2. b", "<ol>\n<li>a</li>\n<li>b</li>\n</ol>"],
  ["ordered list starting at 3 drops start=", "3. a\n4. b", "<ol>\n<li>a</li>\n<li>b</li>\n</ol>"],
  ["nested list", "- a\n  - b", "<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>"],
  ["blockquote", "> quote\n> more", "<blockquote>\n<p>quote\nmore</p>\n</blockquote>"],
  ["inline code escapes", "`a < b` here", "<p><code>a &lt; b</code> here</p>"],
  ["fenced code drops language class", "```js\nconst a = 1 < 2;\n```", "<pre><code>const a = 1 &lt; 2;\n</code></pre>"],
  ["fenced code with hostile info string", '```"><script>alert(1)</script>\nx\n```', "<pre><code>x\n</code></pre>"],
  ["indented code", "    x = <y>", "<pre><code>x = &lt;y&gt;\n</code></pre>"],
  ["bare URL linkified", "see http://example.com/x?a=1&b=2 now", `<p>see ${a("http://example.com/x?a=1&amp;b=2", "http://example.com/x?a=1&amp;b=2")} now</p>`],
  ["bare email linkified to mailto", "mail me@example.com", `<p>mail ${a("mailto:me@example.com", "me@example.com")}</p>`],
  ["bare ftp: URL stays text", "ftp://x.y/z", "<p>ftp://x.y/z</p>"],
  ["markdown link http", "[x](http://a.b)", `<p>${a("http://a.b", "x")}</p>`],
  ["markdown link https", "[x](https://a.b/c)", `<p>${a("https://a.b/c", "x")}</p>`],
  ["markdown link mailto", "[x](mailto:a@b.c)", `<p>${a("mailto:a@b.c", "x")}</p>`],
  ["reference link, title dropped", '[x][r]\n\n[r]: http://a.b "t"', `<p>${a("http://a.b", "x")}</p>`],
  ["link URL is percent-encoded", "[x](http://a.b/<>\"')", `<p>${a("http://a.b/%3C%3E%22'", "x")}</p>`],
  ["link with encoded quote", "[x](http://a.b/%22onclick=x)", `<p>${a("http://a.b/%22onclick=x", "x")}</p>`],
  ["script block", "<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"],
  ["script inline", "hi <script>alert(1)</script> there", "<p>hi &lt;script&gt;alert(1)&lt;/script&gt; there</p>"],
  ["img onerror", "<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>"],
  ["raw javascript: anchor", '<a href="javascript:alert(1)">x</a>', "<p>&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;</p>"],
  ["javascript: link", "[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>"],
  ["mixed-case javascript: link", "[x](JaVaScRiPt:alert(1))", "<p>[x](JaVaScRiPt:alert(1))</p>"],
  ["entity-split javascript: link", "[x](java&#x09;script:alert(1))", "<p>[x](java\tscript:alert(1))</p>"],
  ["angle-bracket javascript: link", "[x](<javascript:alert(1)>)", "<p>[x](&lt;javascript:alert(1)&gt;)</p>"],
  ["space-prefixed javascript: link", "[x]( javascript:alert(1))", "<p>[x]( javascript:alert(1))</p>"],
  ["data: link", "[x](data:text/html;base64,PHNjcmlwdD4=)", "<p>[x](data:text/html;base64,PHNjcmlwdD4=)</p>"],
  ["vbscript: link", "[x](vbscript:msgbox)", "<p>[x](vbscript:msgbox)</p>"],
  ["file: link", "[x](file:///etc/passwd)", "<p>[x](file:///etc/passwd)</p>"],
  ["protocol-relative link", "[x](//evil.com)", "<p>[x](//evil.com)</p>"],
  ["relative link", "[x](/relative)", "<p>[x](/relative)</p>"],
  ["fragment link", "[x](#top)", "<p>[x](#top)</p>"],
  ["scheme without slashes", "[x](http:evil)", "<p>[x](http:evil)</p>"],
  ["empty mailto", "[x](mailto:)", "<p>[x](mailto:)</p>"],
  ["image becomes alt text", "![alt](http://x/y.png)", "<p>alt</p>"],
  ["image alt is escaped text", "![a <b> & *c*](http://x/y.png)", "<p>a &lt;b&gt; &amp; c</p>"],
  ["image inside link", "[![logo](http://x/y.png)](http://a.b)", `<p>${a("http://a.b", "logo")}</p>`],
  ["javascript: image stays text", "![x](javascript:alert(1))", "<p>![x](javascript:alert(1))</p>"],
  ["iframe", "<iframe src=//evil></iframe>", "<p>&lt;iframe src=//evil&gt;&lt;/iframe&gt;</p>"],
  ["svg onload", "<svg onload=alert(1)>", "<p>&lt;svg onload=alert(1)&gt;</p>"],
  ["style", "<style>body{display:none}</style>", "<p>&lt;style&gt;body{display:none}&lt;/style&gt;</p>"],
  ["event handler in link title", '[x](http://a "onmouseover=alert(1)")', `<p>${a("http://a", "x")}</p>`],
  ["quote-breaking title", "[x](http://a '\" onmouseover=alert(1) x=')", `<p>${a("http://a", "x")}</p>`],
  ["unclosed markup", "<b><i>unclosed", "<p>&lt;b&gt;&lt;i&gt;unclosed</p>"],
  ["nested script", "<scr<script>ipt>alert(1)</script>", "<p>&lt;scr&lt;script&gt;ipt&gt;alert(1)&lt;/script&gt;</p>"],
  ["img inside link text", "[<img src=x onerror=alert(1)>](http://a)", `<p>${a("http://a", "&lt;img src=x onerror=alert(1)&gt;")}</p>`],
  ["raw em inside strong", "**<em>**", "<p><strong>&lt;em&gt;</strong></p>"],
  ["entities stay escaped", "&lt;script&gt;", "<p>&lt;script&gt;</p>"],
  ["numeric entities stay escaped", "&#60;script&#62;", "<p>&lt;script&gt;</p>"],
  ["ampersand escaped", "AT&T", "<p>AT&amp;T</p>"],
  ["autolink http", "<http://a.b>", `<p>${a("http://a.b", "http://a.b")}</p>`],
  ["autolink mailto", "<a@b.c>", `<p>${a("mailto:a@b.c", "a@b.c")}</p>`],
  ["autolink javascript:", "<javascript:alert(1)>", "<p>&lt;javascript:alert(1)&gt;</p>"],
  ["bare URL cannot break out of href", 'http://a.b/"onmouseover=x', `<p>${a("http://a.b/", "http://a.b/")}&quot;onmouseover=x</p>`],
  ["horizontal rule dropped", "a\n\n---\n\nb", "<p>a</p>\n<p>b</p>"],
  ["table stays text", "| a | b |\n|---|---|\n| 1 | 2 |", "<p>| a | b |\n|---|---|\n| 1 | 2 |</p>"],
  ["strikethrough stays text", "~~strike~~", "<p>~~strike~~</p>"],
  ["NUL replaced", "\u0000x", "<p>\uFFFDx</p>"],
  ["empty input", "", ""],
  ["whitespace only", "  \n\n ", ""],
];

const COMMENT_CASES: Array<[string, string, string]> = [
  ["plain text, no <p>", "Hello world", "Hello world"],
  ["paragraphs joined by one newline", "one\n\ntwo", "one\ntwo"],
  ["hard break is a newline", "a  \nb", "a\nb"],
  ["emphasis and strong", "*em* **strong**", "<em>em</em> <strong>strong</strong>"],
  ["inline code", "`a<b`", "<code>a&lt;b</code>"],
  ["heading marker stays text", "# Title", "# Title"],
  ["list markers stay text", "- a\n1. b", "- a\n1. b"],
  ["quote marker stays text (escaped)", "> quoted", "&gt; quoted"],
  ["fence stays inline code", "```js\nx < 1\n```", "<code>js x &lt; 1 </code>"],
  ["horizontal rule stays text", "a\n\n---", "a\n---"],
  ["bare URL linkified", "see https://a.b/c", `see ${a("https://a.b/c", "https://a.b/c")}`],
  ["markdown link", '[x](http://a.b "title")', a("http://a.b", "x")],
  ["mailto link", "[x](mailto:a@b.c)", a("mailto:a@b.c", "x")],
  ["reference definitions are not parsed", "[x][r]\n\n[r]: http://a.b", `[x][r]\n[r]: ${a("http://a.b", "http://a.b")}`],
  ["javascript: link", "[x](javascript:alert(1))", "[x](javascript:alert(1))"],
  ["protocol-relative link", "[x](//evil.com)", "[x](//evil.com)"],
  ["data: link", "[x](data:text/html,<script>alert(1)</script>)", "[x](data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;)"],
  ["image becomes alt text", "![alt](http://x/y.png)", "alt"],
  ["script", "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
  ["img onerror", "<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"],
  ["raw anchor", '<a href="javascript:alert(1)">x</a>', "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;"],
  ["autolink javascript:", "<javascript:alert(1)>", "&lt;javascript:alert(1)&gt;"],
  ["table stays text", "| a |\n|---|", "| a |\n|---|"],
  ["strikethrough stays text", "~~x~~", "~~x~~"],
  ["entities stay escaped", "&lt;b&gt;", "&lt;b&gt;"],
];

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
  it.each([
    "",
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java%09script:alert(1)",
    "data:text/html,x",
    "vbscript:x",
    "file:///etc/passwd",
    "ftp://a.b",
    "//evil.com",
    "/relative",
    "relative",
    "#x",
    "http:evil",
    "http:/evil",
    "http://",
    "https:///x",
    "mailto:",
    "http://a.b\\@evil",
    " http://a.b",
    "http://a.b\n",
  ])("refuses %j", (url) => {
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
