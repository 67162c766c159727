// lib/fts.ts: what people type becomes a quoted FTS5 query (never syntax), and FTS5's marked text becomes
// escaped HTML with only <mark> added.
import { describe, expect, it } from "vitest";
import { MARK_CLOSE as C, ftsQuery, markedToHtml, MARK_OPEN as O, queryTerms } from "../../src/lib/fts";

describe("ftsQuery", () => {
  const cases: Array<[string, string, string | null]> = [
    ["one word is a prefix", "cat", '"cat"*'],
    ["words are AND-ed, the last a prefix", "black cat", '"black" "cat"*'],
    ["case folded", "CaT", '"cat"*'],
    ["empty", "", null],
    ["spaces only", "   ", null],
    ["only punctuation", "!!! ??? ... --- ***", null],
    ["unbalanced quote", 'say "hi', '"say" "hi"*'],
    ["a lone quote", '"', null],
    ["FTS operators are words", "cat AND dog OR NOT bird", '"cat" "and" "dog" "or" "not" "bird"*'],
    ["NEAR and parentheses", "NEAR(a b, 2)", '"near" "a" "b" "2"*'],
    ["column filter", "body:secret", '"body" "secret"*'],
    ["initial token and prefix syntax", "^start wor*", '"start" "wor"*'],
    ["hyphen and plus", "e-mail +x", '"e" "mail" "x"*'],
    ["unicode letters kept", "café Zürich 東京", '"café" "zürich" "東京"*'],
    ["duplicates dropped", "cat cat CAT", '"cat"*'],
    ["at most 8 terms", "a b c d e f g h i j", '"a" "b" "c" "d" "e" "f" "g" "h"*'],
    ["control characters are separators", "a\u0000b\u0002c", '"a" "b" "c"*'],
  ];
  it.each(cases)("%s", (_name, input, expected) => {
    expect(ftsQuery(input)).toBe(expected);
  });

  it("reads at most 200 characters", () => {
    expect(queryTerms(`${"x".repeat(199)} y`)).toEqual(["x".repeat(199)]);
    expect(ftsQuery("a".repeat(1000))).toBe(`"${"a".repeat(200)}"*`);
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
