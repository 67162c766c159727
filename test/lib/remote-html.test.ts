// Remote note HTML → our allowlist (src/lib/remote-html.ts): exact output for what Mastodon writes and for
// hostile input, and properties over random markup: only allowlisted tags, only href+rel on <a>, no raw `<`
// outside tags, every tag closed.
import { describe, expect, it } from "vitest";
import { POST_TAGS } from "../../src/lib/markdown";
import { MAX_REMOTE_HTML, sanitizeRemoteHtml } from "../../src/lib/remote-html";

const REL = 'rel="nofollow ugc noopener"';

/** One case: what it is, the remote HTML, what Roost keeps. */
const row = (name: string, input: string, expected: string) => ({ name, input, expected });

const CASES = [
  row(
    "Mastodon's note with a mention and a hashtag",
    '<p>Hi <span class="h-card" translate="no"><a href="https://roost.example/user/alice" class="u-url mention">@<span>alice</span></a></span> <a href="https://mastodon.example/tags/roost" class="mention hashtag" rel="tag">#<span>roost</span></a></p>',
    `<p>Hi <a href="https://roost.example/user/alice" ${REL}>@alice</a> <a href="https://mastodon.example/tags/roost" ${REL}>#roost</a></p>`,
  ),
  row("line breaks", "<p>one<br>two<br/>three</p>", "<p>one<br>two<br>three</p>"),
  row("script with its content", "<p>a<script>alert(1)</script>b</p>", "<p>ab</p>"),
  row("style with its content", "<style>p{color:red}</style><p>x</p>", "<p>x</p>"),
  row("event handlers and styles go", '<p onclick="x()" style="color:red">x</p>', "<p>x</p>"),
  row("javascript: link loses its href", '<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
  row("entity-encoded javascript: link", '<a href="jav&#x09;ascript:alert(1)">x</a>', "<a>x</a>"),
  row("relative link loses its href", '<a href="/etc/passwd">x</a>', "<a>x</a>"),
  row(
    "quotes in an href are escaped",
    `<a href='https://x.example/"onmouseover="a'>x</a>`,
    `<a href="https://x.example/&quot;onmouseover=&quot;a" ${REL}>x</a>`,
  ),
  row("an img is dropped", '<p><img src="https://x.example/a.png" onerror="x()">hi</p>', "<p>hi</p>"),
  row("an iframe with its content", '<iframe src="https://x.example">inner</iframe>ok', "ok"),
  row("unknown tags keep their text", "<div><section>text</section></div>", "text"),
  row("unclosed tags are closed", "<p><strong>bold", "<p><strong>bold</strong></p>"),
  row("a stray closing tag is dropped", "</p>text</em>", "text"),
  row("misnested tags stay well formed", "<p><em>a</p>b</em>", "<p><em>a</em></p>b"),
  row("comments go", "<!-- <script>x</script> -->ok", "ok"),
  row("an unterminated comment takes the rest", "ok<!-- <p>", "ok"),
  row("a lone < is text", "1 < 2 > 0", "1 &lt; 2 &gt; 0"),
  row("a tag cut short is text", '<a href="x', "&lt;a href=&quot;x"),
  row("entities stay, a bare & is escaped", "&amp; &lt; &#39; &#x1F600; & done", "&amp; &lt; &#39; &#x1F600; &amp; done"),
  row("upper-case tags", "<P><STRONG>x</STRONG></P>", "<p><strong>x</strong></p>"),
  row("the script's closing tag in upper case", "<SCRIPT>x</SCRIPT>after", "after"),
  row("a self-closed script drops nothing after it", "<script/>after", "after"),
  row("headings beyond h3 keep their text", "<h4>four</h4>", "four"),
];

describe("sanitizeRemoteHtml", () => {
  it.each(CASES)("$name", ({ input, expected }) => {
    expect(sanitizeRemoteHtml(input)).toBe(expected);
  });

  it("cuts very long content and still closes its tags", () => {
    const long = `<p><strong>${"word ".repeat(10_000)}</strong></p>`;
    const out = sanitizeRemoteHtml(long);
    expect(out.length).toBeLessThanOrEqual(MAX_REMOTE_HTML);
    expect(out.endsWith("…</strong></p>")).toBe(true);
  });

  it("flattens very deep nesting", () => {
    const out = sanitizeRemoteHtml(`${"<em>".repeat(1000)}x${"</em>".repeat(1000)}`);
    expect(out.match(/<em>/g)?.length).toBe(20);
    expect(out).toContain("x");
  });

  it("keeps to the allowlist on random hostile markup", () => {
    const pieces = [
      "<",
      ">",
      "/",
      '"',
      "'",
      "=",
      "a",
      "p",
      "script",
      "img",
      " ",
      "href",
      "onclick",
      "javascript:",
      "https://x.example",
      "&",
      "#",
      "<!--",
      "-->",
      "br",
      "em",
      "!",
    ];
    for (let n = 0; n < 500; n++) {
      let input = "";
      for (let i = 0; i < 40; i++) input += pieces[Math.floor(Math.random() * pieces.length)];
      const out = sanitizeRemoteHtml(input);
      const tags = [...out.matchAll(/<\/?([a-z0-9]+)([^>]*)>/g)];
      for (const [, name, attrs] of tags) {
        expect(name === "br" || POST_TAGS.has(name ?? ""), input).toBe(true);
        expect(attrs === "" || (name === "a" && new RegExp(`^ href="[^"<>]*" ${REL}$`).test(attrs ?? "")), input).toBe(true);
      }
      // Outside the tags there is no markup left.
      expect(out.replace(/<\/?[a-z0-9]+[^>]*>/g, ""), input).not.toMatch(/[<>"]/);
    }
  });
});
