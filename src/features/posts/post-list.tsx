// A list of posts with older/newer links that work without JavaScript and an htmx "Load more" that
// appends the next page in place (the server answers a partial request with just the new items).
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { REMOTE_FEED_ID_OFFSET } from "../../db/remote-posts";
import { t, tn } from "../../i18n";
import type { KeysetPage } from "../../lib/pagination";
import { AuthorAvatar, AuthorName } from "../../views/author";
import { Avatar } from "../../views/avatar";
import { Pager } from "../../views/pager";
import { RemoteLikeButton, RemoteReplyBox } from "../../views/remote-note";
import { RelTime } from "../../views/time";
import { Badge } from "../../views/ui/badge";
import { EmptyState } from "../../views/ui/empty-state";
import { CommentCountLink } from "../comments";
import { LikeButton } from "./like-button";
import type { PostListItem, RemoteColumns } from "./queries";

type ListItem = PostListItem & RemoteColumns;

export function PostItem(props: { post: ListItem; tz: string; now: number; actions?: Child }) {
  const p = props.post;
  if (p.remoteProfile) return <RemotePostItem post={p} profile={p.remoteProfile} tz={props.tz} now={props.now} />;
  return (
    <li class="post" id={`post-${p.id}`}>
      <AuthorAvatar author={p} size={40} />
      <div class="post-main">
        <div class="post-meta">
          <AuthorName author={p} />
          {p.authorName && <span class="muted"> @{p.authorUsername}</span>}
          {" · "}
          <a href={`/post/${p.id}`} class="post-date">
            <RelTime ts={p.createdAt} tz={props.tz} now={props.now} />
          </a>
        </div>
        {/* body_html was sanitized when it was written (lib/markdown.ts). */}
        <div class="post-body">{raw(p.bodyHtml)}</div>
        <div class="post-footer">
          <CommentCountLink postId={p.id} count={p.commentCount} />
          <LikeButton postId={p.id} likeCount={p.likeCount} liked={p.liked === null ? null : !!p.liked} />
          {p.boostCount > 0 && <span class="boost-count">{tn("posts.boosts", p.boostCount)}</span>}
        </div>
        {props.actions}
      </div>
    </li>
  );
}

/**
 * A note by someone elsewhere whom the viewer follows (issue 13), in the Followed feed: their name and handle
 * link to their profile on their own server, the time to the original; marked as from elsewhere. Its HTML went
 * through our allowlist when it arrived (lib/remote-html.ts). The picture is Roost's generated one for the
 * handle: remote images are not loaded (CSP img-src, and the reader's privacy). The viewer can like it and reply
 * to it (views/remote-note.tsx; the routes are the federation feature's).
 */
function RemotePostItem(props: { post: ListItem; profile: string; tz: string; now: number }) {
  const p = props.post;
  const original = p.remoteUrl ?? props.profile;
  const noteId = p.id - REMOTE_FEED_ID_OFFSET;
  return (
    <li class="post post-remote" id={`remote-post-${p.id}`}>
      <span class="post-avatar">
        <Avatar user={{ id: 0, username: p.authorUsername, avatar: null }} size={40} />
      </span>
      <div class="post-main">
        <div class="post-meta">
          <a href={props.profile} class="post-author" rel="nofollow noopener">
            {p.authorName || p.authorUsername}
          </a>
          <span class="muted"> {p.authorUsername}</span>
          {" · "}
          <a href={original} class="post-date" rel="nofollow noopener">
            <RelTime ts={p.createdAt} tz={props.tz} now={props.now} />
          </a>{" "}
          <Badge>{t("posts.remote")}</Badge>
        </div>
        {/* Sanitized to our allowlist when it arrived (lib/remote-html.ts). */}
        <div class="post-body">{raw(p.bodyHtml)}</div>
        <div class="post-footer">
          <a href={original} rel="nofollow noopener">
            {t("posts.remoteOriginal")}
          </a>
          <RemoteLikeButton noteId={noteId} liked={!!p.liked} handle={p.authorUsername} />
        </div>
        <RemoteReplyBox noteId={noteId} handle={p.authorUsername} count={p.commentCount} />
      </div>
    </li>
  );
}

/** The items of one page plus the control that fetches the next: what "Load more" swaps in. */
type ListProps = {
  page: KeysetPage<ListItem>;
  basePath: string;
  tz: string;
  now: number;
  /** Per-post controls for the viewer (edit/delete links), computed without extra queries. */
  actionsFor?: (post: PostListItem) => Child;
  /**
   * The document's list starts at page 1 (a full page of page 1 or `?shown=N`, or a "Load more" of one,
   * which says so with `stack=1`): then "Load more" records `?shown=<pages now shown>` in history, so Back
   * re-renders the same posts. Lists that start deeper push the loaded page's own URL.
   */
  stackTop?: boolean;
};

/** What a "Load more" request answers: the next items and the pager below the list, moved on. */
export function LoadMoreFragment(props: ListProps) {
  const page = props.stackTop ? { ...props.page, firstPage: 1, newerQuery: null } : props.page;
  return (
    <>
      <PostItems {...props} />
      <Pager basePath={props.basePath} page={page} oob />
    </>
  );
}

export function PostItems(props: ListProps) {
  const { page, basePath } = props;
  const older = page.olderQuery ? basePath + page.olderQuery : null;
  const stackTop = props.stackTop ?? (page.firstPage ?? page.page) === 1;
  return (
    <>
      {props.page.items.map((post) => (
        <PostItem post={post} tz={props.tz} now={props.now} actions={props.actionsFor?.(post)} />
      ))}
      {older && (
        <li class="load-more" id="load-more">
          <a
            href={older}
            hx-get={stackTop ? `${older}&stack=1` : older}
            hx-target="#load-more"
            hx-swap="outerHTML"
            hx-push-url={stackTop ? `${basePath}?shown=${page.page + 1}` : older}
            class="button"
          >
            {t("posts.loadMore")}
          </a>
        </li>
      )}
    </>
  );
}

export function PostList(props: ListProps & { empty: Child }) {
  const { page, basePath } = props;
  if (page.items.length === 0) {
    return (
      <EmptyState>
        <p>{props.empty}</p>
        {page.page > 1 && <a href={basePath}>{t("posts.backToNewest")}</a>}
      </EmptyState>
    );
  }
  return (
    <>
      <ol class="posts" id="posts">
        <PostItems {...props} />
      </ol>
      <Pager basePath={basePath} page={page} />
    </>
  );
}
