// /posts/: list, create, read, edit, delete. Writes go through the posts service, which owns the
// Markdown rendering and the rules for who may edit or delete a post; new posts take a slot of the same
// per-user limit as the web's post form (lib/abuse.ts), so the API is no way around it.
import { eventContextOf } from "../../../events/request";
import { abuseRules } from "../../../lib/abuse";
import {
  canDeletePost,
  canEditPost,
  createPost,
  deletePost,
  getPost,
  getPostWithSource,
  LIKE_BLOCKED,
  listAllPostsWithSource,
  setLike,
  updatePost,
} from "../../posts";
import { abuseSlot, linksOf } from "../context";
import { created, creates, endpoint } from "../endpoint";
import { ApiError, NO_POST } from "../errors";
import { examples } from "../examples";
import { LikeStatus, PostBody, PostInput, PostList } from "../schemas";
import { likeStatusJson, postJson } from "../serializers";
import { everyoneListEndpoint } from "./owned-list";

export const postEndpoints = [
  everyoneListEndpoint("posts", PostList, listAllPostsWithSource, postJson, {
    description: "20 per page. `count` is null: counting every post would read the whole table on each request, so follow `next` until it is null instead.",
  }),
  endpoint("POST", "/posts/", "createPost", "Posts", {
    summary: "Publish a post",
    permission: "WRITE",
    ...creates("post", { body: PostInput, bodyExample: (l) => examples(l).postInput, schema: PostBody, example: (l) => examples(l).post }),
    handler: async (c, { user, body }) => {
      const db = c.get("db");
      await abuseSlot(c, abuseRules.post, user.id);
      const id = await createPost(eventContextOf(c), user.id, body.body);
      return created(c, postJson(linksOf(c), (await getPostWithSource(db, id, user.id))!));
    },
  }),
  endpoint("GET", "/posts/{id}", "getPost", "Posts", {
    summary: "One post",
    responses: { 200: { description: "The post.", schema: PostBody, example: (l) => examples(l).post } },
    handler: async (c, { user, id }) => {
      const post = await getPostWithSource(c.get("db"), id, user.id);
      if (!post) throw new ApiError(404, NO_POST);
      return c.json(postJson(linksOf(c), post));
    },
  }),
  endpoint("PUT", "/posts/{id}", "updatePost", "Posts", {
    summary: "Replace a post's text",
    description: "Only the author (with WRITE) or an administrator may edit a post.",
    permission: "WRITE",
    body: PostInput,
    bodyExample: (l) => examples(l).postInput,
    errors: [403],
    responses: { 200: { description: "The updated post.", schema: PostBody, example: (l) => examples(l).post } },
    handler: async (c, { user, id, body }) => {
      const db = c.get("db");
      const post = await getPost(db, id);
      if (!post) throw new ApiError(404, NO_POST);
      if (!canEditPost(user, post)) throw new ApiError(403, "Insufficient permissions: only the author or an administrator may edit this post.");
      if (!(await updatePost(eventContextOf(c), post, body.body))) throw new ApiError(404, NO_POST);
      return c.json(postJson(linksOf(c), (await getPostWithSource(db, id, user.id))!));
    },
  }),
  endpoint("DELETE", "/posts/{id}", "deletePost", "Posts", {
    summary: "Delete a post",
    description: "The author, a moderator or an administrator may delete a post; its comments go with it.",
    errors: [403],
    responses: { 204: { description: "Deleted." } },
    handler: async (c, { user, id }) => {
      const db = c.get("db");
      const post = await getPost(db, id);
      if (!post) throw new ApiError(404, NO_POST);
      if (!canDeletePost(user, post))
        throw new ApiError(403, "Insufficient permissions: only the author, a moderator or an administrator may delete this post.");
      // Gone already (a concurrent delete) is still the outcome asked for.
      await deletePost(eventContextOf(c), post);
      return c.body(null, 204);
    },
  }),

  ...[true, false].map((like) =>
    endpoint(like ? "POST" : "DELETE", "/posts/{id}/like", like ? "likePost" : "unlikePost", "Posts", {
      summary: like ? "Like a post" : "Stop liking a post",
      description: like
        ? "Idempotent: liking a post you already like changes nothing. Your own posts can be liked. 403 when you may not like this member's posts (the same words whatever the reason)."
        : "Idempotent: unliking a post you do not like changes nothing.",
      errors: like ? [403] : [],
      responses: {
        200: {
          description: like ? "You like it now." : "You no longer like it.",
          schema: LikeStatus,
          example: (l) => (like ? examples(l).liked : examples(l).unliked),
        },
      },
      handler: async (c, { user, id }) => {
        const state = await setLike(eventContextOf(c), id, user.id, like);
        if (!state) throw new ApiError(404, NO_POST);
        if (like && state.blocked) throw new ApiError(403, LIKE_BLOCKED);
        return c.json(likeStatusJson(linksOf(c), id, state.liked, state.likeCount));
      },
    }),
  ),
];
