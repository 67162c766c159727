// Security headers on every response of the web app and the API (HSTS, nosniff, X-Frame-Options DENY,
// Referrer-Policy), and on HTML a Content-Security-Policy. The policy allows no inline script or style and no
// eval: htmx is loaded from /htmx.min.js ('self') and configured (in the layout) not to inject its indicator
// stylesheet; its Function-based features (hx-on, trigger filters) are not used. There is no script nonce: the
// one script is 'self', and a per-request nonce baked into the HTML would keep pages out of the edge cache.
// Referrer-Policy defaults to same-origin, but a handler may set a stricter one (token pages use no-referrer).
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { BaseEnv, WebEnv } from "../env";

const base = secureHeaders({ referrerPolicy: false, crossOriginEmbedderPolicy: false, xFrameOptions: "DENY" });

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https://secure.gravatar.com",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

export const securityHeaders: MiddlewareHandler<BaseEnv> = async (c, next) => {
  await base(c, next);
  if (!c.res.headers.has("Referrer-Policy")) c.res.headers.set("Referrer-Policy", "same-origin");
};

/** The web app's pages: the policy on every HTML answer (cached ones included). */
export const pageSecurity: MiddlewareHandler<WebEnv> = async (c, next) => {
  await next();
  if ((c.res.headers.get("Content-Type") ?? "").startsWith("text/html")) {
    c.res.headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  }
};
