// lib/ids: the one spelling of a numeric id in a URL.
import { describe, expect, it } from "vitest";
import { parseId } from "../../src/lib/ids";

describe("parseId", () => {
  const cases: [string | undefined, number | null][] = [
    ["1", 1],
    ["42", 42],
    ["999999999999999", 999_999_999_999_999],
    ["0", null],
    ["007", null],
    ["1000000000000000", null],
    ["", null],
    [undefined, null],
    ["1e3", null],
    ["+7", null],
    ["-7", null],
    [" 7", null],
    ["7 ", null],
    ["0x10", null],
    ["٣", null],
  ];
  for (const [raw, expected] of cases) {
    it(`${JSON.stringify(raw)} → ${expected}`, () => expect(parseId(raw)).toBe(expected));
  }
});
