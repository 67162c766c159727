// Flasky's tests/test_api.py, ported: 404 as JSON, no auth, bad auth, token auth, anonymous, unconfirmed
// account, posts (create / read / update with exact body_html), users, comments (tag-stripped HTML).
// Where Roost deliberately differs (absolute URLs, newest-first lists, no total on timelines), the
// assertion says so. Every response is also checked against the OpenAPI document by ApiClient.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { unconfirmedUser } from "../helpers/accounts";
import { ORIGIN } from "../helpers/client";
import { insertComment } from "../helpers/posts";
import { API, ApiClient, apiUser, basic, bearer, getToken, tokenAsBasic } from "./helpers";

describe("Flasky's API tests", () => {
  it("test_404: an unknown URL answers JSON {error: 'not found'} to a JSON client", async () => {
    const res = await SELF.fetch(`${ORIGIN}/wrong/url`, { headers: { Accept: "application/json", "Content-Type": "application/json" } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toBe("not found");
    // Under /api/ it is JSON whatever the client accepts.
    const api = await new ApiClient().get("/wrong/url", { headers: { Accept: "text/html" } });
    expect(api.status).toBe(404);
    expect(api.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(api.body.error).toBe("not found");
  });

  it("test_no_auth: GET /posts/ without credentials is 401", async () => {
    const r = await new ApiClient().get("/posts/");
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ error: "unauthorized", message: expect.stringContaining("Authentication required") });
  });

  it("test_bad_auth: the right email with a wrong password is 401", async () => {
    const u = await apiUser("badauth");
    const r = await new ApiClient(basic(u.email, "dog-wrong-password")).get("/posts/");
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ error: "unauthorized", message: "Invalid credentials" });
  });

  it("test_token_auth: a bad token is 401; a minted token works", async () => {
    const u = await apiUser("tokenauth");
    expect((await new ApiClient(tokenAsBasic("bad-token")).get("/posts/")).status).toBe(401);
    const minted = await new ApiClient(basic(u.email, u.password)).post("/tokens/");
    expect(minted.status).toBe(200);
    expect(minted.body).toEqual({ token: expect.stringMatching(/^[a-z2-7]{32}$/), expiration: 3600 });
    // Flasky's way (token as Basic username, empty password) and Bearer both work.
    expect((await new ApiClient(tokenAsBasic(minted.body.token)).get("/posts/")).status).toBe(200);
    expect((await new ApiClient(bearer(minted.body.token)).get("/posts/")).status).toBe(200);
  });

  it("test_anonymous: empty Basic credentials are 401", async () => {
    expect((await new ApiClient(basic("", "")).get("/posts/")).status).toBe(401);
  });

  it("test_unconfirmed_account: an unconfirmed account is 403 with Flasky's message", async () => {
    const u = await unconfirmedUser();
    const r = await new ApiClient(basic(u.email, u.password)).get("/posts/");
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ error: "forbidden", message: "Unconfirmed account" });
    // Nor can it mint a token to get around that.
    expect((await new ApiClient(basic(u.email, u.password)).post("/tokens/")).status).toBe(403);
  });

  it("test_posts: empty body 400; create 201 + Location; read; user posts; timeline; update", async () => {
    const u = await apiUser("john");
    const api = new ApiClient(basic(u.email, u.password));

    const empty = await api.post("/posts/", { body: "" });
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual({ error: "bad request", message: "body: must not be empty" });

    const created = await api.post("/posts/", { body: "body of the *blog* post" });
    expect(created.status).toBe(201);
    const url = created.headers.get("Location")!;
    expect(url).toMatch(new RegExp(`^${API}/posts/\\d+$`));

    const got = await api.get(url);
    expect(got.status).toBe(200);
    // Roost's URLs are absolute (Flasky's were relative): the url field IS the Location.
    expect(got.body.url).toBe(url);
    expect(got.body.body).toBe("body of the *blog* post");
    expect(got.body.body_html).toBe("<p>body of the <em>blog</em> post</p>");
    expect(got.body.author_url).toBe(`${API}/users/${u.id}`);
    expect(got.body.comments_url).toBe(`${url}/comments/`);
    expect(got.body.comment_count).toBe(0);
    expect(Date.parse(got.body.timestamp)).toBeGreaterThan(Date.now() - 60_000);

    const mine = await api.get(`/users/${u.id}/posts/`);
    expect(mine.status).toBe(200);
    expect(mine.body.count).toBe(1);
    expect(mine.body.posts[0]).toEqual(got.body);

    const timeline = await api.get(`/users/${u.id}/timeline/`);
    expect(timeline.status).toBe(200);
    // Flasky counted the timeline; Roost does not (it would read every followed post): count is null.
    expect(timeline.body.posts).toEqual([got.body]);
    expect(timeline.body.count).toBeNull();

    const updated = await api.put(url, { body: "updated body" });
    expect(updated.status).toBe(200);
    expect(updated.body.url).toBe(url);
    expect(updated.body.body).toBe("updated body");
    expect(updated.body.body_html).toBe("<p>updated body</p>");
  });

  it("test_users: GET /users/<id> for two users", async () => {
    const john = await apiUser("john");
    const susan = await apiUser("susan");
    const a = await john.api.get(`/users/${john.id}`);
    const b = await john.api.get(`/users/${susan.id}`);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body.username).toBe(john.username);
    expect(b.body.username).toBe(susan.username);
    // Flasky's fields, plus links to the two follower lists Roost adds. No email: it is private.
    expect(Object.keys(a.body).sort()).toEqual(
      ["url", "username", "member_since", "last_seen", "posts_url", "followed_posts_url", "followers_url", "following_url", "post_count"].sort(),
    );
    expect(a.body.url).toBe(`${API}/users/${john.id}`);
  });

  it("test_comments: a Markdown link comment keeps its body; stripped body_html is 'Good post!'; counts", async () => {
    const john = await apiUser("john");
    const susan = await apiUser("susan");
    const post = await john.api.post("/posts/", { body: "body of the *blog* post" });
    expect(post.status).toBe(201);
    const postId = Number(post.headers.get("Location")!.split("/").pop());

    const comment = await susan.api.post(`/posts/${postId}/comments/`, { body: "Good [post](http://example.com/#)!" });
    expect(comment.status).toBe(201);
    const url = comment.headers.get("Location")!;
    expect(comment.body.body).toBe("Good [post](http://example.com/#)!");
    expect(comment.body.body_html.replace(/<.*?>/g, "")).toBe("Good post!");
    expect(comment.body.post_url).toBe(`${API}/posts/${postId}`);
    expect(comment.body.author_url).toBe(`${API}/users/${susan.id}`);

    const got = await susan.api.get(url);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(comment.body);

    // A second comment straight into the database, as Flasky's test adds one through the model.
    await insertComment(postId, john.id, "Thank you!");
    for (const api of [john.api, susan.api]) {
      const list = await api.get(`/posts/${postId}/comments/`);
      expect(list.status).toBe(200);
      expect(list.body.comments).toHaveLength(2);
      expect(list.body.count).toBe(2);
    }
    const postNow = await john.api.get(`/posts/${postId}`);
    expect(postNow.body.comment_count).toBe(2);
  });

  it("a token minted by email works for username logins too, and POST /tokens/ accepts the username", async () => {
    const u = await apiUser("byname");
    const token = await getToken(u.username, u.password);
    expect((await new ApiClient(bearer(token)).get(`/users/${u.id}`)).body.username).toBe(u.username);
    const row = await env.DB.prepare("SELECT count(*) AS n FROM auth_tokens WHERE user_id = ? AND purpose = 'api'").bind(u.id).first<{ n: number }>();
    expect(row!.n).toBe(2);
  });
});
