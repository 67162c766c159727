// "Your posts" (/posts/stats): the author's posts with their views, counted by the sites feature
// (features/sites/own-posts.ts). Only ever rendered for the signed-in author's own posts.
import { longDate } from "../../lib/time";
import { EmptyState } from "../../views/ui/empty-state";

/** "Your posts": views per post over the last `days` days, most viewed first. */
export function OwnPostsPage(props: { posts: { id: number; body: string; createdAt: number; views: number }[]; days: number; tz: string }) {
  return (
    <section>
      <h1 class="page-title">Your posts</h1>
      <p class="muted">
        Views of your posts in the last {props.days} days, counted without cookies or stored addresses; visitors who ask not to be tracked (Do Not Track, Global
        Privacy Control) and bots are not counted, nor are your own visits. Only you see these numbers. The full report is under <a href="/sites">Sites</a>.
      </p>
      {props.posts.length === 0 ? (
        <EmptyState>None of your posts has been viewed in the last {props.days} days.</EmptyState>
      ) : (
        <table class="own-posts">
          <thead>
            <tr>
              <th scope="col">Post</th>
              <th scope="col">Published</th>
              <th scope="col" class="num">
                Views
              </th>
            </tr>
          </thead>
          <tbody>
            {props.posts.map((p) => (
              <tr>
                <td>
                  <a href={`/post/${p.id}`}>{p.body.length > 80 ? `${p.body.slice(0, 79)}…` : p.body}</a>
                </td>
                <td>{longDate(p.createdAt, props.tz)}</td>
                <td class="num">{p.views.toLocaleString("en")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
