// Types and helpers shared by the API's middleware and handlers: the app's context plus how this request
// authenticated, the per-request database and URL builders, and the site's per-user write limits.
import type { Context } from "hono";
import { getConfig } from "../../config";
import { getDb } from "../../db";
import type { AppEnv } from "../../env";
import { type AbuseRule, takeSlot } from "../../middleware/abuse";
import type { Credential } from "./credentials";
import { ApiError } from "./errors";
import { apiLinks } from "./serializers";

export type ApiAuth = { via: "password" } | { via: "token"; tokenHash: string };

export type ApiEnv = {
  Bindings: Env;
  Variables: AppEnv["Variables"] & {
    /** What the Authorization header carried, parsed once (the rate limiter and auth both need it). */
    credential: Credential;
    apiAuth: ApiAuth;
  };
};

export type ApiContext = Context<ApiEnv>;

/** Per-request database and link builders for handlers. */
export const dbOf = (c: ApiContext) => getDb(c.env.DB, c.get("dbStats"));
export const linksOf = (c: ApiContext) => apiLinks(getConfig(c.env).baseUrl);

/**
 * Takes a slot of one of the site's per-user write limits (middleware/abuse.ts: the same buckets as the
 * web forms, so the API is no way around them); 429 with Retry-After when none is free.
 */
export async function abuseSlot(c: ApiContext, rule: AbuseRule): Promise<void> {
  const retryAfter = await takeSlot(c as unknown as Context<AppEnv>, rule);
  if (retryAfter !== null) throw new ApiError(429, rule.message, { "Retry-After": String(retryAfter) });
}
