// Route guards: login required, or a permission bit of the user's role. Checked on the server for
// every action; templates only hide what these already refuse.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { can, type PermissionBit } from "../lib/permissions";
import { redirect } from "../views/render";
import { errorResponse, wantsJson } from "./errors";

/** Anonymous users are sent to the login page (HTML) or get 401 (JSON). */
export const requireLogin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get("user")) return next();
  if (wantsJson(c)) return errorResponse(c, 401, "Log in to do that.");
  const url = new URL(c.req.url);
  const back = c.req.method === "GET" ? url.pathname + url.search : "/";
  return redirect(c, `/auth/login?next=${encodeURIComponent(back)}`);
};

/** 403 unless the current user's role has `perm`; anonymous users have no permissions. */
export function requirePermission(perm: PermissionBit): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (can(c.get("user"), perm)) return next();
    return errorResponse(c, 403, "You do not have permission to do that.");
  };
}
