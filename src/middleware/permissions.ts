// Route guards: login required, or a permission bit of the user's role. Checked on the server for
// every action; templates only hide what these already refuse.
import type { Context, Handler, MiddlewareHandler } from "hono";
import type { CurrentUser, WebEnv } from "../env";
import { t } from "../i18n";
import { can, type PermissionBit } from "../lib/permissions";
import { flash } from "../views/flash";
import { redirect } from "../views/render";
import { errorResponse, wantsJson } from "./errors";

/** Anonymous users are sent to the login page (HTML, with `reason` as a flash when given) or get 401 (JSON). */
async function toLogin(c: Context<WebEnv>, reason?: string): Promise<Response> {
  if (wantsJson(c)) return errorResponse(c, 401, t("error.logInFirst"));
  if (reason) await flash(c, reason, "info");
  const url = new URL(c.req.url);
  const back = c.req.method === "GET" ? url.pathname + url.search : "/";
  return redirect(c, `/auth/login?next=${encodeURIComponent(back)}`);
}

/** Guards every route after it (e.g. a whole sub-router); handlers get the user through `withUser`. */
export const requireLogin: MiddlewareHandler<WebEnv> = async (c, next) => (c.get("user") ? next() : toLogin(c));

/**
 * A handler for logged-in users only: it receives the user, never null; anonymous users go to the login
 * page as with `requireLogin`, told `loginReason()` (in the reader's language) when given (a mailed link opened while logged out would
 * otherwise land on a login form with no word of why).
 *
 * @example
 * authRoutes.post("/change-password", withUser(async (c, user) => ...));
 */
export function withUser<P extends string>(
  handler: (c: Context<WebEnv, P>, user: CurrentUser) => Response | Promise<Response>,
  loginReason?: () => string,
): Handler<WebEnv, P> {
  return (c) => {
    const user = c.get("user");
    return user ? handler(c, user) : toLogin(c, loginReason?.());
  };
}

/** 403 unless the current user's role has `perm`; anonymous users have no permissions. */
export function requirePermission(perm: PermissionBit): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    if (can(c.get("user"), perm)) return next();
    return errorResponse(c, 403, t("error.noPermission"));
  };
}
