// The pages of scripts/bench-render.mjs: each public or feed page's JSX, inside the site layout, rendered with
// fixture data shaped like the seeded database's (20 posts a page, 30 comments, 50 followers), without a server
// or a database. A stand-in context gives the layout and nav what they read (config, user).
import type { Context } from "hono";
import { getConfig } from "../../src/config";
import type { WebEnv } from "../../src/env";
import { ApiDocsPage } from "../../src/features/api/docs";
import { openApiDocument } from "../../src/features/api/openapi";
import { apiEndpoints } from "../../src/features/api/routes";
import { CommentsSection } from "../../src/features/comments/views";
import type { PostListItem } from "../../src/features/posts/queries";
import { ExplorePage, HomePage, PostPage } from "../../src/features/posts/views";
import type { ProfileRow } from "../../src/features/users/queries";
import { FollowListPage, ProfilePage } from "../../src/features/users/views";
import { Layout } from "../../src/views/layout";

const NOW = Date.UTC(2026, 11, 1);
const TZ = "UTC";
/** Most members keep the generated default; some uploaded a picture (lib/avatar.ts AvatarOwner.avatar). */
const avatarOf = (i: number) => (i % 3 === 0 ? `upload:${i}` : null);
const BODY =
  '<p>A post with <strong>some</strong> Markdown, a <a href="https://example.com" rel="nofollow ugc noopener">link</a> and a list:</p><ul><li>one</li><li>two</li></ul>';

const post = (i: number): PostListItem => ({
  id: 1000 + i,
  bodyHtml: BODY,
  createdAt: NOW - i * 60_000,
  updatedAt: NOW - i * 60_000,
  authorId: 1 + (i % 7),
  authorUsername: `author${i % 7}`,
  authorName: `Author ${i % 7}`,
  authorAvatar: avatarOf(i),
  commentCount: i % 4,
  likeCount: i % 5,
  boostCount: 0,
  liked: i % 2,
});
const page = { items: Array.from({ length: 20 }, (_, i) => post(i)), page: 2, olderQuery: "?page=3&before=1.2", newerQuery: "?page=1&after=3.4" };
const profile: ProfileRow = {
  id: 1,
  username: "author1",
  email: "author1@example.com",
  name: "Author One",
  location: "Lisbon",
  aboutMe: "Writes a lot.",
  memberSince: NOW - 400 * 86_400_000,
  lastSeen: NOW - 3_600_000,
  avatar: avatarOf(1),
  postCount: 2000,
  followerCount: 120,
  followingCount: 80,
  confirmed: true,
  federated: true,
  viewerFollows: false,
  followsViewer: false,
  viewerBlocks: false,
};
const comments = {
  items: Array.from({ length: 30 }, (_, i) => ({
    id: 5000 + i,
    postId: 1000,
    bodyHtml: i % 10 === 9 ? null : "Well <em>said</em>.",
    disabled: i % 10 === 9,
    createdAt: NOW - (30 - i) * 60_000,
    authorId: 2,
    authorUsername: "commenter",
    authorName: null,
    authorAvatar: avatarOf(i),
    remoteUrl: null,
    remoteActorId: null,
  })),
  page: 1,
  lastPage: 1,
  total: 30,
};
const followers = {
  user: profile,
  items: Array.from({ length: 50 }, (_, i) => ({
    id: 10 + i,
    username: `fan${i}`,
    name: i % 2 ? `Fan ${i}` : null,
    avatar: avatarOf(i),
    since: NOW - i * 86_400_000,
    remoteUrl: null,
    remoteActorId: null,
  })),
  page: 1,
  totalPages: 3,
  total: 120,
};
const likers = Array.from({ length: 12 }, (_, i) => ({ username: `liker${i}`, name: i % 2 ? `Liker ${i}` : null, likedAt: NOW - i * 3_600_000 }));
const apiDoc = openApiDocument(apiEndpoints, "https://roost.example");

/** What the layout and nav read from the request context. */
function contextFor(member: boolean): Context<WebEnv> {
  const vars: Record<string, unknown> = {
    config: getConfig({ ENVIRONMENT: "production", SECRET_KEY: "x".repeat(32) } as unknown as Env),
    user: member ? { id: 3, username: "reader", roleId: 1, permissions: 7, confirmed: true, sessionEpoch: 0 } : null,
  };
  return { get: (key: string) => vars[key], req: { path: "/", url: "https://roost.example/" } } as unknown as Context<WebEnv>;
}

const inLayout = (member: boolean, title: string, body: () => unknown) => () =>
  String(
    <Layout c={contextFor(member)} title={title} flashes={[]}>
      {body() as never}
    </Layout>,
  );

export const pages: { name: string; render: () => string }[] = [
  {
    name: "home, Followed (20 posts)",
    render: inLayout(true, "Home", () => (
      <HomePage page={page} basePath="/" tz={TZ} now={NOW} greeting="Hello, reader!" pitch={null} feed="followed" postForm={null} />
    )),
  },
  { name: "explore (20 posts)", render: inLayout(false, "Explore", () => <ExplorePage page={page} basePath="/explore" tz={TZ} now={NOW} />) },
  {
    name: "profile (20 of 2,000 posts)",
    render: inLayout(false, "author1", () => (
      <ProfilePage
        profile={profile}
        viewer={{ isSelf: false, isAdmin: false, canFollow: false, canMessage: false, canBlock: false }}
        posts={page}
        tz={TZ}
        now={NOW}
      />
    )),
  },
  {
    name: "post (30 comments)",
    render: inLayout(false, "Post", () => (
      <PostPage
        post={post(0)}
        tz={TZ}
        now={NOW}
        canEdit={false}
        canDelete={false}
        likers={likers}
        comments={<CommentsSection postId={1000} comments={comments} canComment={false} canDelete={() => false} tz={TZ} now={NOW} />}
      />
    )),
  },
  {
    name: "followers (50)",
    render: inLayout(false, "Followers", () => <FollowListPage kind="followers" list={followers} basePath="/followers/author1" tz={TZ} now={NOW} />),
  },
  { name: "API reference", render: inLayout(false, "API", () => <ApiDocsPage doc={apiDoc} />) },
];
