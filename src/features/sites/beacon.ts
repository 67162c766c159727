// The tracking beacon, GET|POST /sites/:id/visit: open CORS, cookie-less, and mounted in app.ts before
// the session, body-limit and CSRF middleware, none of which apply to it. It validates the hit, derives
// everything that will be stored (path, referrer host, browser/OS/device, location from request.cf, the
// daily visitor id) so neither the IP nor the user agent ever leaves the request, puts the visit on the
// visits queue off the response path and answers 204 at once. D1 is only read here, and rarely: site base
// URLs and the day's salt are cached in isolate memory.
import type { Context } from "hono";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { z } from "zod";
import { CAMPAIGN_PARAMS, EVENT_NAME, MAX_PATH_LENGTH, MAX_PROP_VALUE, MAX_PROPS, PROP_KEY, type VisitMessage } from "../../db/visit-fields";
import type { BaseEnv } from "../../env";
import { clientNetwork } from "../../lib/client-network";
import { ERROR_NAMES } from "../../lib/errors";
import { parseId } from "../../lib/ids";
import { log } from "../../lib/log";
import { boundOr, createWindowLimiter } from "../../lib/window-limiter";
import { dayStart } from "./period";
import { findSiteBaseUrl } from "./queries";
import { isBot, parseUserAgent } from "./ua";
import { dailySalt, visitorId } from "./visitor";

/** Room for 30 custom properties at their longest (30 × (64 + 256) characters, JSON-escaped). */
export const BEACON_MAX_BODY = 16 * 1024;
/** Must match wrangler.toml's BEACON_IP_LIMITER. */
export const BEACON_RATE_LIMIT = { limit: 600, period: 60 } as const;
const beaconFallbackLimiter = createWindowLimiter(BEACON_RATE_LIMIT.limit, BEACON_RATE_LIMIT.period);
export const MAX_URL_LENGTH = 2048;
export const DEFAULT_EVENT = "pageview";

/** `/sites/<id>/visit`, the only path the CSRF check and the cookie middleware leave alone. */
export const isBeaconPath = (path: string) => /^\/sites\/[^/]+\/visit\/?$/.test(path);

const optionalText = (name: string) =>
  z
    .string({ error: `${name} must be a string` })
    .max(MAX_URL_LENGTH, `${name} is longer than ${MAX_URL_LENGTH} characters`)
    .optional();

const beaconInput = z.object({
  url: optionalText("url"),
  referrer: optionalText("referrer"),
  event: z
    .string({ error: "event must be a string" })
    .regex(EVENT_NAME, "event must be 1 to 64 letters, digits, spaces or _ . : / - (starting with a letter or digit)")
    .optional(),
});

/**
 * A custom event's properties: a JSON object of at most MAX_PROPS keys (PROP_KEY: letters, digits, _ . -,
 * 1 to 64 characters, so `prop:<key>:is:<value>` filters parse) with string values of 1 to MAX_PROP_VALUE
 * characters; finite numbers and booleans are stored as their text ("3", "true"), anything else is refused.
 * Absent or `{}` is none. Returns the JSON text to store, null for none, or the reason it is refused.
 */
export function parseProps(raw: unknown): { ok: true; json: string | null } | { ok: false; message: string } {
  if (raw === undefined || raw === null) return { ok: true, json: null };
  if (typeof raw !== "object" || Array.isArray(raw)) return { ok: false, message: "props must be an object of strings" };
  const entries = Object.entries(raw);
  if (entries.length > MAX_PROPS) return { ok: false, message: `props can have at most ${MAX_PROPS} keys` };
  const out: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (!PROP_KEY.test(key)) return { ok: false, message: "each props key must be 1 to 64 letters, digits or _ . - (starting with a letter, digit or _)" };
    const text = typeof value === "string" ? value : (typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean" ? String(value) : null;
    if (text === null) return { ok: false, message: `props.${key} must be a string, a number or a boolean` };
    if (text.length < 1 || text.length > MAX_PROP_VALUE) return { ok: false, message: `props.${key} must be 1 to ${MAX_PROP_VALUE} characters` };
    out[key] = text;
  }
  return { ok: true, json: entries.length ? JSON.stringify(out) : null };
}

type BeaconErrorStatus = 400 | 404 | 413 | 429 | 503;
type Reject = { status: BeaconErrorStatus; message: string };
/** The site's error names, plus the beacon's own 503 (the queue or D1 is down; the page may try again). */
const ERROR_NAME: Record<BeaconErrorStatus, string> = { ...ERROR_NAMES, 503: "unavailable" };

/** Every refusal is JSON in the API's shape, `{error, message}`; the CORS headers are already on. */
function reject(c: Context<BaseEnv>, r: Reject): Response {
  return c.json({ error: ERROR_NAME[r.status], message: r.message }, r.status);
}

// --- Site base URLs, cached per isolate ---------------------------------------------------------------

// Base URLs never change (a site can be renamed, not moved), so caching them is safe; a deleted site may
// still be accepted for SITE_TTL_MS, and the consumer then drops its visits.
const SITE_TTL_MS = 60_000;
const UNKNOWN_TTL_MS = 10_000;
const SITE_CACHE_MAX = 5_000;
const siteCache = new Map<number, { baseUrl: string | null; until: number }>();

async function siteBaseUrl(c: Context<BaseEnv>, siteId: number, now: number): Promise<string | null> {
  const hit = siteCache.get(siteId);
  if (hit && hit.until > now) return hit.baseUrl;
  const baseUrl = await findSiteBaseUrl(c.get("db"), siteId);
  if (siteCache.size >= SITE_CACHE_MAX) siteCache.delete(siteCache.keys().next().value!);
  siteCache.set(siteId, { baseUrl, until: now + (baseUrl ? SITE_TTL_MS : UNKNOWN_TTL_MS) });
  return baseUrl;
}

// --- Input ------------------------------------------------------------------------------------------

/** The hit's fields from the query string, overridden by a JSON or form body (what tracker.js sends). */
async function readInput(c: Context<BaseEnv>): Promise<{ ok: true; data: z.output<typeof beaconInput>; props: unknown } | { ok: false; reject: Reject }> {
  const fields: Record<string, unknown> = {};
  let props: unknown;
  for (const key of ["url", "referrer", "event"]) {
    const v = c.req.query(key);
    if (v !== undefined) fields[key] = v;
  }
  if (c.req.method === "POST") {
    const text = await c.req.text();
    if (text.trim() !== "") {
      const type = c.req.header("Content-Type") ?? "";
      let body: unknown;
      if (type.startsWith("application/x-www-form-urlencoded")) {
        body = Object.fromEntries(new URLSearchParams(text));
      } else {
        // sendBeacon sends text/plain (no CORS preflight); fetch may send application/json.
        try {
          body = JSON.parse(text);
        } catch {
          return { ok: false, reject: { status: 400, message: "body is not valid JSON" } };
        }
      }
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        return { ok: false, reject: { status: 400, message: "body must be a JSON object" } };
      }
      for (const key of ["url", "referrer", "event"]) if (key in body) fields[key] = Reflect.get(body, key);
      props = Reflect.get(body, "props");
    }
  }
  const parsed = beaconInput.safeParse(fields);
  if (!parsed.success) return { ok: false, reject: { status: 400, message: parsed.error.issues[0]!.message } };
  return { ok: true, data: parsed.data, props };
}

function parseHttpUrl(raw: string): URL | null {
  try {
    const url = new URL(raw);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

/** True when `url` is the base URL or below it (on a path-segment boundary). */
export function isUnderBase(url: URL, baseUrl: string): boolean {
  const base = new URL(baseUrl);
  if (url.origin !== base.origin) return false;
  const basePath = base.pathname.replace(/\/+$/, "");
  return basePath === "" || url.pathname === basePath || url.pathname.startsWith(`${basePath}/`);
}

const bareHost = (host: string) => host.toLowerCase().replace(/^www\./, "");

/** The referring site's host; none for internal navigation or a referrer without a host. */
function referrerHost(raw: string | undefined, site: URL): string | null | undefined {
  if (!raw) return null;
  let ref: URL;
  try {
    ref = new URL(raw);
  } catch {
    return undefined;
  }
  if (!ref.hostname) return null;
  const host = bareHost(ref.hostname);
  return host === bareHost(site.hostname) ? null : host.slice(0, 255);
}

function cfLocation(c: Context<BaseEnv>) {
  // Absent off Cloudflare (local tools, tests); each field is checked below, not trusted to be a string.
  const cf = c.req.raw.cf;
  const text = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim().slice(0, 100) : null);
  const num = (v: unknown) => {
    const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
    return Number.isFinite(n) ? n : null;
  };
  const country = text(cf?.country);
  return {
    // "XX" is Cloudflare's "unknown".
    country: country && country !== "XX" ? country.toUpperCase().slice(0, 2) : null,
    region: text(cf?.region),
    city: text(cf?.city),
    latitude: num(cf?.latitude),
    longitude: num(cf?.longitude),
  };
}

function randomUid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** Privacy signals and bots: answered like any accepted hit, but nothing is looked at or stored. */
export function shouldIgnore(headers: Headers): boolean {
  return headers.get("DNT") === "1" || headers.get("Sec-GPC") === "1" || isBot(headers.get("User-Agent") ?? "");
}

// --- The route ----------------------------------------------------------------------------------------

export const beaconRoutes = new Hono<BaseEnv>();

beaconRoutes.use(
  "/:id/visit",
  async (c, next) => {
    await next();
    // Mounted before the app's securityHeaders: its own headers. cross-origin so <img> and sendBeacon
    // responses from other sites are not blocked; no-store so an image beacon is never answered from cache.
    c.res.headers.set("Cache-Control", "no-store");
    c.res.headers.set("Cross-Origin-Resource-Policy", "cross-origin");
    c.res.headers.set("X-Content-Type-Options", "nosniff");
    c.res.headers.set("Referrer-Policy", "no-referrer");
  },
  cors({ origin: "*", allowMethods: ["GET", "POST"], allowHeaders: ["Content-Type"], maxAge: 86400 }),
  bodyLimit({
    maxSize: BEACON_MAX_BODY,
    onError: (c) => reject(c, { status: 413, message: `body is larger than ${BEACON_MAX_BODY} bytes` }),
  }),
);

beaconRoutes.on(["GET", "POST"], "/:id/visit", async (c) => {
  try {
    return await recordHit(c);
  } catch (err) {
    // Answered here, as JSON: the app's error page would read (and could clear) the flash cookie.
    log("error", "beacon failed", { requestId: c.get("requestId"), error: String(err) });
    return reject(c, { status: 503, message: "the visit could not be recorded; try again later" });
  }
});

/**
 * The page URL's campaign parameters (utm_source, …), each trimmed and cut to 255 characters; absent or empty
 * is null. The rest of the query string is never stored.
 */
export function campaignOf(url: URL): Pick<VisitMessage, keyof typeof CAMPAIGN_PARAMS> {
  const value = (param: string) => (url.searchParams.get(param) ?? "").trim().slice(0, 255) || null;
  return {
    utmSource: value(CAMPAIGN_PARAMS.utmSource),
    utmMedium: value(CAMPAIGN_PARAMS.utmMedium),
    utmCampaign: value(CAMPAIGN_PARAMS.utmCampaign),
    utmTerm: value(CAMPAIGN_PARAMS.utmTerm),
    utmContent: value(CAMPAIGN_PARAMS.utmContent),
  };
}

async function recordHit(c: Context<BaseEnv>): Promise<Response> {
  const siteId = parseId(c.req.param("id"));
  if (siteId === null) return reject(c, { status: 404, message: "unknown site" });
  // HEAD (link checkers, prefetchers) and privacy signals: answered, never counted.
  if (c.req.method === "HEAD" || shouldIgnore(c.req.raw.headers)) return c.body(null, 204);
  // Flooding: counted per client network (IPv4 address or IPv6 /64) by the Rate Limiting binding (no storage write per hit).
  const limiter = boundOr(c.env.BEACON_IP_LIMITER, beaconFallbackLimiter);
  if (!(await limiter.limit({ key: `beacon:${clientNetwork(c.req.raw.headers)}` })).success) {
    c.header("Retry-After", String(BEACON_RATE_LIMIT.period));
    return reject(c, { status: 429, message: "too many hits from this address; slow down" });
  }

  const input = await readInput(c);
  if (!input.ok) return reject(c, input.reject);
  const { url: urlField, referrer, event = DEFAULT_EVENT } = input.data;
  const props = parseProps(input.props);
  if (!props.ok) return reject(c, { status: 400, message: props.message });
  if (props.json !== null && event === DEFAULT_EVENT) return reject(c, { status: 400, message: "props are only for custom events, not pageviews" });
  const rawUrl = urlField || c.req.header("Referer");
  if (!rawUrl) return reject(c, { status: 400, message: "url is required (or a Referer header)" });
  const url = parseHttpUrl(rawUrl);
  if (!url) return reject(c, { status: 400, message: "url must be an absolute http(s) URL" });

  const now = Date.now();
  const db = c.get("db");
  const [baseUrl, salt] = await Promise.all([siteBaseUrl(c, siteId, now), dailySalt(db, dayStart(now))]);
  if (!baseUrl) return reject(c, { status: 404, message: "unknown site" });
  // Generic on purpose: anyone can call the beacon, and the base URL would tell them whose site an id is.
  if (!isUnderBase(url, baseUrl)) return reject(c, { status: 400, message: "url is not under this site's base URL" });
  const refHost = referrerHost(referrer, url);
  if (refHost === undefined) return reject(c, { status: 400, message: "referrer must be a URL" });

  const ua = c.req.header("User-Agent") ?? "";
  const message: VisitMessage = {
    uid: randomUid(),
    siteId,
    ts: now,
    path: url.pathname.slice(0, MAX_PATH_LENGTH),
    referrerHost: refHost,
    event,
    ...parseUserAgent(ua),
    ...cfLocation(c),
    // The raw address, not the network: the visitor id tells visitors apart, it is not a limit key.
    visitor: visitorId(salt, siteId, c.req.header("CF-Connecting-IP") ?? "", ua),
    ...campaignOf(url),
    props: props.json,
  };
  c.executionCtx.waitUntil(
    c.env.VISITS_QUEUE.send(message).catch((err: unknown) => {
      // Losing one hit is better than making the page wait on the queue; the log shows it happened.
      log("error", "visit enqueue failed", { siteId, error: String(err) });
    }),
  );
  return c.body(null, 204);
}
