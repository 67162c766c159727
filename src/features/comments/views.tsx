// Comments under a post (with the form and page links), the moderation list and the delete step.
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { t, tn } from "../../i18n";
import { MAX_COMMENT_LENGTH } from "../../lib/markdown";
import type { KeysetPage } from "../../lib/pagination";
import { AuthorAvatar, AuthorName } from "../../views/author";
import { Avatar } from "../../views/avatar";
import { FormError, HxForm } from "../../views/form";
import { Pager } from "../../views/pager";
import { RelTime } from "../../views/time";
import { Badge } from "../../views/ui/badge";
import type { CommentItem, ModerationItem, PostCommentsPage } from "./queries";

type Show = { tz: string; now: number };

function Body(props: { comment: CommentItem; showDisabledText?: boolean }) {
  const c = props.comment;
  if (c.disabled && !props.showDisabledText) return <p class="comment-disabled">{t("comments.disabledNotice")}</p>;
  // body_html was sanitized with the comment allowlist when written.
  return <div class="comment-body">{raw(c.bodyHtml ?? "")}</div>;
}

/**
 * A comment's author: a member (avatar and name with the profile popup) or, for a reply from another server,
 * their `@user@host` handle (plain text, stored stripped) linking to their profile there, beside the generated
 * picture (a remote picture would be a hotlink our CSP refuses).
 */
function CommentAvatar(props: { comment: CommentItem }) {
  const c = props.comment;
  if (c.authorId !== null) return <AuthorAvatar author={{ ...c, authorId: c.authorId }} size={32} />;
  return (
    <span class="post-avatar" aria-hidden="true">
      <Avatar user={{ id: 0, username: c.authorUsername, avatar: null }} size={32} />
    </span>
  );
}

function CommentAuthorName(props: { comment: CommentItem }) {
  const c = props.comment;
  if (c.authorId !== null) return <AuthorName author={{ ...c, authorId: c.authorId }} />;
  return (
    <a href={c.remoteUrl ?? undefined} class="post-author remote-author" rel="nofollow noopener ugc" title={t("comments.remoteAuthor")}>
      {c.authorUsername}
    </a>
  );
}

/**
 * Block on a reply from another server, for signed-in members (features/federation's /fediverse/block; plain
 * markup, as the comments feature does not import federation): back to the post's comments afterwards.
 */
function RemoteBlockForm(props: { comment: CommentItem }) {
  const c = props.comment;
  if (c.remoteActorId === null) return null;
  return (
    <form method="post" action={`/fediverse/block/${c.remoteActorId}`} class="block-form">
      <input type="hidden" name="next" value={`/post/${c.postId}#comments`} />
      <button type="submit" class="link-button" aria-label={t("federation.block.blockLabel", { handle: c.authorUsername })}>
        {t("federation.block.button")}
      </button>
    </form>
  );
}

export function CommentEntry(
  props: Show & { comment: CommentItem; canDelete: boolean; canBlockRemote?: boolean; showDisabledText?: boolean; children?: Child },
) {
  const c = props.comment;
  return (
    <li class={c.disabled ? "comment is-disabled" : "comment"} id={`comment-${c.id}`}>
      <CommentAvatar comment={c} />
      <div class="post-main">
        <div class="post-meta">
          <CommentAuthorName comment={c} />
          {" · "}
          <span class="post-date">
            <RelTime ts={c.createdAt} tz={props.tz} now={props.now} />
          </span>
          {props.canDelete && (
            <>
              {" · "}
              <a href={`/comment/${c.id}/delete`}>{t("posts.delete")}</a>
            </>
          )}
          {props.canBlockRemote && (
            <>
              {" · "}
              <RemoteBlockForm comment={c} />
            </>
          )}
        </div>
        <Body comment={c} showDisabledText={props.showDisabledText} />
        {props.children}
      </div>
    </li>
  );
}

const commentsText = (n: number) => tn("comments.count", n);

/** The heading of a post's comments; `oob` when an appended comment brings the new total. */
export function CommentsHeading(props: { total: number; oob?: boolean }) {
  return (
    <h2 id="comments-title" hx-swap-oob={props.oob ? "true" : undefined}>
      {commentsText(props.total)}
    </h2>
  );
}

/** The "N comments" link under a post (posts/post-list.tsx); `oob` as for the heading. */
export function CommentCountLink(props: { postId: number; count: number; oob?: boolean }) {
  return (
    <a id={`post-${props.postId}-comment-count`} href={`/post/${props.postId}#comments`} hx-swap-oob={props.oob ? "true" : undefined}>
      {commentsText(props.count)}
    </a>
  );
}

/**
 * What a comment appended in place brings along (htmx out-of-band swaps): the new count in the heading and
 * under the post, no more "No comments yet.", and an empty form.
 */
export function AppendedComment(props: Show & { comment: CommentItem; postTotal: number }) {
  const postId = props.comment.postId;
  return (
    <>
      <CommentEntry comment={props.comment} tz={props.tz} now={props.now} canDelete={true} />
      <CommentsHeading total={props.postTotal} oob />
      <CommentCountLink postId={postId} count={props.postTotal} oob />
      <p id="comments-empty" hx-swap-oob="delete" />
      <CommentForm postId={postId} onLastPage={true} oob={true} />
    </>
  );
}

/** `oob`: sent along with an appended comment, replacing the filled-in form with an empty one. */
export function CommentForm(props: { postId: number; body?: string; error?: string; onLastPage: boolean; oob?: boolean }) {
  const action = `/post/${props.postId}/comments`;
  return (
    <HxForm id="comment-form" action={action} target="#comment-list" swap="beforeend" swapOob={props.oob ? "true" : undefined}>
      <FormError error={props.error} />
      <input type="hidden" name="on_last_page" value={props.onLastPage ? "1" : ""} />
      <div class={props.error ? "field field-invalid" : "field"}>
        <label for="comment-body">{t("comments.add")}</label>
        <textarea
          id="comment-body"
          name="body"
          rows={3}
          maxlength={MAX_COMMENT_LENGTH}
          required
          aria-invalid={props.error ? "true" : undefined}
          aria-describedby="comment-body-hint"
        >
          {props.body ?? ""}
        </textarea>
        <small id="comment-body-hint" class="hint">
          {t("comments.hint", { max: MAX_COMMENT_LENGTH })}
        </small>
      </div>
      <button type="submit">{t("comments.submit")}</button>
    </HxForm>
  );
}

function PageLinks(props: { postId: number; page: number; lastPage: number }) {
  if (props.lastPage <= 1) return null;
  const pages = Array.from({ length: props.lastPage }, (_, i) => i + 1);
  return (
    <nav class="pager page-numbers" aria-label={t("comments.pages")}>
      {pages.map((n) => (n === props.page ? <span aria-current="page">{n}</span> : <a href={`/post/${props.postId}?page=${n}#comments`}>{n}</a>))}
    </nav>
  );
}

export function CommentsSection(
  props: Show & { postId: number; comments: PostCommentsPage; canComment: boolean; canBlockRemote?: boolean; canDelete: (c: CommentItem) => boolean },
) {
  const { comments } = props;
  const onLastPage = comments.page >= comments.lastPage;
  return (
    <section id="comments" aria-labelledby="comments-title">
      <CommentsHeading total={comments.total} />
      <PageLinks postId={props.postId} page={comments.page} lastPage={comments.lastPage} />
      <ol class="comments" id="comment-list">
        {comments.items.map((c) => (
          <CommentEntry comment={c} tz={props.tz} now={props.now} canDelete={props.canDelete(c)} canBlockRemote={props.canBlockRemote} />
        ))}
      </ol>
      {comments.items.length === 0 && (
        <p class="empty-state" id="comments-empty">
          {comments.total === 0 ? t("comments.none") : t("comments.noneOnPage")}
        </p>
      )}
      <PageLinks postId={props.postId} page={comments.page} lastPage={comments.lastPage} />
      {props.canComment ? (
        <CommentForm postId={props.postId} onLastPage={onLastPage} />
      ) : (
        <p class="muted">
          <a href={`/auth/login?next=${encodeURIComponent(`/post/${props.postId}#comments`)}`}>{t("auth.logInLink")}</a> {t("comments.toComment")}
        </p>
      )}
    </section>
  );
}

export function ModerationButton(props: { comment: CommentItem; next: string }) {
  const c = props.comment;
  const action = `/moderate/${c.disabled ? "enable" : "disable"}/${c.id}`;
  return (
    <form method="post" action={action} hx-post={action} hx-target={`#comment-${c.id}`} hx-swap="outerHTML" class="moderation-form">
      <input type="hidden" name="next" value={props.next} />
      <button type="submit" class={c.disabled ? "" : "danger"}>
        {c.disabled ? t("comments.enable") : t("comments.disable")}
      </button>
    </form>
  );
}

/** One row of /moderate: the full text (moderators see disabled text) and its toggle. */
export function ModerationEntry(props: Show & { comment: ModerationItem; next: string }) {
  const c = props.comment;
  return (
    <CommentEntry comment={c} tz={props.tz} now={props.now} canDelete={true} showDisabledText={true}>
      <p class="moderation-meta">
        {c.disabled && (
          <>
            <Badge tone="bad" strong>
              {t("comments.disabled")}
            </Badge>{" "}
          </>
        )}
        {t("comments.on")} <a href={`/post/${c.postId}#comments`}>{c.postExcerpt || t("comments.postWithoutText")}</a>{" "}
        {t("comments.byAuthor", { username: c.postAuthorUsername })}
      </p>
      <ModerationButton comment={props.comment} next={props.next} />
    </CommentEntry>
  );
}

export function ModeratePage(props: Show & { page: KeysetPage<ModerationItem>; next: string }) {
  return (
    <>
      <h1>{t("comments.moderation")}</h1>
      {props.page.items.length === 0 ? (
        <p class="empty-state">{props.page.page > 1 ? t("comments.noneOnPage") : t("comments.none")}</p>
      ) : (
        <ol class="comments" id="moderation-list">
          {props.page.items.map((c) => (
            <ModerationEntry comment={c} tz={props.tz} now={props.now} next={props.next} />
          ))}
        </ol>
      )}
      <Pager basePath="/moderate" page={props.page} />
    </>
  );
}

export function DeleteCommentPage(props: Show & { comment: CommentItem; showText: boolean }) {
  return (
    <section>
      <h1>{t("comments.deleteTitle")}</h1>
      <p>{t("common.cannotUndo")}</p>
      <ol class="comments">
        <CommentEntry comment={props.comment} tz={props.tz} now={props.now} canDelete={false} showDisabledText={props.showText} />
      </ol>
      <form method="post" action={`/comment/${props.comment.id}/delete`} class="inline-actions">
        <button type="submit" class="danger">
          {t("comments.deleteComment")}
        </button>{" "}
        <a href={`/post/${props.comment.postId}#comments`}>{t("common.cancel")}</a>
      </form>
    </section>
  );
}

/** Without JavaScript a rejected comment gets its own small page with the error and the text kept. */
export function CommentErrorPage(props: { postId: number; form: Child }) {
  return (
    <section class="narrow">
      <h1>{t("comments.yours")}</h1>
      {props.form}
      <p>
        <a href={`/post/${props.postId}#comments`}>{t("comments.backToPost")}</a>
      </p>
    </section>
  );
}
