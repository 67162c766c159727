// Rows → the API's JSON (Flasky's field names), typed by the response schemas so a field cannot go
// missing silently. URLs are absolute, built from BASE_URL (never the Host header); times are ISO 8601 UTC.
import type { z } from "zod";
import { markedToHtml } from "../../lib/fts";
import type { OwnedPage } from "../../lib/pagination";
import type { PublicComment } from "../comments";
import type { PostWithSource } from "../posts";
import { type PersonHit, type PostHit, type SearchResult, searchQuery } from "../search";
import type { PublicUser } from "../users";
import type { CommentBody, FollowStatus, LikeStatus, PostBody, SearchPersonHit, SearchPostHit, SearchResults, UserBody } from "./schemas";

export type Links = ReturnType<typeof apiLinks>;

export function apiLinks(baseUrl: string) {
  const root = `${baseUrl}/api/v1`;
  return {
    root,
    posts: `${root}/posts/`,
    search: `${root}/search`,
    comments: `${root}/comments/`,
    post: (id: number) => `${root}/posts/${id}`,
    postComments: (id: number) => `${root}/posts/${id}/comments/`,
    comment: (id: number) => `${root}/comments/${id}`,
    user: (id: number) => `${root}/users/${id}`,
    userPosts: (id: number) => `${root}/users/${id}/posts/`,
    timeline: (id: number) => `${root}/users/${id}/timeline/`,
    followers: (id: number) => `${root}/users/${id}/followers/`,
    following: (id: number) => `${root}/users/${id}/following/`,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

export function postJson(l: Links, p: PostWithSource): z.output<typeof PostBody> {
  return {
    url: l.post(p.id),
    body: p.body,
    body_html: p.bodyHtml,
    timestamp: iso(p.createdAt),
    author_url: l.user(p.authorId),
    comments_url: l.postComments(p.id),
    comment_count: p.commentCount,
    like_count: p.likeCount,
  };
}

export function userJson(l: Links, u: PublicUser): z.output<typeof UserBody> {
  return {
    url: l.user(u.id),
    username: u.username,
    member_since: iso(u.memberSince),
    last_seen: iso(u.lastSeen),
    posts_url: l.userPosts(u.id),
    followed_posts_url: l.timeline(u.id),
    followers_url: l.followers(u.id),
    following_url: l.following(u.id),
    post_count: u.postCount,
  };
}

/** A disabled comment's text is already NULL in the row (queries.ts); this only reports the flag. */
export function commentJson(l: Links, c: PublicComment): z.output<typeof CommentBody> {
  return {
    url: l.comment(c.id),
    post_url: l.post(c.postId),
    body: c.disabled ? null : c.body,
    body_html: c.disabled ? null : c.bodyHtml,
    timestamp: iso(c.createdAt),
    author_url: c.authorId === null ? (c.remoteUrl ?? l.post(c.postId)) : l.user(c.authorId),
    disabled: c.disabled,
  };
}

export function followStatusJson(l: Links, userId: number, following: boolean, followerCount: number): z.output<typeof FollowStatus> {
  return { user_url: l.user(userId), following, follower_count: followerCount };
}

/** The list envelope: `{<key>: [...], prev, next, count}`; prev/next are absolute keyset links. */
export function listJson<T, J>(key: string, page: OwnedPage<T>, listUrl: string, toJson: (item: T) => J) {
  // Typed loosely (a computed key is an index signature): callers only hand it to c.json, and the
  // OpenAPI document's list schemas are what clients read.
  return {
    [key]: page.items.map(toJson),
    prev: page.newerQuery ? listUrl + page.newerQuery : null,
    next: page.olderQuery ? listUrl + page.olderQuery : null,
    count: page.total,
  };
}

export function likeStatusJson(l: Links, postId: number, liked: boolean, likeCount: number): z.output<typeof LikeStatus> {
  return { post_url: l.post(postId), liked, like_count: likeCount };
}

export function searchPostJson(l: Links, p: PostHit): z.output<typeof SearchPostHit> {
  return {
    url: l.post(p.id),
    timestamp: iso(p.createdAt),
    author_url: l.user(p.authorId),
    author_username: p.authorUsername,
    snippet_html: markedToHtml(p.snippet),
  };
}

const markedOrNull = (marked: string | null) => (marked == null ? null : markedToHtml(marked));

export function searchPersonJson(l: Links, p: PersonHit): z.output<typeof SearchPersonHit> {
  return {
    url: l.user(p.id),
    username: p.username,
    username_html: markedToHtml(p.usernameMarked),
    name_html: markedOrNull(p.nameMarked),
    location_html: markedOrNull(p.locationMarked),
    about_html: markedOrNull(p.aboutSnippet),
  };
}

/** A search's page with prev/next links: numbered within a window of matches, `before` past it (see features/search). */
export function searchResultsJson(l: Links, r: SearchResult): z.output<typeof SearchResults> {
  const link = (kind: SearchResult["kind"], page: number, before: number | null = null) => l.search + searchQuery(r.q, kind, page, before);
  const main = r.kind === "people" ? r.people : r.posts;
  const older = main?.older ?? null;
  return {
    query: r.q,
    type: r.kind,
    people: (r.people?.items ?? []).map((p) => searchPersonJson(l, p)),
    posts: (r.posts?.items ?? []).map((p) => searchPostJson(l, p)),
    more_people: r.kind === "all" && r.people?.more ? link("people", 1) : null,
    prev: r.page > 1 ? link(r.kind, r.page - 1, r.before) : r.before !== null ? link(r.kind, 1) : null,
    next: main?.more ? link(r.kind, r.page + 1, r.before) : older !== null ? link(r.kind, 1, older) : null,
  };
}
