// The reader's language (issue 12). `readerLocale` runs early in the web app (before the edge cache, which keys
// its pages by language): it resolves the language from Accept-Language, else English, and runs the rest of
// the request inside that locale's scope (src/i18n: `t()` anywhere below reads it). Once the session is loaded,
// `memberLocale` switches to the member's own setting when they chose one. Every answer says which language it
// is in (Content-Language) and that it depends on Accept-Language (Vary).
//
// @example
//   app.use(requestContext, readerLocale, edgeCache(…), d1Session, sessionMiddleware, memberLocale, …);
import type { MiddlewareHandler } from "hono";
import type { WebEnv } from "../env";
import { currentLocale, isLocale, resolveLocale, switchLocale, withLocale } from "../i18n";

export const readerLocale: MiddlewareHandler<WebEnv> = (c, next) => {
  const locale = resolveLocale(null, c.req.header("Accept-Language"));
  c.set("locale", locale);
  return withLocale(locale, async () => {
    await next();
    c.res.headers.append("Vary", "Accept-Language");
    if (!c.res.headers.has("Content-Language")) c.res.headers.set("Content-Language", currentLocale());
  });
};

export const memberLocale: MiddlewareHandler<WebEnv> = async (c, next) => {
  const setting = c.get("user")?.locale;
  if (isLocale(setting)) {
    switchLocale(setting);
    c.set("locale", setting);
  }
  await next();
};
