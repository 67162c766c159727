// Post pages: home with the post form and feed tabs, explore, the permalink, the editor and delete step.
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { t, tn } from "../../i18n";
import { MAX_POST_LENGTH, renderPostMarkdown } from "../../lib/markdown";
import type { KeysetPage } from "../../lib/pagination";
import { ProfileLink } from "../../views/author";
import { BlockButton } from "../../views/block-button";
import { FormError } from "../../views/form";
import { Button } from "../../views/ui/button";
import { EmptyState } from "../../views/ui/empty-state";
import { Tabs } from "../../views/ui/tabs";
import type { Liker } from "./likes";
import { PostItem, PostList } from "./post-list";
import type { PostListItem } from "./queries";

export type Feed = "all" | "followed";
type ListProps = { page: KeysetPage<PostListItem>; basePath: string; tz: string; now: number; actionsFor?: (post: PostListItem) => Child };

/** The Markdown editor: a textarea with a live, server-rendered preview (htmx, debounced). */
export function PostForm(props: { id: string; action: string; body?: string; error?: string; submitLabel: string }) {
  const fieldId = `${props.id}-body`;
  return (
    <form id={props.id} class="stack-form post-form" method="post" action={props.action} hx-post={props.action} hx-target="this" hx-swap="outerHTML" novalidate>
      <FormError error={props.error} />
      <div class={props.error ? "field field-invalid" : "field"}>
        <label for={fieldId}>{t("posts.form.label")}</label>
        <textarea
          id={fieldId}
          name="body"
          rows={5}
          maxlength={MAX_POST_LENGTH}
          required
          aria-invalid={props.error ? "true" : undefined}
          aria-describedby={`${fieldId}-hint`}
          hx-post="/preview"
          hx-trigger="input changed delay:400ms"
          hx-target={`#${props.id}-preview`}
          hx-swap="innerHTML"
        >
          {props.body ?? ""}
        </textarea>
        <small id={`${fieldId}-hint`} class="hint">
          {t("posts.form.hint", { max: MAX_POST_LENGTH })}
        </small>
      </div>
      <section class="preview" aria-label={t("posts.preview")} aria-live="polite">
        <h2 class="preview-title">{t("posts.preview")}</h2>
        {/* Rendered now too, so an edit page or a form re-shown after a 422/429 is never blank until typing. */}
        <div id={`${props.id}-preview`} class="post-body">
          <BodyPreview body={props.body ?? ""} />
        </div>
      </section>
      <button type="submit">{props.submitLabel}</button>
    </form>
  );
}

/** The preview of `body`, with the same renderer and limit as publishing (what /preview answers). */
export function BodyPreview(props: { body: string }) {
  if (props.body.length > MAX_POST_LENGTH) return <PreviewFragment html={null} error={t("posts.v.tooLong", { max: MAX_POST_LENGTH })} />;
  return <PreviewFragment html={props.body.trim() ? renderPostMarkdown(props.body) : null} />;
}

export function PreviewFragment(props: { html: string | null; error?: string }) {
  if (props.error) return <p class="error">{props.error}</p>;
  if (!props.html) return <p class="muted">{t("posts.preview.empty")}</p>;
  return <>{raw(props.html)}</>;
}

function FeedTabs(props: { feed: Feed }) {
  return (
    <Tabs
      label={t("posts.feeds")}
      tabs={[
        { href: "/all", label: t("posts.tab.all"), current: props.feed === "all" },
        { href: "/followed", label: t("posts.tab.followed"), current: props.feed === "followed" },
      ]}
    />
  );
}

/**
 * On the Followed tab: follow someone on another server (issue 13). Plain markup posting to the federation
 * feature's /fediverse/follow (which answers with its own page: errors, the list, Unfollow), no import of it.
 */
function FollowElsewhere() {
  return (
    <details class="follow-elsewhere">
      <summary>{t("posts.followElsewhere")}</summary>
      <form method="post" action="/fediverse/follow" class="stack-form">
        <div class="field">
          <label for="follow-elsewhere-handle">{t("federation.follow.label")}</label>
          <input id="follow-elsewhere-handle" name="handle" type="text" required maxlength={500} aria-describedby="follow-elsewhere-hint" />
          <small id="follow-elsewhere-hint" class="hint">
            {t("federation.follow.hint")} <a href="/fediverse/follow">{t("federation.follow.listHeading")}</a>
          </small>
        </div>
        <Button>{t("federation.follow.button")}</Button>
      </form>
    </details>
  );
}

/** Home: a member's greeting, post form and feed; a stranger gets the pitch (what Roost is) and the newest posts. */
export function HomePage(props: ListProps & { greeting: string | null; pitch: Child; feed: Feed | null; postForm: Child | null }) {
  if (props.greeting === null) {
    return (
      <>
        {props.pitch}
        <h2>{t("posts.newest")}</h2>
        <PostList {...props} empty={t("posts.empty.all")} />
      </>
    );
  }
  return (
    <>
      <h1>{t("posts.hello", { name: props.greeting })}</h1>
      {props.postForm}
      {props.feed && <FeedTabs feed={props.feed} />}
      {props.feed === "followed" && <FollowElsewhere />}
      <PostList {...props} empty={props.feed === "followed" ? t("posts.empty.followed") : t("posts.empty.all")} />
    </>
  );
}

export function ExplorePage(props: ListProps) {
  return (
    <>
      <h1>{t("nav.explore")}</h1>
      <p class="muted">{t("posts.explore.lead")}</p>
      <PostList {...props} empty={t("posts.empty.none")} />
    </>
  );
}

/** /tags/<tag>: the posts that use a hashtag, newest first. */
export function TagPage(props: ListProps & { tag: string }) {
  return (
    <>
      <h1>#{props.tag}</h1>
      <p class="muted">{t("posts.tag.lead", { tag: props.tag })}</p>
      <PostList {...props} empty={t("posts.tag.empty", { tag: props.tag })} />
    </>
  );
}

export function PostActions(props: { post: { id: number }; canEdit: boolean; canDelete: boolean }) {
  if (!props.canEdit && !props.canDelete) return null;
  return (
    <p class="post-actions">
      {props.canEdit && <a href={`/edit/${props.post.id}`}>{t("posts.edit")}</a>}
      {props.canDelete && <a href={`/post/${props.post.id}/delete`}>{t("posts.delete")}</a>}
    </p>
  );
}

/** "Liked by": the newest likers, linked to their profiles; the count says how many in all. */
function LikedBy(props: { likers: Liker[]; total: number }) {
  if (props.total === 0) return null;
  const more = props.total - props.likers.length;
  return (
    <section class="liked-by" id="liked-by" aria-labelledby="liked-by-title">
      <h2 id="liked-by-title">{t("posts.likedBy")}</h2>
      <ul class="liker-list">
        {props.likers.map((l) => (
          <li>
            <ProfileLink username={l.username}>{l.name || l.username}</ProfileLink>
          </li>
        ))}
        {more > 0 && <li class="muted">{t("posts.likedBy.more", { count: more })}</li>}
      </ul>
    </section>
  );
}

/**
 * Counts this view through the site analytics pipeline (features/sites/own-posts.ts): tracker.js, or with
 * JavaScript off the beacon as an image. Both honour DNT/GPC (the script sends nothing; the beacon ignores
 * the headers); the page itself stays cacheable, since the hit is made when it is shown.
 */
function ViewTracker(props: { siteId: number; url: string }) {
  return (
    <>
      <script src="/tracker.js" data-site={String(props.siteId)} defer></script>
      <noscript>
        <img class="visually-hidden" src={`/sites/${props.siteId}/visit?url=${encodeURIComponent(props.url)}`} alt="" width="1" height="1" />
      </noscript>
    </>
  );
}

export function PostPage(props: {
  post: PostListItem;
  tz: string;
  now: number;
  canEdit: boolean;
  canDelete: boolean;
  likers: Liker[];
  comments: Child;
  /** The view counter, for everyone but the author. */
  tracker?: { siteId: number; url: string } | null;
  /** The post's views, for its author only. */
  views?: { n: number; days: number } | null;
}) {
  return (
    <>
      {props.tracker && <ViewTracker {...props.tracker} />}
      <h1 class="page-title">{t("posts.by", { name: props.post.authorName || props.post.authorUsername })}</h1>
      <ol class="posts single">
        <PostItem
          post={props.post}
          tz={props.tz}
          now={props.now}
          actions={<PostActions post={props.post} canEdit={props.canEdit} canDelete={props.canDelete} />}
        />
      </ol>
      {props.views && (
        <p class="post-views muted">
          {tn("posts.views", props.views.n, { days: props.views.days })} <a href="/posts/stats">{t("posts.yourPosts")}</a>
        </p>
      )}
      <LikedBy likers={props.likers} total={props.post.likeCount} />
      {props.comments}
    </>
  );
}

/**
 * The permalink of a post whose author the viewer blocked: not the post, but what happened and the way back
 * (Unblock returns here, and the post shows).
 */
export function BlockedPostPage(props: { postId: number; author: string }) {
  return (
    <>
      <h1 class="page-title">{t("posts.postBy", { name: props.author })}</h1>
      <EmptyState id="blocked-post">
        <p>{t("blocks.postHidden", { username: props.author })}</p>
        {/* A plain POST even with htmx: the redirect back redraws the page with the post. */}
        <BlockButton username={props.author} blocked next={`/post/${props.postId}`} reload />
      </EmptyState>
    </>
  );
}

export function EditPage(props: { postId: number; body: string; error?: string }) {
  return (
    <section>
      <h1>{t("posts.editTitle")}</h1>
      <PostForm id="edit-post-form" action={`/edit/${props.postId}`} body={props.body} error={props.error} submitLabel={t("common.save")} />
      <p>
        <a href={`/post/${props.postId}`}>{t("common.cancel")}</a>
      </p>
    </section>
  );
}

export function DeletePage(props: { post: PostListItem; tz: string; now: number }) {
  return (
    <section>
      <h1>{t("posts.deleteTitle")}</h1>
      <p>{t("common.cannotUndo")}</p>
      <ol class="posts single">
        <PostItem post={props.post} tz={props.tz} now={props.now} />
      </ol>
      <form method="post" action={`/post/${props.post.id}/delete`} class="inline-actions">
        <Button variant="danger">{t("posts.deletePost")}</Button> <a href={`/post/${props.post.id}`}>{t("common.cancel")}</a>
      </form>
    </section>
  );
}
