// The block list's rules (features/federation/servers.ts): what an Administrator may type as a server, how a
// block covers subdomains (and nothing else), and the signing-key / actor hosts the inbox guard reads.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db";
import { claimedActor, signingKeyId } from "../../src/features/federation/inbox-guard";
import { blockServer, hostCandidates, isBlockedHost, normalizeHost, unblockServer } from "../../src/features/federation/servers";

/** What an Administrator may type, and the host it blocks. */
const NORMALIZED: Record<string, string> = {
  "mastodon.example": "mastodon.example",
  "  Mastodon.Example  ": "mastodon.example",
  "https://mastodon.example/@bob": "mastodon.example",
  "http://mastodon.example:8080/users/1": "mastodon.example",
  "@bob@mastodon.example": "mastodon.example",
  "bob@social.example.org": "social.example.org",
  "mastodon.example.": "mastodon.example",
  "bücher.example": "xn--bcher-kva.example",
  "203.0.113.7": "203.0.113.7",
};

describe("normalizeHost", () => {
  it.each(Object.entries(NORMALIZED))("%j → %j", (input, host) => expect(normalizeHost(input)).toBe(host));

  it.each([
    ["empty", ""],
    ["spaces only", "   "],
    ["one label", "localhost"],
    ["a space inside", "mastodon example.com"],
    ["a label starting with a dash", "-bad.example"],
    ["a numeric top level", "example.123"],
    ["credentials in a URL", "https://user:pw@mastodon.example/"],
    ["a label over 63 characters", `${"a".repeat(64)}.example`],
    ["a name over 253 characters", `${"a.".repeat(127)}example`],
    ["punctuation", "mast*don.example"],
  ])("refuses %s", (_, input) => {
    expect(normalizeHost(input)).toBeNull();
  });
});

describe("hostCandidates", () => {
  it("lists the host and each parent domain, never the bare top level", () => {
    expect(hostCandidates("a.b.example.com")).toEqual(["a.b.example.com", "b.example.com", "example.com"]);
    expect(hostCandidates("example.com")).toEqual(["example.com"]);
  });
  it("gives an IP address only itself", () => {
    expect(hostCandidates("203.0.113.7")).toEqual(["203.0.113.7"]);
  });
});

describe("isBlockedHost", () => {
  it("covers the blocked host and its subdomains, not look-alikes or parents", async () => {
    const db = getDb(env.DB);
    expect(await blockServer(db, "spam.example", "spam")).toEqual({ followersRemoved: 0 });
    expect(await blockServer(db, "spam.example", "again")).toBeNull();
    for (const host of ["spam.example", "a.spam.example", "x.y.spam.example", "SPAM.EXAMPLE"]) expect(await isBlockedHost(db, host), host).toBe(true);
    for (const host of ["notspam.example", "spam.example.org", "example", "other.example"]) expect(await isBlockedHost(db, host), host).toBe(false);
    expect(await unblockServer(db, "spam.example")).toBe(true);
    expect(await isBlockedHost(db, "a.spam.example")).toBe(false);
    expect(await unblockServer(db, "spam.example")).toBe(false);
  });
});

describe("what the inbox guard reads", () => {
  it.each([
    [
      "Mastodon's draft-cavage Signature",
      { Signature: 'keyId="https://m.example/users/a#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="x"' },
      "https://m.example/users/a#main-key",
    ],
    [
      "RFC 9421 Signature-Input",
      { "Signature-Input": 'sig1=("@method" "@target-uri");keyid="https://m.example/users/a#key";created=1' },
      "https://m.example/users/a#key",
    ],
    ["no signature", {}, null],
    ["a signature without keyId", { Signature: 'algorithm="rsa-sha256",signature="x"' }, null],
  ])("the key id from %s", (_, headers, keyId) => {
    expect(signingKeyId(new Headers(headers))).toBe(keyId);
  });

  it.each([
    ["a URL", '{"actor":"https://m.example/users/a"}', "https://m.example/users/a"],
    ["an embedded actor", '{"actor":{"id":"https://m.example/users/a","type":"Person"}}', "https://m.example/users/a"],
    ["no actor", '{"type":"Follow"}', null],
    ["a number", '{"actor":5}', null],
    ["not JSON", "actor=x", null],
    ["JSON that is not an object", '"actor"', null],
  ])("the claimed actor from %s", (_, body, actor) => {
    expect(claimedActor(body)).toBe(actor);
  });
});
