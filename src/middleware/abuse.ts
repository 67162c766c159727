// Abuse limits on write actions (registrations per IP, posts and comments per user): an exact D1
// sliding window (lib/rate-limit.ts). Over the limit, the request gets 429 with Retry-After and a
// friendly message, before any work is done.
import type { Context } from "hono";
import { getConfig } from "../config";
import { requestDb } from "../db/request";
import type { AppEnv } from "../env";
import { clientNetwork } from "../lib/client-network";
import { reserve, type RateLimit } from "../lib/rate-limit";

export type AbuseRule = {
  bucket: string;
  limit: (env: Env) => RateLimit;
  /** Who is counted: the user, or the client's network (lib/client-network). */
  key: (c: Context<AppEnv>) => string;
  message: string;
};

export const rules = {
  registration: {
    bucket: "register-ip",
    limit: (env) => getConfig(env).abuse.registrationsPerIp,
    key: (c) => clientNetwork(c.req.raw.headers),
    message: "Too many new accounts from your network. Please try again later.",
  },
  post: {
    bucket: "post-user",
    limit: (env) => getConfig(env).abuse.postsPerUser,
    key: (c) => `user:${c.get("user")?.id}`,
    message: "You are posting very fast. Take a breath and try again in a minute.",
  },
  comment: {
    bucket: "comment-user",
    limit: (env) => getConfig(env).abuse.commentsPerUser,
    key: (c) => `user:${c.get("user")?.id}`,
    message: "You are commenting very fast. Please try again in a minute.",
  },
} satisfies Record<string, AbuseRule>;

/**
 * Takes a slot for this action or returns the seconds until one frees. Called by handlers after
 * validation, so a rejected form does not use up the allowance.
 */
export async function takeSlot(c: Context<AppEnv>, rule: AbuseRule): Promise<number | null> {
  const slot = await reserve(requestDb(c), rule.bucket, rule.key(c), rule.limit(c.env));
  if (slot.ok) return null;
  c.header("Retry-After", String(slot.retryAfterSeconds));
  return slot.retryAfterSeconds;
}

