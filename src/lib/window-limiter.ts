// Request-rate limiting without storage writes: the shape of Cloudflare's Workers Rate Limiting binding,
// and an in-isolate fixed window with the same shape, used where no binding is configured and in tests.

export type Limiter = { limit(options: { key: string }): Promise<{ success: boolean }> };

/**
 * The configured binding, or the fallback where none is: Env types every binding as present, but
 * wrangler.toml may leave one out (local tools, tests), so the value is read as possibly undefined.
 */
export function boundOr(binding: RateLimit | undefined, fallback: Limiter): Limiter {
  return binding ?? fallback;
}

/** Fixed-window counter in this isolate's memory: the fallback, and a controllable limiter for tests. */
export function createWindowLimiter(limit: number, periodSeconds: number, clock: () => number = Date.now): Limiter {
  let window = -1;
  let counts = new Map<string, number>();
  return {
    async limit({ key }) {
      const current = Math.floor(clock() / (periodSeconds * 1000));
      if (current !== window) {
        // A new window forgets every key at once, so the map never outgrows one period's clients.
        window = current;
        counts = new Map();
      }
      const used = counts.get(key) ?? 0;
      if (used >= limit) return { success: false };
      counts.set(key, used + 1);
      return { success: true };
    },
  };
}
