// The API app's context: what every app has (db, config, requestId; env.ts) plus how this request
// authenticated; and the helpers handlers share: URL builders and the site's per-user write limits.
import type { Context } from "hono";
import type { BaseVariables, CurrentUser } from "../../env";
import { type AbuseRule, takeSlot, userKey } from "../../lib/abuse";
import type { Credential } from "./credentials";
import { apiLinks } from "./serializers";

export type ApiAuth = { via: "password" } | { via: "token"; tokenHash: string };

export type ApiEnv = {
  Bindings: Env;
  Variables: BaseVariables & {
    /** What the Authorization header carried, parsed once (the rate limiter and auth both need it). */
    credential: Credential;
    apiAuth: ApiAuth;
    user: CurrentUser;
  };
};

export type ApiContext = Context<ApiEnv>;

export const linksOf = (c: ApiContext) => apiLinks(c.get("config").baseUrl);

/**
 * Takes a slot of one of the site's per-user write limits (lib/abuse.ts: the same buckets as the web forms,
 * so the API is no way around them); throws the 429 (with Retry-After) when none is free.
 */
export async function abuseSlot(c: ApiContext, rule: AbuseRule, userId: number): Promise<void> {
  const limited = await takeSlot(c.get("db"), c.get("config"), rule, userKey(userId));
  if (limited) throw limited;
}
