// CSRF defence for the cookie-authenticated web app: every unsafe method must come from this site, as told
// by the Origin header (or Sec-Fetch-Site when a browser omits Origin). No header at all is refused.
// The API and the beacon are other apps (app.ts) and never see this middleware: they read no cookie.
import type { MiddlewareHandler } from "hono";
import type { WebEnv } from "../env";
import { t } from "../i18n";
import { errorResponse } from "./errors";

export const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** This site's own origins: the request's, and BASE_URL's (they differ behind a proxy or in development). */
export function isOwnOrigin(origin: string, requestUrl: string, baseUrl: string): boolean {
  return origin === new URL(requestUrl).origin || origin === new URL(baseUrl).origin;
}

export function isSameSiteRequest(method: string, headers: Headers, requestUrl: string, baseUrl: string): boolean {
  if (SAFE_METHODS.has(method)) return true;
  const origin = headers.get("Origin");
  if (origin && origin !== "null") return isOwnOrigin(origin, requestUrl, baseUrl);
  return headers.get("Sec-Fetch-Site") === "same-origin";
}

export const csrfProtection: MiddlewareHandler<WebEnv> = async (c, next) => {
  if (isSameSiteRequest(c.req.method, c.req.raw.headers, c.req.url, c.get("config").baseUrl)) return next();
  return errorResponse(c, 403, t("error.csrf"));
};
