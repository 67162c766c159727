// Refuses to serve without a real SECRET_KEY outside development: flash cookies are signed with it, and a
// missing or short key (a forgotten `wrangler secret put`) must stop the site loudly rather than sign with
// something guessable. Every request answers 503 and logs which secret is wrong; the visitor learns nothing
// about the setup. In development a missing key is replaced by a random one (views/flash.ts).
import type { MiddlewareHandler } from "hono";
import { secretKeyProblem } from "../config";
import type { BaseEnv } from "../env";
import { log } from "../lib/log";

export const requireSecretKey: MiddlewareHandler<BaseEnv> = async (c, next) => {
  const problem = secretKeyProblem(c.get("config"));
  if (!problem) return next();
  log("error", problem, { requestId: c.get("requestId") });
  c.header("Retry-After", "300");
  return c.text("This site is not configured yet. Please try again later.", 503);
};
