// Users over the API: profiles, follow / unfollow (FOLLOW permission, 409s, the permanent self-follow),
// follower and following lists (self excluded, counts, pagination) and timelines.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { insertUsers, setPermissions } from "../helpers/accounts";
import { d1Queries } from "../helpers/http";
import { followCount, followRow, insertPost } from "../helpers/posts";
import { API, apiUser } from "./helpers";

const idOf = (url: string) => Number(url.split("/").pop());

describe("profiles", () => {
  it("a user's JSON: Flasky's fields, absolute links, post_count, ISO times; unknown id 404", async () => {
    const u = await apiUser("profile");
    await insertPost(u.id, "one", Date.now() - 1000);
    await insertPost(u.id, "two", Date.now());
    const r = await u.api.get(`/users/${u.id}`);
    expect(r.body).toEqual({
      url: `${API}/users/${u.id}`,
      username: u.username,
      member_since: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      last_seen: expect.stringMatching(/Z$/),
      posts_url: `${API}/users/${u.id}/posts/`,
      followed_posts_url: `${API}/users/${u.id}/timeline/`,
      followers_url: `${API}/users/${u.id}/followers/`,
      following_url: `${API}/users/${u.id}/following/`,
      post_count: 2,
    });
    expect(JSON.stringify(r.body)).not.toContain(u.email);
    expect((await u.api.get("/users/999999999")).status).toBe(404);
    expect((await u.api.get("/users/999999999/posts/")).status).toBe(404);
    expect((await u.api.get("/users/999999999/timeline/")).status).toBe(404);
    expect((await u.api.get("/users/999999999/followers/")).status).toBe(404);
    expect((await u.api.get("/users/999999999/following/")).status).toBe(404);
  });
});

describe("follow and unfollow", () => {
  it("follow → 200; again → 409; unfollow → 200; again → 409; lists and counts agree", async () => {
    const me = await apiUser("fan");
    const star = await apiUser("star");
    const r = await me.api.post(`/users/${star.id}/follow`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ user_url: `${API}/users/${star.id}`, following: true, follower_count: 1 });

    const again = await me.api.post(`/users/${star.id}/follow`);
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: "conflict", message: `You are already following ${star.username}.` });

    const followers = await me.api.get(`/users/${star.id}/followers/`);
    expect(followers.body.users.map((u: { url: string }) => u.url)).toEqual([`${API}/users/${me.id}`]);
    expect(followers.body.count).toBe(1);
    const following = await me.api.get(`/users/${me.id}/following/`);
    expect(following.body.users.map((u: { username: string }) => u.username)).toEqual([star.username]);
    expect(following.body.count).toBe(1);

    const un = await me.api.delete(`/users/${star.id}/follow`);
    expect(un.status).toBe(200);
    expect(un.body).toEqual({ user_url: `${API}/users/${star.id}`, following: false, follower_count: 0 });
    const unAgain = await me.api.delete(`/users/${star.id}/follow`);
    expect(unAgain.status).toBe(409);
    expect(unAgain.body.message).toBe(`You are not following ${star.username}.`);
    expect((await me.api.get(`/users/${star.id}/followers/`)).body).toMatchObject({ users: [], count: 0 });
  });

  it("oneself: follow is 409 (always following), unfollow is 409 and the self-follow stays", async () => {
    const me = await apiUser("selfish");
    const f = await me.api.post(`/users/${me.id}/follow`);
    expect(f.status).toBe(409);
    expect(f.body.message).toBe("You always follow yourself.");
    const u = await me.api.delete(`/users/${me.id}/follow`);
    expect(u.status).toBe(409);
    expect(u.body.message).toBe("You cannot unfollow yourself.");
    const row = await env.DB.prepare("SELECT count(*) AS n FROM follows WHERE follower_id = ?1 AND followed_id = ?1").bind(me.id).first<{ n: number }>();
    expect(row!.n).toBe(1);
    // Self-follows are never listed.
    expect((await me.api.get(`/users/${me.id}/followers/`)).body).toMatchObject({ users: [], count: 0 });
    expect((await me.api.get(`/users/${me.id}/following/`)).body).toMatchObject({ users: [], count: 0 });
  });

  it("unknown user → 404; without FOLLOW → 403", async () => {
    const me = await apiUser("nofollow");
    const other = await apiUser("target");
    expect((await me.api.post("/users/999999999/follow")).status).toBe(404);
    expect((await me.api.delete("/users/999999999/follow")).status).toBe(404);
    await setPermissions(me.id, "Hermit", 2 | 4); // COMMENT | WRITE
    expect((await me.api.post(`/users/${other.id}/follow`)).status).toBe(403);
    expect(await followCount(me.id, other.id)).toBe(0);
    expect((await me.api.delete(`/users/${other.id}/follow`)).status).toBe(403);
    // The permanent self-follow is untouched.
    expect(await followCount(me.id, me.id)).toBe(1);
  });
});

describe("follower lists", () => {
  it("50 per page, most recent first, one query per page; next until null, prev back", async () => {
    const star = await apiUser("popular");
    const fans = (await insertUsers(55, "fan")).map((f) => f.id);
    const base = Date.now() - 86_400_000;
    await env.DB.batch(fans.map((id, i) => followRow(id, star.id, base + i * 1000)));
    const first = await star.api.get(`/users/${star.id}/followers/`);
    expect(first.status).toBe(200);
    expect(first.body.count).toBe(55);
    expect(first.body.users).toHaveLength(50);
    expect(d1Queries(first.res)).toBe(2);
    expect(idOf(first.body.users[0].url)).toBe(fans[54]);
    const second = await star.api.get(first.body.next);
    expect(second.body.users.map((u: { url: string }) => idOf(u.url))).toEqual([fans[4], fans[3], fans[2], fans[1], fans[0]]);
    expect(second.body.next).toBeNull();
    expect((await star.api.get(second.body.prev)).body.users).toEqual(first.body.users);
    // Each entry is a full user object (post_count included) from the same single statement.
    expect(first.body.users[0]).toMatchObject({ post_count: 0, followers_url: expect.stringContaining("/followers/") });
  });
});

describe("timelines", () => {
  it("posts of everyone followed plus one's own, newest first; nobody else's; count null", async () => {
    const me = await apiUser("reader");
    const friend = await apiUser("friend");
    const stranger = await apiUser("stranger");
    const t = Date.now() - 3600_000;
    const mine = await insertPost(me.id, "mine", t);
    const theirs = await insertPost(friend.id, "theirs", t + 1000);
    await insertPost(stranger.id, "not in my timeline", t + 2000);
    expect((await me.api.post(`/users/${friend.id}/follow`)).status).toBe(200);
    const r = await me.api.get(`/users/${me.id}/timeline/`);
    expect(r.status).toBe(200);
    expect(r.body.posts.map((p: { url: string }) => idOf(p.url))).toEqual([theirs, mine]);
    expect(r.body.count).toBeNull();
    expect(d1Queries(r.res)).toBe(2);
    // Anyone may read anyone's timeline (follows are public, as on the web).
    expect((await stranger.api.get(`/users/${me.id}/timeline/`)).body.posts).toHaveLength(2);
  });
});
