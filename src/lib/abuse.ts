// Abuse limits on write actions (registrations per network, posts and comments per user): an exact D1
// sliding window (lib/rate-limit.ts). Over the limit the caller gets a 429 AppError with Retry-After and a
// friendly message, before any work is done; the web re-renders its form with it, the API answers it as JSON.
import type { Config } from "../config";
import type { Db } from "../db";
import { AppError } from "./errors";
import { type RateLimit, reserve } from "./rate-limit";

export type AbuseRule = {
  bucket: string;
  limit: (config: Config) => RateLimit;
  message: string;
};

const rule = (bucket: string, limit: AbuseRule["limit"], message: string): AbuseRule => ({ bucket, limit, message });

export const abuseRules = {
  registration: rule("register-ip", (c) => c.abuse.registrationsPerIp, "Too many new accounts from your network. Please try again later."),
  post: rule("post-user", (c) => c.abuse.postsPerUser, "You are posting very fast. Take a breath and try again in a minute."),
  comment: rule("comment-user", (c) => c.abuse.commentsPerUser, "You are commenting very fast. Please try again in a minute."),
  message: rule("message-user", (c) => c.abuse.messagesPerUser, "You are sending messages very fast. Please try again in a minute."),
};

/** Who a per-user rule counts. */
export const userKey = (userId: number) => `user:${userId}`;

/**
 * Takes a slot of `rule` for `key`, or returns the 429 to answer. Called by handlers after validation, so a
 * rejected form does not use up the allowance.
 */
export async function takeSlot(db: Db, config: Config, rule: AbuseRule, key: string): Promise<AppError | null> {
  const slot = await reserve(db, rule.bucket, key, rule.limit(config));
  return slot.ok ? null : new AppError(429, rule.message, { "Retry-After": String(slot.retryAfterSeconds) });
}
