// Token helpers (src/lib/tokens.ts): randomToken shape and uniqueness, sha256Hex vectors, looksLikeToken.
import { describe, expect, it } from "vitest";
import { looksLikeToken, randomToken, sha256Hex } from "../../src/lib/tokens";
import { sha256HexWebCrypto } from "../helpers/http";

describe("randomToken", () => {
  it("is 32 lower-case base32 characters (160 bits)", () => {
    for (let i = 0; i < 50; i++) expect(randomToken()).toMatch(/^[a-z2-7]{32}$/);
  });

  it("is unique across 1000 calls and uses the whole alphabet", () => {
    const tokens = Array.from({ length: 1000 }, () => randomToken());
    expect(new Set(tokens).size).toBe(1000);
    // 32,000 characters drawn from 32 symbols: every symbol shows up unless the source is broken.
    expect(new Set(tokens.join("")).size).toBe(32);
  });
});

describe("sha256Hex", () => {
  it("matches the FIPS 180-2 test vectors", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  });

  it("hashes the UTF-8 bytes, agreeing with WebCrypto", async () => {
    for (const s of ["é", "日本語", "🔑", randomToken()]) {
      expect(sha256Hex(s)).toBe(await sha256HexWebCrypto(s));
    }
  });
});

describe("looksLikeToken", () => {
  it("accepts what randomToken makes", () => {
    for (let i = 0; i < 20; i++) expect(looksLikeToken(randomToken())).toBe(true);
  });

  it.each([
    ["empty", ""],
    ["31 chars", "a".repeat(31)],
    ["33 chars", "a".repeat(33)],
    ["upper case", "A".repeat(32)],
    ["digit 1 (not base32)", "1".repeat(32)],
    ["digit 8 (not base32)", "8".repeat(32)],
    ["padding", `${"a".repeat(31)}=`],
    ["leading space", ` ${"a".repeat(31)}`],
    ["trailing newline", `${"a".repeat(32)}\n`],
    ["sha256 hex", sha256Hex("abc")],
    ["SQL", "' OR 1=1 --aaaaaaaaaaaaaaaaaaaaa"],
  ])("rejects %s", (_label, value) => {
    expect(looksLikeToken(value)).toBe(false);
  });
});
