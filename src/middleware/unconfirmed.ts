// Logged-in users who have not confirmed their email may only use the account pages until they do:
// resend the confirmation, log out, reset or change the password, and see, export or delete their data.
// Not change their email: an unproven address swapped for another would let anyone register ADMIN_EMAIL
// and move it to a mailbox they own (issue 10); the daily purge deletes accounts left unconfirmed.
import type { MiddlewareHandler } from "hono";
import type { WebEnv } from "../env";
import { redirect } from "../views/render";

// /avatars/: public pictures, which any page (these included) may show.
const ALLOWED_PREFIXES = ["/auth/", "/account/", "/dev/", "/avatars/"];
const ALLOWED_PATHS = ["/account"];
const BLOCKED_PREFIXES = ["/auth/change-email", "/auth/change_email"];

function allowedWhileUnconfirmed(path: string): boolean {
  if (BLOCKED_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) return false;
  return ALLOWED_PATHS.includes(path) || ALLOWED_PREFIXES.some((p) => path.startsWith(p));
}

export const unconfirmedGate: MiddlewareHandler<WebEnv> = async (c, next) => {
  const user = c.get("user");
  if (user && !user.confirmed && !allowedWhileUnconfirmed(new URL(c.req.url).pathname)) {
    return redirect(c, "/auth/unconfirmed");
  }
  return next();
};
