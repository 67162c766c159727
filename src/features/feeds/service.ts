// Atom feeds of public posts: a member's posts and Explore, the 20 newest each. Built from the posts list's own
// statement (one query) plus, for a member's feed, the member lookup: two D1 round trips at most. Entries carry
// the stored rendered Markdown (already our allowlist) as HTML content, the post URL as id and link, and a
// title made of the post's opening words.
import type { Config } from "../../config";
import type { Db } from "../../db";
import { t } from "../../i18n";
import type { AtomEntry, AtomFeed } from "../../lib/atom";
import { markdownExcerpt } from "../../lib/markdown";
import { EXPLORE_FEED_PATH, profileFeedPath } from "../../views/feed-link";
import { type FeedPost, listFeedPosts, POSTS_PER_PAGE } from "../posts";
import { getPublicMember, isPossibleUsername } from "../users";

export const FEED_ENTRIES = POSTS_PER_PAGE;
const TITLE_LENGTH = 80;

export const profileUrl = (baseUrl: string, username: string) => `${baseUrl}/user/${encodeURIComponent(username)}`;

function entryOf(baseUrl: string, p: FeedPost): AtomEntry {
  const url = `${baseUrl}/post/${p.id}`;
  return {
    id: url,
    title: markdownExcerpt(p.body, TITLE_LENGTH) || t("feeds.postBy", { username: p.authorUsername }),
    link: url,
    published: p.createdAt,
    updated: Math.max(p.updatedAt, p.createdAt),
    author: { name: p.authorName || p.authorUsername, uri: profileUrl(baseUrl, p.authorUsername) },
    html: p.bodyHtml,
  };
}

/** The newest change among the entries, else `fallback` (Atom requires a feed-level `updated`). */
const newest = (entries: AtomEntry[], fallback: number) => (entries.length ? Math.max(...entries.map((e) => e.updated)) : fallback);

export async function memberFeed(db: Db, config: Config, username: string): Promise<AtomFeed | null> {
  if (!isPossibleUsername(username)) return null;
  const member = await getPublicMember(db, { username });
  if (!member) return null;
  const { baseUrl, appName } = config;
  const entries = (await listFeedPosts(db, { kind: "author", authorId: member.id }, FEED_ENTRIES)).map((p) => entryOf(baseUrl, p));
  const home = profileUrl(baseUrl, member.username);
  return {
    id: home,
    title: t("feeds.memberTitle", { name: member.name || member.username, app: appName }),
    updated: newest(entries, member.memberSince),
    selfUrl: `${baseUrl}${profileFeedPath(member.username)}`,
    alternateUrl: home,
    author: { name: member.name || member.username, uri: home },
    generator: appName,
    entries,
  };
}

export async function exploreFeed(db: Db, config: Config): Promise<AtomFeed> {
  const { baseUrl, appName } = config;
  const entries = (await listFeedPosts(db, { kind: "all" }, FEED_ENTRIES)).map((p) => entryOf(baseUrl, p));
  return {
    id: `${baseUrl}/explore`,
    title: t("feeds.exploreTitle", { app: appName }),
    subtitle: t("feeds.exploreSubtitle", { app: appName }),
    updated: newest(entries, 0),
    selfUrl: `${baseUrl}${EXPLORE_FEED_PATH}`,
    alternateUrl: `${baseUrl}/explore`,
    author: { name: appName, uri: baseUrl },
    generator: appName,
    entries,
  };
}
