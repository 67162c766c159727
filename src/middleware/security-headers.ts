// Security headers on every response. Referrer-Policy defaults to same-origin but a handler may set a
// stricter one (token pages use no-referrer), so ours is only added when the handler set none.
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../env";

const base = secureHeaders({ referrerPolicy: false, crossOriginEmbedderPolicy: false });

export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await base(c, next);
  if (!c.res.headers.has("Referrer-Policy")) c.res.headers.set("Referrer-Policy", "same-origin");
};
