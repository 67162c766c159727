// "Your posts" (/posts/stats): the author's posts with their views, counted by the sites feature
// (features/sites/own-posts.ts). Only ever rendered for the signed-in author's own posts.

import { formatNumber, t } from "../../i18n";
import { longDate } from "../../lib/time";
import { DataTable } from "../../views/table";
import { EmptyState } from "../../views/ui/empty-state";

/** "Your posts": views per post over the last `days` days, most viewed first. */
export function OwnPostsPage(props: { posts: { id: number; body: string; createdAt: number; views: number }[]; days: number; tz: string }) {
  return (
    <section>
      <h1 class="page-title">{t("posts.yourPosts")}</h1>
      <p class="muted">
        {t("posts.stats.lead", { days: props.days })} <a href="/sites">{t("nav.sites")}</a>.
      </p>
      {props.posts.length === 0 ? (
        <EmptyState>{t("posts.stats.empty", { days: props.days })}</EmptyState>
      ) : (
        <DataTable
          class="own-posts"
          columns={[{ header: t("posts.stats.post") }, { header: t("posts.stats.published") }, { header: t("posts.stats.views"), num: true }]}
          rows={props.posts}
          cells={(p) => (
            <>
              <td>
                <a href={`/post/${p.id}`}>{p.body.length > 80 ? `${p.body.slice(0, 79)}…` : p.body}</a>
              </td>
              <td>{longDate(p.createdAt, props.tz)}</td>
              <td class="num">{formatNumber(p.views)}</td>
            </>
          )}
        />
      )}
    </section>
  );
}
