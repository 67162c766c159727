// The site's own static pages, linked from the footer: About (what Roost is, where its source lives) and
// Privacy (what Roost stores and why). Nothing personal in them, so they are the same for everyone.
import { Hono } from "hono";
import type { WebEnv } from "../../env";
import { t } from "../../i18n";
import { renderPage } from "../../views/render";
import { AboutPage, PrivacyPage } from "./views";

export const pageRoutes = new Hono<WebEnv>();

pageRoutes.get("/about", (c) => {
  const config = c.get("config");
  return renderPage(c, { title: t("pages.about.title") }, <AboutPage appName={config.appName} sourceUrl={config.sourceUrl} />);
});

pageRoutes.get("/privacy", (c) => renderPage(c, { title: t("pages.privacy.title") }, <PrivacyPage appName={c.get("config").appName} />));
