// What Fedify may fetch from other servers (actor documents, keys, objects): only public `https` hosts, checked
// again on every redirect hop, within 10 s, at most 1 MiB. Remote servers are hostile input: an actor's id or
// key id is whatever they wrote, so without this a Follow could make Roost fetch its own metadata endpoint.
//
// Workers cannot resolve a name to check its addresses (no DNS API), so the checks are on what the URL says:
// literal IPs (in any form the URL parser normalizes: 0x7f.1 and 2130706433 become 127.0.0.1) against the
// non-public ranges, and names that never mean a public host (localhost, *.local, *.internal, single labels).
// On Cloudflare a Worker's subrequests leave through the public internet, so a public name that resolves to
// a private address reaches nothing of ours. In development `allowLoopbackHttp` lets `http://127.0.0.1:<port>`
// peers through (two local instances; the tests), nothing else.
import { type DocumentLoader, FetchError, getDocumentLoader, type KvStore, kvCache, type RemoteDocument, signRequest } from "@fedify/fedify";

export type OutboundPolicy = { allowLoopbackHttp: boolean };

export const FETCH_TIMEOUT_MS = 10_000;
export const MAX_DOCUMENT_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 5;

/** IPv4 ranges that are not the public internet (RFC 6890 and friends), as [first octets, prefix bits]. */
const PRIVATE_V4: [number, number][] = [
  [0x00000000, 8], // "this network"
  [0x0a000000, 8], // private
  [0x64400000, 10], // carrier-grade NAT
  [0x7f000000, 8], // loopback
  [0xa9fe0000, 16], // link-local, cloud metadata (169.254.169.254)
  [0xac100000, 12], // private
  [0xc0000000, 24], // IETF protocol assignments
  [0xc0000200, 24], // documentation
  [0xc0a80000, 16], // private
  [0xc6120000, 15], // benchmarking
  [0xc6336400, 24], // documentation
  [0xcb007100, 24], // documentation
  [0xe0000000, 4], // multicast
  [0xf0000000, 4], // reserved, broadcast
];

function v4Number(address: string): number | null {
  const parts = address.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function isPublicV4(address: string): boolean {
  const n = v4Number(address);
  return n !== null && !PRIVATE_V4.some(([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
}

/** The eight 16-bit words of an IPv6 address (as the URL parser writes it: compressed, lower case). */
function v6Words(address: string): number[] | null {
  let text = address;
  const v4 = text.match(/(\d+\.\d+\.\d+\.\d+)$/)?.[1];
  if (v4) {
    const n = v4Number(v4);
    if (n === null) return null;
    text = `${text.slice(0, -v4.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = "", tail, extra] = text.split("::");
  if (extra !== undefined) return null;
  const words = (s: string) => (s === "" ? [] : s.split(":").map((w) => (/^[0-9a-f]{1,4}$/i.test(w) ? Number.parseInt(w, 16) : Number.NaN)));
  const h = words(head);
  const t = tail === undefined ? [] : words(tail);
  const fill = 8 - h.length - t.length;
  if ((tail === undefined && fill !== 0) || fill < 0) return null;
  const all = [...h, ...new Array<number>(fill).fill(0), ...t];
  return all.some(Number.isNaN) ? null : all;
}

function isPublicV6(address: string): boolean {
  const w = v6Words(address);
  if (!w) return false;
  const [a = 0, b = 0, , , , , c = 0, d = 0] = w;
  const embeddedV4 = () => `${c >> 8}.${c & 255}.${d >> 8}.${d & 255}`;
  if (w.slice(0, 6).every((x) => x === 0)) return false; // ::, ::1, IPv4-compatible
  if (w.slice(0, 5).every((x) => x === 0) && w[5] === 0xffff) return isPublicV4(embeddedV4()); // IPv4-mapped
  if (a === 0x64 && b === 0xff9b) return isPublicV4(embeddedV4()); // NAT64
  if ((a & 0xfe00) === 0xfc00) return false; // unique local (fc00::/7, incl. fd00:ec2::254 metadata)
  if ((a & 0xffc0) === 0xfe80) return false; // link-local
  if ((a & 0xff00) === 0xff00) return false; // multicast
  if (a === 0x2001 && b === 0x0db8) return false; // documentation
  return true;
}

/** Names that never mean a public host. */
const LOCAL_NAME = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/;

/** Why Roost will not fetch `raw` (a sentence for the logs), or null when it may. */
export function outboundRefusal(raw: string, policy: OutboundPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "not a URL";
  }
  const host = url.hostname.toLowerCase().replace(/\.+$/, "");
  if (policy.allowLoopbackHttp && host === "127.0.0.1" && (url.protocol === "http:" || url.protocol === "https:")) return null;
  if (url.protocol !== "https:") return `only https is fetched (${url.protocol})`;
  if (url.username || url.password) return "credentials in the URL";
  if (host.startsWith("[")) return isPublicV6(host.slice(1, -1)) ? null : `a non-public address (${host})`;
  if (/^[\d.]+$/.test(host)) return isPublicV4(host) ? null : `a non-public address (${host})`;
  if (!host.includes(".") || LOCAL_NAME.test(host)) return `a local name (${host})`;
  return null;
}

/** The body of `res`, refused past `max` bytes (whatever Content-Length claims). */
async function readCapped(res: Response, max: number): Promise<string> {
  const declared = Number(res.headers.get("Content-Length") ?? "0");
  if (declared > max) throw new Error(`response larger than ${max} bytes`);
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new Error(`response larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

export type Signer = (req: Request) => Promise<Request>;

/**
 * GETs an ActivityPub document under the policy: every hop checked, redirects followed by hand (at most 5),
 * 10 s for the whole, 1 MiB at most; `sign` (the authenticated loader) signs each hop's request.
 */
/** A remote server answered with an error status (404 from WebFinger: no such account). */
export class RemoteStatusError extends FetchError {
  constructor(
    url: string,
    readonly status: number,
  ) {
    super(url, `HTTP ${status}: ${url}`);
  }
}

const AP_ACCEPT = "application/activity+json, application/ld+json";

export async function fetchDocument(url: string, policy: OutboundPolicy, sign?: Signer, signal?: AbortSignal, accept = AP_ACCEPT): Promise<RemoteDocument> {
  const deadline = signal ? AbortSignal.any([signal, AbortSignal.timeout(FETCH_TIMEOUT_MS)]) : AbortSignal.timeout(FETCH_TIMEOUT_MS);
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const refusal = outboundRefusal(current, policy);
    if (refusal) throw new FetchError(current, `Refused to fetch ${current}: ${refusal}`);
    const unsigned = new Request(current, { headers: { Accept: accept }, redirect: "manual" });
    const res = await fetch(sign ? await sign(unsigned) : unsigned, { redirect: "manual", signal: deadline });
    const location = res.headers.get("Location");
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      current = new URL(location, current).href;
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new RemoteStatusError(current, res.status);
    }
    const text = await readCapped(res, MAX_DOCUMENT_BYTES);
    return { contextUrl: null, document: JSON.parse(text), documentUrl: current };
  }
  throw new FetchError(url, `Too many redirects from ${url}`);
}

/**
 * WebFinger (RFC 7033) under the same policy: the ActivityPub actor URL that `resource` (`acct:bob@host`, or a
 * profile URL) names on `host`, or null when the server says it has no such account (404, 410) or lists no
 * actor. Fedify's own lookupWebFinger fetches outside our policy, hence this.
 */
export async function webFingerActor(resource: string, host: string, policy: OutboundPolicy): Promise<string | null> {
  const scheme = policy.allowLoopbackHttp && /^127\.0\.0\.1(:\d+)?$/.test(host) ? "http" : "https";
  const url = `${scheme}://${host}/.well-known/webfinger?resource=${encodeURIComponent(resource)}`;
  let jrd: unknown;
  try {
    jrd = (await fetchDocument(url, policy, undefined, undefined, "application/jrd+json, application/json")).document;
  } catch (error) {
    if (error instanceof RemoteStatusError && (error.status === 404 || error.status === 410)) return null;
    throw error;
  }
  const links = typeof jrd === "object" && jrd !== null && "links" in jrd && Array.isArray(jrd.links) ? jrd.links : [];
  for (const link of links) {
    if (typeof link !== "object" || link === null || !("rel" in link) || link.rel !== "self") continue;
    const type = "type" in link && typeof link.type === "string" ? link.type : "";
    const href = "href" in link && typeof link.href === "string" ? link.href : "";
    if (/^application\/(activity\+json|ld\+json)/.test(type) && href) return href;
  }
  return null;
}

/** The loaders Fedify is given (createFederation's documentLoaderFactory, contextLoaderFactory, …). */
export function outboundLoaders(policy: OutboundPolicy, kv: KvStore) {
  const documents: DocumentLoader = kvCache({ loader: (url, options) => fetchDocument(url, policy, undefined, options?.signal), kv });
  // JSON-LD contexts: Fedify's loader answers the common ones from its preloaded copies (no network); any
  // other goes through the same checks and limits as a document.
  const preloaded = getDocumentLoader();
  const contexts: DocumentLoader = async (url, options) => {
    const refusal = outboundRefusal(url, policy);
    if (refusal) throw new FetchError(url, `Refused to fetch ${url}: ${refusal}`);
    return preloaded(url, {
      signal: options?.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(FETCH_TIMEOUT_MS)]) : AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  };
  return {
    documentLoaderFactory: () => documents,
    contextLoaderFactory: () => contexts,
    // A signed GET (Mastodon's authorized fetch): draft-cavage signatures, the same checks; never cached.
    authenticatedDocumentLoaderFactory:
      (identity: { keyId: URL; privateKey: CryptoKey }): DocumentLoader =>
      (url, options) =>
        fetchDocument(url, policy, (req) => signRequest(req, identity.privateKey, identity.keyId), options?.signal),
  };
}
