// Public pages from the edge cache (Workers Cache API) for visitors without a session. Runs in the web app after
// the security headers (which are added afresh to every answer, cached or not) and before the D1 session and
// the session lookup, so a hit costs no D1 query and no KV read.
//
// Languages: a page is stored once per language (the key holds the locale, resolved from Accept-Language), and
// every answer says `Vary: Accept-Language` (middleware/locale.ts), so no reader gets another language's copy.
// Who gets a cached page: a GET of a page in edge-cache/pages.ts whose only cookies are ones that never change
// a public page (SHARED_COOKIES). A session cookie, a flash or any unknown cookie bypasses the cache both ways
// (never served from it, never fills it). What is stored: a 200 HTML (or Atom) answer that sets no cookie; it holds no
// nonce (the CSP allows the one script by 'self') and no CSRF data (CSRF is checked by Origin).
// Freshness: fresh for EDGE_CACHE_SECONDS, then served stale for EDGE_CACHE_STALE_SECONDS while a refresh
// runs in waitUntil; purged by the domain events (edge-cache/purge.ts). Every public page answers with an
// ETag (If-None-Match → 304) and says hit, stale, miss or bypass in Server-Timing.
//
// @example
//   app.use(edgeCache({ refresh: (req, env, ctx) => app.fetch(req, env, ctx) }));
import type { Context, MiddlewareHandler } from "hono";
import { isPublicPage } from "../edge-cache/pages";
import { cacheKey, etagOf, lookup, store, type Variant } from "../edge-cache/store";
import type { WebEnv } from "../env";
import { isPartial } from "../views/render";

/** Cookies that never change what a public page shows: the D1 bookmark and the All/Followed tab choice. */
const SHARED_COOKIES = new Set(["d1_bookmark", "feed"]);

/** What a public page may be stored as: HTML pages and Atom feeds. */
const STORABLE_TYPES = ["text/html", "application/atom+xml"];
const isStorableType = (type: string | null) => STORABLE_TYPES.some((t) => (type ?? "").startsWith(t));

export type CacheState = "hit" | "stale" | "miss" | "bypass";

/** Requests made by a stale hit to refresh its entry: they skip the lookup and fill the cache. */
const refreshing = new WeakSet<Request>();
/** Keys being refreshed in this isolate, so a burst of stale hits starts one refresh. */
const inFlight = new Set<string>();

export function onlySharedCookies(cookieHeader: string | undefined): boolean {
  if (!cookieHeader) return true;
  return cookieHeader.split(";").every((part) => {
    const name = part.split("=", 1)[0]!.trim();
    return name === "" || SHARED_COOKIES.has(name);
  });
}

function markPublic(res: Response, state: CacheState, etag: string | null): Response {
  res.headers.append("Server-Timing", `cache;desc="${state}"`);
  if (state === "bypass") return res;
  // Browsers may keep the page but must ask again (If-None-Match); shared caches must not mix visitors.
  res.headers.set("Cache-Control", "no-cache");
  res.headers.append("Vary", "Cookie");
  if (etag) res.headers.set("ETag", etag);
  return res;
}

function notModified(c: Context, etag: string | null): boolean {
  const asked = c.req.header("If-None-Match");
  if (!asked || !etag) return false;
  return asked.trim() === "*" || asked.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}

function answer(c: Context, res: Response, state: CacheState): Response {
  const etag = res.headers.get("ETag");
  if (notModified(c, etag)) {
    res.body?.cancel();
    const headers = new Headers({ ETag: etag! });
    const vary = res.headers.get("Vary");
    if (vary) headers.set("Vary", vary);
    return markPublic(new Response(null, { status: 304, headers }), state, etag);
  }
  return markPublic(res, state, etag);
}

export type EdgeCacheOptions = {
  /** Renders a request through the whole web app again (the stale-while-revalidate refresh). */
  refresh: (req: Request, env: Env, ctx: Context["executionCtx"]) => Response | Promise<Response>;
};

export function edgeCache(opts: EdgeCacheOptions): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    if (c.req.method !== "GET" || !isPublicPage(c.req.path)) return next();
    const { baseUrl, edgeCache: freshness } = c.get("config");
    if (freshness.ttlMs === 0 || !onlySharedCookies(c.req.header("Cookie"))) {
      await next();
      c.res = markPublic(c.res, "bypass", null);
      return;
    }
    c.set("publicPage", true);
    const url = new URL(c.req.url);
    const variant: Variant = isPartial(c) ? "partial" : "page";
    // The language was resolved from Accept-Language by middleware/locale.ts (no session here, so no setting).
    const locale = c.get("locale");
    const key = cacheKey(baseUrl, url.pathname + url.search, variant, locale);
    const cache = caches.default;
    const now = Date.now();

    const found = refreshing.has(c.req.raw) ? null : await lookup(cache, key, now, freshness);
    if (found) {
      if (found.state === "stale" && !inFlight.has(key)) {
        inFlight.add(key);
        const req = new Request(c.req.url, {
          headers: { "Accept-Language": locale, ...(variant === "partial" ? { "HX-Request": "true", "HX-Request-Type": "partial" } : {}) },
        });
        refreshing.add(req);
        c.executionCtx.waitUntil(
          Promise.resolve(opts.refresh(req, c.env, c.executionCtx))
            .then((r) => r.body?.cancel())
            .finally(() => inFlight.delete(key)),
        );
      }
      return answer(c, found.response, found.state);
    }

    await next();
    const res = c.res;
    if (res.status !== 200 || !isStorableType(res.headers.get("Content-Type")) || res.headers.has("Set-Cookie")) {
      c.res = markPublic(res, "miss", null);
      return;
    }
    const body = await res.arrayBuffer();
    const headers = new Headers(res.headers);
    headers.set("ETag", await etagOf(body));
    c.executionCtx.waitUntil(store(cache, key, body, headers, now, freshness));
    c.res = undefined;
    c.res = answer(c, new Response(body, { status: 200, headers }), "miss");
  };
}
