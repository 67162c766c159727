// Likes over the API: POST/DELETE /posts/{id}/like (idempotent, own posts allowed), every answer checked
// against the OpenAPI document by the ApiClient; no credentials, unknown posts and bad ids.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { insertPost } from "../helpers/posts";
import { API, ApiClient, apiUser } from "./helpers";

const countOf = async (postId: number) => (await env.DB.prepare("SELECT like_count AS n FROM posts WHERE id = ?").bind(postId).first<{ n: number }>())!.n;

describe("POST/DELETE /api/v1/posts/{id}/like", () => {
  it("likes, likes again (still one), unlikes; own posts too", async () => {
    const u = await apiUser("alike");
    const post = await insertPost(u.id, "mine", Date.now());
    const liked = await u.api.post(`/posts/${post}/like`);
    expect(liked.status).toBe(200);
    expect(liked.body).toEqual({ post_url: `${API}/posts/${post}`, liked: true, like_count: 1 });
    expect((await u.api.post(`/posts/${post}/like`)).body).toMatchObject({ liked: true, like_count: 1 });
    expect(await countOf(post)).toBe(1);
    const un = await u.api.delete(`/posts/${post}/like`);
    expect(un.status).toBe(200);
    expect(un.body).toMatchObject({ liked: false, like_count: 0 });
    expect((await u.api.delete(`/posts/${post}/like`)).body).toMatchObject({ liked: false, like_count: 0 });
    expect(await countOf(post)).toBe(0);
  });

  it("no credentials: 401; unknown post: 404; bad id: 404; nothing stored", async () => {
    const u = await apiUser("alikebad");
    const post = await insertPost(u.id, "x", Date.now());
    expect((await new ApiClient().post(`/posts/${post}/like`)).status).toBe(401);
    expect((await u.api.post("/posts/999999999/like")).status).toBe(404);
    expect((await u.api.post("/posts/abc/like")).status).toBe(404);
    expect((await u.api.delete("/posts/0/like")).status).toBe(404);
    expect(await countOf(post)).toBe(0);
  });
});

describe("like_count on Post", () => {
  it("every post answer (one post, all posts, a user's posts, the timeline) carries its likes, documented", async () => {
    const author = await apiUser("alcount");
    const fans = [await apiUser("alcf1"), await apiUser("alcf2")];
    const post = await insertPost(author.id, "counted", Date.now());
    const fresh = await author.api.get(`/posts/${post}`);
    expect(fresh.status).toBe(200);
    expect(fresh.body.like_count).toBe(0);
    for (const fan of fans) expect((await fan.api.post(`/posts/${post}/like`)).status).toBe(200);
    expect((await author.api.get(`/posts/${post}`)).body.like_count).toBe(2);
    const lists = [`/posts/`, `/users/${author.id}/posts/`, `/users/${author.id}/timeline/`];
    for (const path of lists) {
      const r = await author.api.get(path);
      expect(r.status, path).toBe(200);
      expect(r.body.posts.find((p: { url: string }) => p.url === `${API}/posts/${post}`)?.like_count, path).toBe(2);
    }
    expect((await fans[0]!.api.delete(`/posts/${post}/like`)).status).toBe(200);
    expect((await author.api.get(`/posts/${post}`)).body.like_count).toBe(1);
  });
});
