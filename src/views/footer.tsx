// The footer on every page: what Roost is, the API reference, what it stores (privacy) and where its code is.
import type { Context } from "hono";
import type { WebEnv } from "../env";
import { t } from "../i18n";

export function Footer(props: { c: Context<WebEnv>; appName: string }) {
  const source = props.c.get("config").sourceUrl || "/about#source";
  return (
    <footer class="site-footer">
      <div>
        <p>{t("footer.tagline", { app: props.appName })}</p>
        <nav aria-label={t("footer.label")}>
          <ul>
            <li>
              <a href="/about">{t("footer.about")}</a>
            </li>
            <li>
              <a href="/api">API</a>
            </li>
            <li>
              <a href="/privacy">{t("footer.privacy")}</a>
            </li>
            <li>
              <a href={source}>{t("footer.source")}</a>
            </li>
          </ul>
        </nav>
      </div>
    </footer>
  );
}
