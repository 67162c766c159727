// D1 read replication with sequential consistency per browser (the D1 Sessions API). Each request runs
// its queries in one D1 session: unsafe methods start at the primary ("first-primary"), so a write and
// the reads around it see the latest data; safe ones continue from the bookmark this browser last saw,
// or from any replica when it has none. The bookmark after the request goes back in a cookie, so the
// next page never shows data older than what this browser already wrote or read.
import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { getDb } from "../db";
import type { WebEnv } from "../env";

export const BOOKMARK_COOKIE = "d1_bookmark";
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);
/** D1 bookmarks are four hex groups; anything else in the cookie is ignored rather than sent to D1. */
const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

export function sessionConstraint(method: string, cookie: string | undefined): string {
  if (!SAFE.has(method)) return "first-primary";
  return cookie && BOOKMARK.test(cookie) ? cookie : "first-unconstrained";
}

export const d1Session: MiddlewareHandler<WebEnv> = async (c, next) => {
  const previous = getCookie(c, BOOKMARK_COOKIE);
  // A page rendered for the edge cache is shared by every anonymous visitor: it reads the primary (a purge
  // must not be refilled from a lagging replica; misses are rare) and sets no cookie (it would not be stored).
  const shared = c.get("publicPage") === true;
  const session = c.env.DB.withSession(shared ? "first-primary" : sessionConstraint(c.req.method, previous));
  c.set("db", getDb(session, c.get("dbStats")));
  await next();
  if (shared) return;
  const bookmark = session.getBookmark();
  if (bookmark && bookmark !== previous) {
    setCookie(c, BOOKMARK_COOKIE, bookmark, {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
      secure: new URL(c.req.url).protocol === "https:",
    });
  }
};
