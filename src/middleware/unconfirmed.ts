// Logged-in users who have not confirmed their email may only use the account pages until they do.
import type { MiddlewareHandler } from "hono";
import type { WebEnv } from "../env";
import { redirect } from "../views/render";

const ALLOWED_PREFIXES = ["/auth/", "/dev/"];

export const unconfirmedGate: MiddlewareHandler<WebEnv> = async (c, next) => {
  const user = c.get("user");
  const path = new URL(c.req.url).pathname;
  if (user && !user.confirmed && !ALLOWED_PREFIXES.some((p) => path.startsWith(p))) {
    return redirect(c, "/auth/unconfirmed");
  }
  return next();
};
