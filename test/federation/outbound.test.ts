// What federation may fetch (features/federation/outbound.ts): a table of URLs, public or not, with and
// without the development setting; and the fetch itself: redirects to a refused address, oversized bodies.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fetchDocument, MAX_DOCUMENT_BYTES, outboundRefusal } from "../../src/features/federation/outbound";

const PUBLIC = { allowLoopbackHttp: false };
const DEV = { allowLoopbackHttp: true };

/** null: allowed; a string: refused, the reason containing it. */
function expectRefusal(got: string | null, refusal: string | null) {
  if (refusal === null) expect(got).toBeNull();
  else expect(got).toContain(refusal);
}

describe("outboundRefusal", () => {
  it.each([
    // Public https hosts: allowed.
    ["https://mastodon.social/users/bob", null],
    ["https://Mastodon.Example:8443/inbox", null],
    ["https://93.184.216.34/actor", null],
    ["https://[2606:4700::1111]/actor", null],
    ["https://[::ffff:8.8.8.8]/actor", null],
    // Not https.
    ["http://mastodon.social/users/bob", "only https"],
    ["ftp://mastodon.social/x", "only https"],
    ["file:///etc/passwd", "only https"],
    ["javascript:alert(1)", "only https"],
    ["not a url", "not a URL"],
    ["https://user:pw@mastodon.social/", "credentials"],
    // Loopback, private, link-local, metadata: as literal IPs in any spelling.
    ["https://127.0.0.1/", "non-public"],
    ["https://127.1/", "non-public"],
    ["https://2130706433/", "non-public"],
    ["https://0x7f000001/", "non-public"],
    ["https://0.0.0.0/", "non-public"],
    ["https://10.1.2.3/", "non-public"],
    ["https://172.16.0.1/", "non-public"],
    ["https://172.31.255.255/", "non-public"],
    ["https://192.168.1.1/", "non-public"],
    ["https://100.64.0.1/", "non-public"],
    ["https://169.254.169.254/latest/meta-data", "non-public"],
    ["https://224.0.0.1/", "non-public"],
    ["https://255.255.255.255/", "non-public"],
    ["https://[::1]/", "non-public"],
    ["https://[::]/", "non-public"],
    ["https://[::ffff:127.0.0.1]/", "non-public"],
    ["https://[::ffff:169.254.169.254]/", "non-public"],
    ["https://[64:ff9b::10.0.0.1]/", "non-public"],
    ["https://[fd00:ec2::254]/", "non-public"],
    ["https://[fc00::1]/", "non-public"],
    ["https://[fe80::1]/", "non-public"],
    ["https://[ff02::1]/", "non-public"],
    ["https://[2001:db8::1]/", "non-public"],
    // Names that are never public.
    ["https://localhost/", "local name"],
    ["https://LOCALHOST./", "local name"],
    ["https://api.localhost/", "local name"],
    ["https://printer.local/", "local name"],
    ["https://metadata.google.internal/", "local name"],
    ["https://router.home.arpa/", "local name"],
    ["https://intranet/", "local name"],
  ])("%s → %s", (url, refusal) => expectRefusal(outboundRefusal(url, PUBLIC), refusal));

  it.each([
    ["http://127.0.0.1:8788/users/1", null],
    ["https://127.0.0.1:9000/inbox", null],
    ["http://localhost:8788/users/1", "only https"],
    ["http://10.0.0.1:8788/", "only https"],
    ["https://10.0.0.1/", "non-public"],
    ["https://169.254.169.254/", "non-public"],
  ])("in development, %s → %s (only 127.0.0.1 is let through)", (url, refusal) => expectRefusal(outboundRefusal(url, DEV), refusal));
});

describe("fetchDocument", () => {
  afterEach(() => vi.restoreAllMocks());
  const json = (body: unknown, init: ResponseInit = {}) =>
    new Response(JSON.stringify(body), { ...init, headers: { "Content-Type": "application/activity+json", ...init.headers } });

  it("loads a public document, following a redirect to another public host", async () => {
    const spy = vi
      .spyOn(globalThis, "fetch")
      .mockResolvedValueOnce(new Response(null, { status: 301, headers: { Location: "https://b.example/actor" } }))
      .mockResolvedValueOnce(json({ id: "https://b.example/actor" }));
    const doc = await fetchDocument("https://a.example/actor", PUBLIC);
    expect(doc).toMatchObject({ documentUrl: "https://b.example/actor", document: { id: "https://b.example/actor" } });
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it.each([
    ["a private address", "http://10.0.0.1/admin"],
    ["the metadata address", "https://169.254.169.254/latest/meta-data"],
    ["localhost", "https://localhost/"],
  ])("refuses a redirect to %s without fetching it", async (_, location) => {
    const spy = vi.spyOn(globalThis, "fetch").mockResolvedValueOnce(new Response(null, { status: 302, headers: { Location: location } }));
    await expect(fetchDocument("https://a.example/actor", PUBLIC)).rejects.toThrow(/Refused/);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it("refuses a refused URL before any request", async () => {
    const spy = vi.spyOn(globalThis, "fetch");
    await expect(fetchDocument("http://a.example/actor", PUBLIC)).rejects.toThrow(/only https/);
    expect(spy).not.toHaveBeenCalled();
  });

  it("refuses a body over 1 MiB, whether or not Content-Length says so", async () => {
    const big = JSON.stringify({ pad: "x".repeat(MAX_DOCUMENT_BYTES) });
    const stream = () => new Response(new Blob([big]).stream(), { headers: { "Content-Type": "application/activity+json" } });
    vi.spyOn(globalThis, "fetch")
      .mockResolvedValueOnce(new Response(big, { headers: { "Content-Length": String(big.length) } }))
      .mockResolvedValueOnce(stream());
    await expect(fetchDocument("https://a.example/big", PUBLIC)).rejects.toThrow(/larger than/);
    await expect(fetchDocument("https://a.example/big", PUBLIC)).rejects.toThrow(/larger than/);
  });

  it("stops after 5 redirects", async () => {
    let n = 0;
    vi.spyOn(globalThis, "fetch").mockImplementation(async () => new Response(null, { status: 302, headers: { Location: `https://a.example/${++n}` } }));
    await expect(fetchDocument("https://a.example/0", PUBLIC)).rejects.toThrow(/Too many redirects/);
    expect(n).toBe(6);
  });

  it("gives up on a server that does not answer (the request's signal is aborted)", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(
      (_input, init) => new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(new Error("aborted")))),
    );
    const caller = new AbortController();
    const pending = fetchDocument("https://slow.example/actor", PUBLIC, undefined, caller.signal);
    caller.abort();
    await expect(pending).rejects.toThrow("aborted");
  });

  it("refuses an error status", async () => {
    vi.spyOn(globalThis, "fetch").mockResolvedValueOnce(new Response("gone", { status: 410 }));
    await expect(fetchDocument("https://a.example/actor", PUBLIC)).rejects.toThrow(/HTTP 410/);
  });
});
