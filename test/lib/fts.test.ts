// lib/fts.ts: what people type becomes a quoted FTS5 query (never syntax), and FTS5's marked text becomes
// escaped HTML with only <mark> added.
import { describe, expect, it } from "vitest";
import { MARK_CLOSE as C, ftsSearch, MAX_PREFIX_TERMS, markedToHtml, MARK_OPEN as O, queryTerms } from "../../src/lib/fts";

/** The search as one FTS5 expression, the last word a prefix query (what FTS5 gets when the vocabulary is not used). */
const ftsQuery = (input: string) => {
  const s = ftsSearch(input);
  return s && s.head + s.prefix;
};

describe("ftsSearch", () => {
  const cases: Array<[string, string, string | null]> = [
    ["one word is a prefix", "cat", '"cat"*'],
    ["words are AND-ed, the last a prefix", "black cat", '"black" AND "cat"*'],
    ["case folded", "CaT", '"cat"*'],
    ["empty", "", null],
    ["spaces only", "   ", null],
    ["only punctuation", "!!! ??? ... --- ***", null],
    ["unbalanced quote", 'say "hi', '"say" AND "hi"*'],
    ["a lone quote", '"', null],
    ["FTS operators are words", "cat AND dog OR NOT bird", '"cat" AND "and" AND "dog" AND "or" AND "not" AND "bird"*'],
    ["NEAR and parentheses", "NEAR(a b, 2)", '"near" AND "a" AND "b" AND "2"*'],
    ["column filter", "body:secret", '"body" AND "secret"*'],
    ["initial token and prefix syntax", "^start wor*", '"start" AND "wor"*'],
    ["hyphen and plus", "e-mail +x", '"e" AND "mail" AND "x"*'],
    ["unicode letters kept", "café Zürich 東京", '"café" AND "zürich" AND "東京"*'],
    ["duplicates dropped", "cat cat CAT", '"cat"*'],
    ["at most 8 terms", "a b c d e f g h i j", '"a" AND "b" AND "c" AND "d" AND "e" AND "f" AND "g" AND "h"*'],
    ["control characters are separators", "a\u0000b\u0002c", '"a" AND "b" AND "c"*'],
  ];
  it.each(cases)("%s", (_name, input, expected) => {
    expect(ftsQuery(input)).toBe(expected);
  });

  it("reads at most 200 characters", () => {
    expect(queryTerms(`${"x".repeat(199)} y`)).toEqual(["x".repeat(199)]);
    expect(ftsQuery("a".repeat(1000))).toBe(`"${"a".repeat(200)}"*`);
  });

  // The vocabulary range of the last word: every term that starts with it, and nothing else (byte order).
  const ranges: Array<[string, string, [string, string] | null]> = [
    ["a word", "Coffee", ["coffee", "coffef"]],
    ["the last of several", "black ca", ["ca", "cb"]],
    ["ends in z", "jazz", ["jazz", "jaz{"]],
    ["ends in 9", "web9", ["web9", "web:"]],
    ["one letter", "c", ["c", "d"]],
    ["accented: the tokenizer folds it, so no range", "caf\u00e9", null],
    ["another script", "東京", null],
  ];
  it.each(ranges)("range: %s", (_name, input, expected) => {
    const s = ftsSearch(input);
    expect(s?.range).toEqual(expected);
    if (expected) for (const t of [expected[0], `${expected[0]}s`, `${expected[0]}\u00e9t\u00e9`]) expect(t >= expected[0] && t < expected[1], t).toBe(true);
  });

  it("the exact word and its prefix query, quoted", () => {
    expect(ftsSearch("black cat")).toEqual({ head: '"black" AND ', exact: '"cat"', prefix: '"cat"*', range: ["cat", "cau"] });
    expect(MAX_PREFIX_TERMS).toBeGreaterThanOrEqual(16);
  });
});

describe("markedToHtml", () => {
  const cases: Array<[string, string, string]> = [
    ["plain text", "hello", "hello"],
    ["one match", `say ${O}hello${C} world`, "say <mark>hello</mark> world"],
    ["HTML in the text is escaped", `<script>${O}alert${C}(1)</script>`, "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;"],
    ["markup inside a match is escaped", `${O}<b onmouseover="x">${C}`, "<mark>&lt;b onmouseover=&quot;x&quot;&gt;</mark>"],
    ["quotes and ampersands", `a & "b" 'c'`, "a &amp; &quot;b&quot; &#39;c&#39;"],
    ["an unclosed mark is closed", `${O}open`, "<mark>open</mark>"],
    ["a close without open is dropped", `x${C}y`, "xy"],
    ["a doubled open opens once", `${O}${O}a${C}`, "<mark>a</mark>"],
    ["null", null as unknown as string, ""],
  ];
  it.each(cases)("%s", (_name, input, expected) => {
    expect(markedToHtml(input)).toBe(expected);
  });
});
