// /users/{id}: profiles, their posts, timelines, follower lists, and following / unfollowing. Follows go
// through the users service (which owns the self-follow rule: everyone follows themselves, for good).
import { eventContextOf } from "../../../events/request";
import {
  FOLLOW_BLOCKED,
  type FollowListKind,
  followUser,
  getPublicUser,
  listFollowPage,
  listTimelineWithSource,
  listUserPostsWithSource,
  unfollowUser,
} from "../../users";
import { type ApiContext, linksOf } from "../context";
import { endpoint, listEndpoint } from "../endpoint";
import { ApiError, NO_USER } from "../errors";
import { examples } from "../examples";
import { FollowStatus, PostList, UserBody, UserList } from "../schemas";
import { followStatusJson, postJson, userJson } from "../serializers";
import { ownedList } from "./owned-list";

/** What tells the two follow lists apart: everything else about them is the same. */
const FOLLOW_LISTS = {
  followers: {
    operationId: "listFollowers",
    summary: "Who follows the user, most recent first",
    counted: "the number of followers",
    page: "A page of followers.",
  },
  following: {
    operationId: "listFollowing",
    summary: "Whom the user follows, most recent first",
    counted: "the number of accounts followed",
    page: "A page of followed accounts.",
  },
} as const;

function followListEndpoint(kind: FollowListKind) {
  const text = FOLLOW_LISTS[kind];
  return listEndpoint(`/users/{id}/${kind}/`, text.operationId, "Users", {
    summary: text.summary,
    description: `50 per page, without the user themselves. \`count\` is ${text.counted}.`,
    list: { description: text.page, schema: UserList, example: (l) => examples(l).userList },
    handler: ownedList({
      key: "users",
      missing: NO_USER,
      load: (db, id, page, callerId) => listFollowPage(db, kind, id, page, callerId),
      url: (l, id) => (kind === "followers" ? l.followers(id) : l.following(id)),
      json: userJson,
    }),
  });
}

/** The user named in the path, for follow changes (the service works by username). */
async function target(c: ApiContext, id: number) {
  const user = await getPublicUser(c.get("db"), id);
  if (!user) throw new ApiError(404, NO_USER);
  return user;
}

export const userEndpoints = [
  endpoint("GET", "/users/{id}", "getUser", "Users", {
    summary: "A user's public profile",
    responses: { 200: { description: "The user.", schema: UserBody, example: (l) => examples(l).user } },
    handler: async (c, { id }) => c.json(userJson(linksOf(c), await target(c, id))),
  }),
  listEndpoint("/users/{id}/posts/", "listUserPosts", "Users", {
    summary: "A user's posts, newest first",
    description: "20 per page. `count` is the user's number of posts.",
    list: { description: "A page of the user's posts.", schema: PostList, example: (l) => examples(l).userPostList },
    handler: ownedList({ key: "posts", missing: NO_USER, load: listUserPostsWithSource, url: (l, id) => l.userPosts(id), json: postJson }),
  }),
  listEndpoint("/users/{id}/timeline/", "listTimeline", "Users", {
    summary: "Posts of everyone the user follows, their own included, newest first",
    description: "20 per page. `count` is null: the total would mean counting every post of every account followed, as the web's Followed tab does not either.",
    list: { description: "A page of the timeline.", schema: PostList, example: (l) => examples(l).postList },
    handler: ownedList({ key: "posts", missing: NO_USER, load: listTimelineWithSource, url: (l, id) => l.timeline(id), json: postJson }),
  }),
  followListEndpoint("followers"),
  followListEndpoint("following"),
  endpoint("POST", "/users/{id}/follow", "followUser", "Users", {
    summary: "Follow a user",
    description: "409 when you already follow them (everyone always follows themselves); 403 when you may not follow this member.",
    permission: "FOLLOW",
    errors: [403, 409],
    responses: { 200: { description: "You follow them now.", schema: FollowStatus, example: (l) => examples(l).followed } },
    handler: async (c, { user, id }) => {
      const other = await target(c, id);
      const result = await followUser(eventContextOf(c), user.id, other.username);
      if (result.outcome === "unknown-user") throw new ApiError(404, NO_USER);
      if (result.outcome === "blocked") throw new ApiError(403, FOLLOW_BLOCKED);
      if (result.outcome !== "followed") {
        throw new ApiError(409, id === user.id ? "You always follow yourself." : `You are already following ${result.user.username}.`);
      }
      return c.json(followStatusJson(linksOf(c), result.user.id, true, result.followerCount));
    },
  }),
  endpoint("DELETE", "/users/{id}/follow", "unfollowUser", "Users", {
    summary: "Stop following a user",
    description: "409 when you do not follow them, and for yourself (your own posts stay in your timeline).",
    permission: "FOLLOW",
    errors: [409],
    responses: { 200: { description: "You no longer follow them.", schema: FollowStatus, example: (l) => examples(l).unfollowed } },
    handler: async (c, { user, id }) => {
      const other = await target(c, id);
      const result = await unfollowUser(eventContextOf(c), user.id, other.username);
      if (result.outcome === "unknown-user") throw new ApiError(404, NO_USER);
      if (result.outcome === "self") throw new ApiError(409, "You cannot unfollow yourself.");
      if (result.outcome !== "unfollowed") throw new ApiError(409, `You are not following ${result.user.username}.`);
      return c.json(followStatusJson(linksOf(c), result.user.id, false, result.followerCount));
    },
  }),
];
