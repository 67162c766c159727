// The public pages: the ONE list of pages that anonymous visitors may get from the edge cache. A page belongs
// here only when what it shows a visitor without a session depends on nothing but its URL (no flash, no
// form state, no per-visitor data); the edge-cache middleware still refuses to store anything that sets a
// cookie. A new public page is one line here, plus its purges in ./purge.ts.
//
// Each entry is matched against the path only; the query string (pagination) is part of the cache key.

export const PUBLIC_PAGES: { name: string; path: RegExp }[] = [
  { name: "explore", path: /^\/explore$/ },
  { name: "profile", path: /^\/user\/[^/]+$/ },
  // The anonymous profile popup (no follow button): the same card for every visitor without a session.
  { name: "profile popup", path: /^\/user\/[^/]+\/popup$/ },
  { name: "post", path: /^\/post\/[1-9][0-9]{0,14}$/ },
  { name: "tag", path: /^\/tags\/[^/]+$/ },
  { name: "followers", path: /^\/followers\/[^/]+$/ },
  { name: "following", path: /^\/followed_by\/[^/]+$/ },
  { name: "api reference", path: /^\/api$/ },
  // Atom feeds (features/feeds): application/atom+xml, stored like the HTML pages.
  { name: "explore feed", path: /^\/explore\/feed\.atom$/ },
  { name: "profile feed", path: /^\/user\/[^/]+\/feed\.atom$/ },
];

export function isPublicPage(path: string): boolean {
  return PUBLIC_PAGES.some((p) => p.path.test(path));
}

/** The URLs (path + query) that show a post: its page, and its last page of comments (where new ones land). */
export const postUrls = (postId: number) => [`/post/${postId}`, `/post/${postId}?page=-1`];

/** The URLs that show a user's profile, popup card, feed and follow lists (first pages: deeper pages age out with the TTL). */
export const userUrls = (username: string) => [
  `/user/${encodeURIComponent(username)}`,
  `/user/${encodeURIComponent(username)}/popup`,
  `/user/${encodeURIComponent(username)}/feed.atom`,
  `/followers/${encodeURIComponent(username)}`,
  `/followed_by/${encodeURIComponent(username)}`,
];

export const EXPLORE_URL = "/explore";
export const EXPLORE_FEED_URL = "/explore/feed.atom";

/** A hashtag's page (its first page: deeper pages age out with the TTL). */
export const tagUrl = (tag: string) => `/tags/${encodeURIComponent(tag)}`;
