// Security headers on every response of the web app and the API (HSTS, nosniff, X-Frame-Options DENY,
// Referrer-Policy), and on HTML a Content-Security-Policy with a per-request nonce. The policy allows no
// inline script or style and no eval: htmx is loaded from /htmx.min.js and configured (in the layout) not to
// inject its indicator stylesheet; its Function-based features (hx-on, trigger filters) are not used.
// Referrer-Policy defaults to same-origin, but a handler may set a stricter one (token pages use no-referrer).
import { encodeBase64 } from "@oslojs/encoding";
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { BaseEnv, WebEnv } from "../env";

const base = secureHeaders({ referrerPolicy: false, crossOriginEmbedderPolicy: false, xFrameOptions: "DENY" });

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data: https://secure.gravatar.com",
    "connect-src 'self'",
    "font-src 'self'",
    "form-action 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export const securityHeaders: MiddlewareHandler<BaseEnv> = async (c, next) => {
  await base(c, next);
  if (!c.res.headers.has("Referrer-Policy")) c.res.headers.set("Referrer-Policy", "same-origin");
};

/** The web app's pages: a fresh script nonce per request, and the policy on every HTML answer. */
export const pageSecurity: MiddlewareHandler<WebEnv> = async (c, next) => {
  const nonce = encodeBase64(crypto.getRandomValues(new Uint8Array(16)));
  c.set("cspNonce", nonce);
  await next();
  if ((c.res.headers.get("Content-Type") ?? "").startsWith("text/html")) {
    c.res.headers.set("Content-Security-Policy", contentSecurityPolicy(nonce));
  }
};
