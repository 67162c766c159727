// Newer / Older links of a keyset-paginated list (lib/pagination.ts): plain links, so they work without JavaScript.
import type { KeysetPage } from "../lib/pagination";

export function Pager(props: { basePath: string; page: KeysetPage<unknown> }) {
  const { page, basePath } = props;
  if (!page.newerQuery && !page.olderQuery) return null;
  return (
    <nav class="pager" aria-label="Pages">
      {page.newerQuery ? (
        <a href={basePath + page.newerQuery} rel="prev">
          ← Newer
        </a>
      ) : (
        <span />
      )}
      <span class="muted">Page {page.page}</span>
      {page.olderQuery ? (
        <a href={basePath + page.olderQuery} rel="next">
          Older →
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}
