// CSRF defence for the cookie-authenticated web app: every unsafe method must come from this site, as told
// by the Origin header (or Sec-Fetch-Site when a browser omits Origin). No header at all is refused.
// The API and the beacon are other apps (app.ts) and never see this middleware: they read no cookie.
import type { MiddlewareHandler } from "hono";
import type { WebEnv } from "../env";
import { errorResponse } from "./errors";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function isSameSiteRequest(method: string, headers: Headers, requestUrl: string, baseUrl: string): boolean {
  if (SAFE.has(method)) return true;
  const origin = headers.get("Origin");
  if (origin && origin !== "null") {
    return origin === new URL(requestUrl).origin || origin === new URL(baseUrl).origin;
  }
  return headers.get("Sec-Fetch-Site") === "same-origin";
}

export const csrfProtection: MiddlewareHandler<WebEnv> = async (c, next) => {
  if (isSameSiteRequest(c.req.method, c.req.raw.headers, c.req.url, c.get("config").baseUrl)) return next();
  return errorResponse(c, 403, "This form came from another site or an old page. Go back, reload the page and try again.");
};
