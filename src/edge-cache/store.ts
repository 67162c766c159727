// The edge cache's storage: the Workers Cache API (caches.default) with our own freshness rules on top. An
// entry carries the time it was stored; within the TTL it is fresh, for a further stale window it may still be
// served while a refresh runs (stale-while-revalidate), after that it is a miss. The Cache API's own expiry
// (Cache-Control max-age) is set to TTL + stale window, so it drops entries nobody would use.
//
// Keys are synthetic URLs on BASE_URL's origin: `/.edge/<locale>/<variant><path><query>`. The language (resolved
// from Accept-Language: a visitor without a session has no setting) and the variant (full page or htmx partial)
// are part of the key because the Cache API ignores Vary, so a Spanish page is never served to an English
// reader; the `/.edge/` prefix is no public page's path, so no request URL can collide with another key. Cache API deletes are per data centre:
// a purge clears the location that served the write, other locations catch up within the TTL.
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import { LOCALES, type Locale } from "../i18n";

export type Variant = "page" | "partial";
export const VARIANTS: Variant[] = ["page", "partial"];
export type Freshness = { ttlMs: number; staleMs: number };

const STORED_AT = "X-Edge-Stored-At";

export function cacheKey(baseUrl: string, pathAndQuery: string, variant: Variant, locale: Locale): string {
  return `${baseUrl}/.edge/${locale}/${variant}${pathAndQuery}`;
}

/** A strong validator for a body: its SHA-256, shortened (collisions within one URL's versions are what matters). */
export async function etagOf(body: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  return `"${encodeBase64urlNoPadding(digest.subarray(0, 18))}"`;
}

export type Found = { state: "hit" | "stale"; response: Response };

/** The stored response for a key, if it is fresh or within the stale window; null otherwise. */
export async function lookup(cache: Cache, key: string, now: number, f: Freshness): Promise<Found | null> {
  const res = await cache.match(key);
  if (!res) return null;
  const age = now - Number(res.headers.get(STORED_AT));
  if (!(age >= 0 && age < f.ttlMs + f.staleMs)) {
    await res.body?.cancel();
    return null;
  }
  const headers = new Headers(res.headers);
  headers.delete(STORED_AT);
  headers.delete("Cache-Control");
  // A fresh, mutable copy: the middleware and the security headers add to it on the way out.
  return { state: age < f.ttlMs ? "hit" : "stale", response: new Response(res.body, { status: res.status, headers }) };
}

/** Stores a response that is safe to share; refuses (false) anything that sets a cookie. */
export async function store(cache: Cache, key: string, body: ArrayBuffer, headers: Headers, now: number, f: Freshness): Promise<boolean> {
  if (headers.has("Set-Cookie")) return false;
  const stored = new Headers(headers);
  stored.set(STORED_AT, String(now));
  stored.set("Cache-Control", `public, max-age=${Math.ceil((f.ttlMs + f.staleMs) / 1000)}`);
  await cache.put(key, new Response(body, { status: 200, headers: stored }));
  return true;
}

/** Deletes every variant, in every language, of these URLs (path + query) from this location's cache. */
export async function purge(cache: Cache, baseUrl: string, urls: string[]): Promise<void> {
  await Promise.all(urls.flatMap((u) => VARIANTS.flatMap((v) => LOCALES.map((l) => cache.delete(cacheKey(baseUrl, u, v, l))))));
}
