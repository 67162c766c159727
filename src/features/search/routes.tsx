// /search: the page, or (for htmx's active search) just the results.
import { Hono } from "hono";
import type { WebEnv } from "../../env";
import { t } from "../../i18n";
import { parsePageNumber } from "../../lib/pagination";
import { readerTimeZone } from "../../views/reader";
import { renderPage } from "../../views/render";
import { parseSearchRequest, search } from "./service";
import { SearchPage, SearchResults } from "./views";

export const searchRoutes = new Hono<WebEnv>();

searchRoutes.get("/search", async (c) => {
  const r = await search(
    c.get("db"),
    parseSearchRequest((n) => c.req.query(n), parsePageNumber),
    c.get("user")?.id ?? null,
  );
  const show = { r, tz: readerTimeZone(c), now: Date.now() };
  return renderPage(c, { title: r.q ? t("search.titleFor", { q: r.q }) : t("search.title"), fragment: <SearchResults {...show} /> }, <SearchPage {...show} />);
});
