// Newer / Older links of a keyset-paginated list (lib/pagination.ts): plain links, so they work without JavaScript.
// `oob`: sent with a "Load more" fragment, so the pager below the list moves on (or goes) in place.

import { t } from "../i18n";
import type { KeysetPage } from "../lib/pagination";

export function Pager(props: { basePath: string; page: KeysetPage<unknown>; oob?: boolean }) {
  const { page, basePath } = props;
  if (!page.newerQuery && !page.olderQuery) return props.oob ? <nav id="pager" hx-swap-oob="delete" /> : null;
  const first = page.firstPage ?? page.page;
  return (
    <nav class="pager" id="pager" aria-label={t("pager.label")} hx-swap-oob={props.oob ? "true" : undefined}>
      {page.newerQuery ? (
        <a href={basePath + page.newerQuery} rel="prev">
          ← {t("pager.newer")}
        </a>
      ) : (
        <span />
      )}
      <span class="muted">{first < page.page ? t("pager.pages", { first, last: page.page }) : t("pager.page", { page: page.page })}</span>
      {page.olderQuery ? (
        <a href={basePath + page.olderQuery} rel="next">
          {t("pager.older")} →
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}
