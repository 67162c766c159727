// Purges of the edge cache on domain events (listed in src/subscribers.ts): after a change commits, the public
// pages that show it are deleted from the cache, so the next anonymous visitor gets a fresh page. Usernames
// (profile URLs) are read in the subscriber's batch statement; only first pages are purged, deeper pages
// (`?page=N`, keyset links) age out within the TTL. A deleted user's own pages also age out (their username is
// gone by the time the event is handled): they answer 404 once the entry expires.
import type { EventContext, Reaction, Subscriber } from "../events/commit";
import type { EventOf } from "../events/types";
import { getPublicComment } from "../features/comments";
import { usernamesQuery } from "../features/users";
import { EXPLORE_FEED_URL, EXPLORE_URL, postUrls, tagUrl, userUrls } from "./pages";
import { purge } from "./store";

const purgeUrls = (ctx: EventContext, urls: string[]) => purge(caches.default, ctx.config.baseUrl, urls);

function usernamesOf(results: unknown[]): string[] {
  const rows = results[0];
  return Array.isArray(rows) ? rows.flatMap((r: { username?: unknown }) => (typeof r?.username === "string" ? [r.username] : [])) : [];
}

/** Purges `urls` plus the pages of the users with these ids. */
function withUsers(ctx: EventContext, ids: number[], urls: string[]): Reaction {
  return {
    statements: [usernamesQuery(ctx.db, ids)],
    afterCommit: (results) => purgeUrls(ctx, [...urls, ...usernamesOf(results).flatMap(userUrls)]),
  };
}

type PostEvent = EventOf<"post.created" | "post.updated" | "post.deleted">;
export const purgePost = (ctx: EventContext, e: PostEvent): Reaction =>
  withUsers(ctx, [e.authorId], [EXPLORE_URL, EXPLORE_FEED_URL, ...postUrls(e.postId), ...e.tags.map(tagUrl)]);

type CommentEvent = EventOf<"comment.created" | "comment.deleted" | "post.liked">;
// Comment and like counts show on Explore too (not in its feed); the post author's profile list catches up within the TTL.
export const purgeComment = (ctx: EventContext, e: CommentEvent): Reaction => ({
  afterCommit: () => purgeUrls(ctx, [EXPLORE_URL, ...postUrls(e.postId)]),
});

export const purgeModeratedComment: Subscriber<"comment.moderated"> = (ctx, e) => ({
  afterCommit: async () => {
    const comment = await getPublicComment(ctx.db, e.commentId);
    if (comment) await purgeUrls(ctx, postUrls(comment.postId));
  },
});

type FollowEvent = EventOf<"user.followed" | "user.unfollowed">;
export const purgeFollow = (ctx: EventContext, e: FollowEvent): Reaction => withUsers(ctx, [e.followerId, e.followedId], []);

// A block ends follows both ways, so both public profiles' follower counts change.
type BlockEvent = EventOf<"user.blocked">;
export const purgeBlock = (ctx: EventContext, e: BlockEvent): Reaction => withUsers(ctx, [e.blockerId, e.blockedId], []);

export const purgeProfile = (ctx: EventContext, e: Pick<EventOf<"user.profile_updated">, "userId">): Reaction => withUsers(ctx, [e.userId], []);

export const purgeDeletedUser: Subscriber<"user.deleted"> = (ctx) => ({ afterCommit: () => purgeUrls(ctx, [EXPLORE_URL, EXPLORE_FEED_URL]) });
