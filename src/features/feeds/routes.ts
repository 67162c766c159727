// Atom feeds: /user/<name>/feed.atom and /explore/feed.atom. Public pages (edge-cache/pages.ts): anonymous
// readers get them from the edge cache with an ETag (If-None-Match → 304), and the post/profile purges clear them.
import { Hono } from "hono";
import type { WebEnv } from "../../env";
import { t } from "../../i18n";
import { ATOM_CONTENT_TYPE, type AtomFeed, renderAtom } from "../../lib/atom";
import { errorResponse } from "../../middleware/errors";
import { exploreFeed, memberFeed } from "./service";

export const feedRoutes = new Hono<WebEnv>();

const atom = (feed: AtomFeed) => new Response(renderAtom(feed), { headers: { "Content-Type": ATOM_CONTENT_TYPE } });

feedRoutes.get("/explore/feed.atom", async (c) => atom(await exploreFeed(c.get("db"), c.get("config"))));

feedRoutes.get("/user/:username/feed.atom", async (c) => {
  const feed = await memberFeed(c.get("db"), c.get("config"), c.req.param("username"));
  return feed ? atom(feed) : errorResponse(c, 404, t("feeds.noSuchUser"));
});
