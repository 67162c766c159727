// Home (post form + All/Followed feeds), explore, permalinks, the editor, preview and delete.
import type { Context } from "hono";
import { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { Child } from "hono/jsx";
import type { WebEnv } from "../../env";
import { eventContextOf } from "../../events/request";
import { t } from "../../i18n";
import { abuseRules, takeSlot, userKey } from "../../lib/abuse";
import { validate } from "../../lib/forms";
import { parseId } from "../../lib/ids";
import { TAG_PATTERN } from "../../lib/markdown";
import { parsePageNumber, parsePageRequest } from "../../lib/pagination";
import { can, Permission } from "../../lib/permissions";
import { errorResponse, setErrorHeaders } from "../../middleware/errors";
import { readForm } from "../../middleware/form-body";
import { requireLogin, requirePermission, withUser } from "../../middleware/permissions";
import { EXPLORE_FEED_PATH, FeedLink } from "../../views/feed-link";
import { flash } from "../../views/flash";
import { readerTimeZone } from "../../views/reader";
import { isPartial, redirect, renderPage } from "../../views/render";
import { CommentsSection, canComment, canDeleteComment, listPostComments } from "../comments";
import { Pitch, pitchHeadline } from "../pages";
import { ownPostViews, POST_VIEW_DAYS, postPageAnalytics } from "../sites";
import { LikeButton } from "./like-button";
import { listLikers, setLike } from "./likes";
import { OwnPostsPage } from "./own-posts-page";
import { LoadMoreFragment } from "./post-list";
import { authorPostsByIds, getPostWithAuthor, listPosts, type PostListItem, type PostScope } from "./queries";
import { postSchema } from "./schemas";
import * as service from "./service";
import * as v from "./views";

export const postRoutes = new Hono<WebEnv>();

const FEED_COOKIE = "feed";

function chosenFeed(c: Context<WebEnv>): v.Feed {
  return getCookie(c, FEED_COOKIE) === "followed" ? "followed" : "all";
}

function actionsFor(c: Context<WebEnv>) {
  const viewer = c.get("user");
  return (post: PostListItem) => <v.PostActions post={post} canEdit={service.canEditPost(viewer, post)} canDelete={service.canDeletePost(viewer, post)} />;
}

/** Lists answer "Load more" (an htmx partial) with just the next items and the next control. */
async function listPage(
  c: Context<WebEnv>,
  scope: PostScope,
  basePath: string,
  title: string,
  page: (list: Parameters<typeof v.ExplorePage>[0]) => Child,
  status: 200 | 422 | 429 = 200,
  head?: Child,
) {
  const list = {
    page: await listPosts(
      c.get("db"),
      scope,
      parsePageRequest((n) => c.req.query(n), { stackable: true }),
      "",
      undefined,
      c.get("user")?.id ?? null,
    ),
    basePath,
    tz: readerTimeZone(c),
    now: Date.now(),
    actionsFor: actionsFor(c),
  };
  return renderPage(c, { title, status, head, fragment: <LoadMoreFragment {...list} stackTop={c.req.query("stack") === "1"} /> }, page(list));
}

function homePostForm(c: Context<WebEnv>, body?: string, error?: string) {
  return can(c.get("user"), Permission.WRITE) ? <v.PostForm id="post-form" action="/" body={body} error={error} submitLabel={t("posts.publish")} /> : null;
}

async function home(c: Context<WebEnv>, formBody?: string, formError?: string, status: 200 | 422 | 429 = 200) {
  const user = c.get("user");
  const feed = user ? chosenFeed(c) : null;
  // The Followed feed also shows the notes of people elsewhere the member follows (issue 13).
  const scope: PostScope = user && feed === "followed" ? { kind: "followed", viewerId: user.id, remote: true } : { kind: "all" };
  return listPage(
    c,
    scope,
    "/",
    // A member's tab says where they are; a stranger's says what Roost is.
    user ? t("nav.home") : pitchHeadline(),
    (list) => (
      <v.HomePage
        {...list}
        greeting={user ? user.username : null}
        pitch={user ? null : <Pitch appName={c.get("config").appName} />}
        feed={feed}
        postForm={homePostForm(c, formBody, formError)}
      />
    ),
    status,
  );
}

postRoutes.get("/", (c) => home(c));

postRoutes.post(
  "/",
  requireLogin,
  requirePermission(Permission.WRITE),
  withUser(async (c, user) => {
    const raw = await readForm(c);
    const form = validate(postSchema, raw);
    const refuse = (status: 422 | 429, error: string) =>
      isPartial(c) ? renderPage(c, { title: "", status }, homePostForm(c, raw.body, error)) : home(c, raw.body, error, status);
    if (!form.ok) return refuse(422, form.errors.body!);
    const limited = await takeSlot(c.get("db"), c.get("config"), abuseRules.post, userKey(user.id));
    if (limited) {
      setErrorHeaders(c, limited.headers);
      return refuse(429, limited.message);
    }
    await service.createPost(eventContextOf(c), user.id, form.data.body);
    await flash(c, t("posts.flash.published"), "success");
    return redirect(c, "/");
  }),
);

/** Remember the chosen tab for a month (a display preference, not account state). */
function chooseFeed(feed: v.Feed) {
  return (c: Context<WebEnv>) => {
    setCookie(c, FEED_COOKIE, feed, { path: "/", httpOnly: true, sameSite: "Lax", maxAge: 30 * 24 * 3600 });
    return c.redirect("/", 303);
  };
}
postRoutes.get("/all", requireLogin, chooseFeed("all"));
postRoutes.get("/followed", requireLogin, chooseFeed("followed"));

postRoutes.get("/explore", (c) =>
  listPage(
    c,
    { kind: "all" },
    "/explore",
    t("nav.explore"),
    (list) => <v.ExplorePage {...list} />,
    200,
    <FeedLink href={EXPLORE_FEED_PATH} title={t("posts.exploreFeed", { app: c.get("config").appName })} />,
  ),
);

/** A hashtag's posts, newest first. Tags are stored lower-cased: /tags/Roost redirects to /tags/roost. */
postRoutes.get("/tags/:tag", async (c) => {
  const raw = c.req.param("tag");
  const tag = raw.toLowerCase();
  if (!TAG_PATTERN.test(tag)) return errorResponse(c, 404, t("posts.notATag"));
  if (tag !== raw) return c.redirect(`/tags/${tag}`, 301);
  return listPage(c, { kind: "tag", tag }, `/tags/${tag}`, `#${tag}`, (list) => <v.TagPage {...list} tag={tag} />);
});

postRoutes.post(
  "/preview",
  withUser(async (c) => {
    return c.html(<v.BodyPreview body={(await readForm(c)).body ?? ""} />);
  }),
);

/** "Your posts": the member's posts viewed in the last POST_VIEW_DAYS days, most viewed first (2 D1 round trips). */
postRoutes.get(
  "/posts/stats",
  withUser(async (c, user) => {
    const db = c.get("db");
    const views = await ownPostViews(db, c.get("config"), user.id);
    const rows = views.length
      ? await authorPostsByIds(
          db,
          user.id,
          views.map((v) => v.postId),
        )
      : [];
    const byId = new Map(rows.map((p) => [p.id, p]));
    const list = views.flatMap((v) => {
      const p = byId.get(v.postId);
      return p ? [{ id: p.id, body: p.body, createdAt: p.createdAt, views: v.views }] : [];
    });
    return renderPage(c, { title: t("posts.yourPosts") }, <OwnPostsPage posts={list} days={POST_VIEW_DAYS} tz={readerTimeZone(c)} />);
  }),
);

postRoutes.get("/post/:id", async (c) => {
  const id = parseId(c.req.param("id"));
  const viewer = c.get("user");
  const post = id === null ? undefined : await getPostWithAuthor(c.get("db"), id, viewer?.id ?? null);
  // A post by someone who blocked the viewer is, to them, like a missing one; someone the viewer blocked
  // gets a notice with an Unblock button instead of the post (features/blocks).
  if (!post || post.blocksViewer) return errorResponse(c, 404, t("posts.noSuchPost"));
  if (post.viewerBlocks) {
    return renderPage(c, { title: t("posts.postBy", { name: post.authorUsername }) }, <v.BlockedPostPage postId={post.id} author={post.authorUsername} />);
  }
  const pageParam = c.req.query("page");
  const [comments, likers, analytics] = await Promise.all([
    listPostComments(c.get("db"), post.id, pageParam === "-1" ? -1 : parsePageNumber(pageParam), viewer?.id ?? null),
    listLikers(c.get("db"), post.id, LIKERS_SHOWN),
    postPageAnalytics(c.get("db"), c.get("config"), { postId: post.id, authorId: post.authorId, viewerId: viewer?.id ?? null }),
  ]);
  const show = { tz: readerTimeZone(c), now: Date.now() };
  return renderPage(
    c,
    // fediverse:creator: Mastodon credits the author when a link to the post is shared (@user@host).
    {
      title: t("posts.postBy", { name: post.authorUsername }),
      head: <meta name="fediverse:creator" content={`@${post.authorUsername}@${new URL(c.get("config").baseUrl).host}`} />,
    },
    <v.PostPage
      post={post}
      {...show}
      canEdit={service.canEditPost(viewer, post)}
      canDelete={service.canDeletePost(viewer, post)}
      likers={likers}
      // The author's own visits are not counted; only the author sees the count (postPageAnalytics checks it in SQL).
      tracker={
        analytics.siteId !== null && viewer?.id !== post.authorId ? { siteId: analytics.siteId, url: `${c.get("config").baseUrl}/post/${post.id}` } : null
      }
      views={analytics.views === null ? null : { n: analytics.views, days: POST_VIEW_DAYS }}
      comments={
        <CommentsSection
          postId={post.id}
          comments={comments}
          {...show}
          canComment={canComment(viewer)}
          canBlockRemote={!!viewer}
          canDelete={(comment) => canDeleteComment(viewer, comment)}
        />
      }
    />,
  );
});

/** Loads the post named in the URL and checks the viewer may act on it: a 404 or 403 response otherwise. */
async function ownedPost(c: Context<WebEnv>, allowed: typeof service.canEditPost) {
  const id = parseId(c.req.param("id"));
  const post = id === null ? undefined : await service.getPost(c.get("db"), id);
  if (!post) return { error: await errorResponse(c, 404, t("posts.noSuchPost")) };
  if (!allowed(c.get("user"), post)) return { error: await errorResponse(c, 403, t("error.noPermission")) };
  return { post };
}

postRoutes.get(
  "/edit/:id",
  withUser(async (c) => {
    const { post, error } = await ownedPost(c, service.canEditPost);
    if (error) return error;
    return renderPage(c, { title: t("posts.editTitle") }, <v.EditPage postId={post.id} body={post.body} />);
  }),
);

postRoutes.post(
  "/edit/:id",
  withUser(async (c) => {
    const { post, error } = await ownedPost(c, service.canEditPost);
    if (error) return error;
    const raw = await readForm(c);
    const form = validate(postSchema, raw);
    if (!form.ok) {
      const page = <v.EditPage postId={post.id} body={raw.body ?? ""} error={form.errors.body} />;
      const fragment = (
        <v.PostForm id="edit-post-form" action={`/edit/${post.id}`} body={raw.body ?? ""} error={form.errors.body} submitLabel={t("common.save")} />
      );
      return renderPage(c, { title: t("posts.editTitle"), status: 422, fragment }, page);
    }
    if (!(await service.updatePost(eventContextOf(c), post, form.data.body))) return errorResponse(c, 404, t("posts.noSuchPost"));
    await flash(c, t("posts.flash.updated"), "success");
    return redirect(c, `/post/${post.id}`);
  }),
);

postRoutes.get(
  "/post/:id/delete",
  withUser(async (c) => {
    const { post, error } = await ownedPost(c, service.canDeletePost);
    if (error) return error;
    const full = (await getPostWithAuthor(c.get("db"), post.id))!;
    return renderPage(c, { title: t("posts.deletePost") }, <v.DeletePage post={full} tz={readerTimeZone(c)} now={Date.now()} />);
  }),
);

postRoutes.post(
  "/post/:id/delete",
  withUser(async (c) => {
    const { post, error } = await ownedPost(c, service.canDeletePost);
    if (error) return error;
    await service.deletePost(eventContextOf(c), post);
    await flash(c, t("posts.flash.deleted"), "success");
    return redirect(c, "/");
  }),
);

/** The people listed under a post as "Liked by" (newest first; the count says how many in all). */
const LIKERS_SHOWN = 50;

/**
 * Like / unlike: a confirmed account (the unconfirmed gate sends others away), any post including one's own;
 * a like between two members who blocked one another (either way) is refused, 403 as a comment is.
 */
function likeRoute(like: boolean) {
  return withUser(async (c, user) => {
    const id = parseId(c.req.param("id"));
    const state = id === null ? null : await setLike(eventContextOf(c), id, user.id, like);
    if (!state || id === null) return errorResponse(c, 404, t("posts.noSuchPost"));
    if (like && state.blocked) return errorResponse(c, 403, t("posts.likeBlocked"));
    if (isPartial(c)) return c.html(<LikeButton postId={id} likeCount={state.likeCount} liked={state.liked} />);
    await flash(c, like ? t("posts.flash.liked") : t("posts.flash.unliked"), "success");
    return redirect(c, `/post/${id}`);
  });
}
postRoutes.post("/post/:id/like", likeRoute(true));
postRoutes.post("/post/:id/unlike", likeRoute(false));
