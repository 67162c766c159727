// Refuses to serve without a real SECRET_KEY outside development: flash cookies are signed with it, and a
// missing or short key (a forgotten `wrangler secret put`) must stop the site loudly rather than sign with
// something guessable. Every request answers 503 and logs which secret is wrong; the visitor learns nothing
// about the setup. In development a missing key is replaced by a random one (middleware/flash.ts).
import type { MiddlewareHandler } from "hono";
import { getConfig, secretKeyProblem } from "../config";
import type { AppEnv } from "../env";

export const requireSecretKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  const problem = secretKeyProblem(getConfig(c.env));
  if (!problem) return next();
  console.error(JSON.stringify({ level: "error", requestId: c.get("requestId"), msg: problem }));
  c.header("Retry-After", "300");
  return c.text("This site is not configured yet. Please try again later.", 503);
};
