// Example bodies for the OpenAPI document and the /api page, built with the same serializers as real
// answers (so they have the real shape) from made-up rows. The tests validate each one against its schema.

import { MARK_CLOSE as C, MARK_OPEN as O } from "../../lib/fts";
import type { PublicComment } from "../comments";
import type { PostWithSource } from "../posts";
import type { PersonHit, PostHit } from "../search";
import type { PublicUser } from "../users";
import { ERROR_NAMES, NO_POST } from "./errors";
import { commentJson, followStatusJson, type Links, likeStatusJson, postJson, searchResultsJson, userJson } from "./serializers";

const T = Date.UTC(2026, 4, 1, 9, 30);

const post: PostWithSource = {
  id: 42,
  body: "Hello, *Roost*!",
  bodyHtml: "<p>Hello, <em>Roost</em>!</p>",
  createdAt: T,
  authorId: 7,
  commentCount: 2,
  likeCount: 5,
};
const user: PublicUser = { id: 7, username: "susan", memberSince: T - 86_400_000 * 30, lastSeen: T, postCount: 12 };
const comment: PublicComment = {
  id: 314,
  postId: 42,
  authorId: 9,
  remoteUrl: null,
  createdAt: T + 60_000,
  body: "Good [post](https://example.com/)!",
  bodyHtml: '<a href="https://example.com/" rel="nofollow ugc noopener">Good post</a>!',
  disabled: false,
};
const disabledComment: PublicComment = { ...comment, id: 315, createdAt: T + 120_000, body: null, bodyHtml: null, disabled: true };

const postHit: PostHit = {
  id: 42,
  createdAt: T,
  authorId: 7,
  authorUsername: "susan",
  authorName: "Susan",
  authorAvatar: null,
  snippet: `Hello, *${O}Roost${C}*!`,
  olderBefore: null,
};
const personHit: PersonHit = {
  id: 8,
  username: "roostfan",
  usernameMarked: `${O}roost${C}fan`,
  nameMarked: null,
  locationMarked: "Lisbon",
  aboutSnippet: `I write about ${O}roosts${C} and other birds.`,
  avatar: null,
};

export function examples(l: Links) {
  const cursor = `${T}.42`;
  return {
    token: { token: "3mzx7kq2v4ow5r6yh7tj2b3c4d5e6f7g", expiration: 3600 },
    post: postJson(l, post),
    user: userJson(l, user),
    comment: commentJson(l, comment),
    postList: { posts: [postJson(l, post)], prev: null, next: `${l.posts}?page=2&before=${cursor}`, count: null },
    userPostList: { posts: [postJson(l, post)], prev: null, next: null, count: 1 },
    commentList: { comments: [commentJson(l, disabledComment), commentJson(l, comment)], prev: null, next: null, count: 2 },
    userList: { users: [userJson(l, user)], prev: null, next: null, count: 1 },
    followed: followStatusJson(l, 7, true, 3),
    unfollowed: followStatusJson(l, 7, false, 2),
    liked: likeStatusJson(l, 42, true, 5),
    unliked: likeStatusJson(l, 42, false, 4),
    searchResults: searchResultsJson(l, {
      q: "roost",
      kind: "all",
      page: 1,
      before: null,
      searched: true,
      people: { items: [personHit], more: false, older: null },
      posts: { items: [postHit], more: true, older: null },
    }),
    postInput: { body: "Hello, *Roost*!" },
    commentInput: { body: "Good [post](https://example.com/)!" },
  };
}

export const errorExamples = {
  400: { error: ERROR_NAMES[400], message: 'body: must not be empty; unexpected field "title"' },
  401: { error: ERROR_NAMES[401], message: "Invalid credentials" },
  403: { error: ERROR_NAMES[403], message: "Insufficient permissions" },
  404: { error: ERROR_NAMES[404], message: NO_POST },
  405: { error: ERROR_NAMES[405], message: "PATCH is not allowed here. Allowed: GET, PUT, DELETE, HEAD, OPTIONS." },
  409: { error: ERROR_NAMES[409], message: "You are already following susan." },
  413: { error: ERROR_NAMES[413], message: "The request body is larger than 64 KiB." },
  415: { error: ERROR_NAMES[415], message: "Send the request body as JSON, with Content-Type: application/json." },
  429: { error: ERROR_NAMES[429], message: "Too many requests. Retry after the number of seconds in Retry-After." },
  500: { error: ERROR_NAMES[500], message: "Something went wrong on our side. It has been logged; please try again." },
} as const;
