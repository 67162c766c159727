// Request-rate limits for /api/v1, through Cloudflare's Workers Rate Limiting bindings (wrangler.toml
// [[ratelimits]]): no D1 or KV write per request. Token-authenticated requests count against their token;
// everything else (no credentials, passwords, the OpenAPI document) counts against the client's network
// (lib/client-network: the IPv4 address or IPv6 /64), and so does every failed token. The bindings count per Cloudflare location and are eventually consistent:
// a client spread over several locations can exceed a limit somewhat. Where no binding is configured, an
// in-isolate fixed window with the same numbers stands in (an approximation: per isolate, not global).
// Brute force on passwords is limited separately and exactly, in D1, by the web login's failure limit.
import { boundOr, createWindowLimiter, type Limiter } from "../../lib/window-limiter";

/** Must match wrangler.toml. The binding API has no "time left", so Retry-After is one full period. */
export const API_RATE_LIMITS = {
  token: { limit: 300, period: 60 },
  ip: { limit: 120, period: 60 },
} as const;

const fallbacks = {
  token: createWindowLimiter(API_RATE_LIMITS.token.limit, API_RATE_LIMITS.token.period),
  ip: createWindowLimiter(API_RATE_LIMITS.ip.limit, API_RATE_LIMITS.ip.period),
};

export type { Limiter };

export type LimitKind = keyof typeof API_RATE_LIMITS;

function limiterFor(env: Env, kind: LimitKind): Limiter {
  return boundOr(kind === "token" ? env.API_TOKEN_LIMITER : env.API_IP_LIMITER, fallbacks[kind]);
}

/** Counts one request; returns the Retry-After seconds when the key is over its limit, else null. */
export async function overLimit(env: Env, kind: LimitKind, key: string): Promise<number | null> {
  const { success } = await limiterFor(env, kind).limit({ key: `${kind}:${key}` });
  return success ? null : API_RATE_LIMITS[kind].period;
}
