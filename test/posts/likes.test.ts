// Likes: the button on every post (a form without JavaScript, swapped in place with htmx), the count in
// every list at no extra query, "Liked by" on the post page; who may like, and what bad requests get.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { confirmedUser, expectSentToLogin, insertUsers, unconfirmedUser } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { d1Queries, HX, rawPost } from "../helpers/http";
import { insertPost } from "../helpers/posts";

async function likeRow(postId: number) {
  const count = await env.DB.prepare("SELECT like_count AS n FROM posts WHERE id = ?").bind(postId).first<{ n: number }>();
  const rows = await env.DB.prepare("SELECT user_id FROM post_likes WHERE post_id = ? ORDER BY user_id").bind(postId).all<{ user_id: number }>();
  return { count: count?.n ?? null, users: rows.results.map((r) => r.user_id) };
}

describe("liking a post", () => {
  it("without JavaScript: like, like again (still one), unlike; the count follows", async () => {
    const author = await confirmedUser("lauthor");
    const fan = await confirmedUser("lfan");
    const post = await insertPost(author.id, "likeable", Date.now());
    const res = await fan.client.post(`/post/${post}/like`);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/post/${post}`);
    expect(await likeRow(post)).toEqual({ count: 1, users: [fan.id] });
    const page = (await fan.client.follow(res)).html;
    expect(page).toContain("You like this post.");
    expect(page).toContain(`action="/post/${post}/unlike"`);
    expect(page).toContain("1 like<");
    expect(page).toMatch(/id="liked-by"[\s\S]*lfan/);
    await fan.client.post(`/post/${post}/like`);
    expect(await likeRow(post)).toEqual({ count: 1, users: [fan.id] });
    await fan.client.post(`/post/${post}/unlike`);
    expect(await likeRow(post)).toEqual({ count: 0, users: [] });
    await fan.client.post(`/post/${post}/unlike`);
    expect(await likeRow(post)).toEqual({ count: 0, users: [] });
  });

  it("with htmx: answers the new button only", async () => {
    const me = await confirmedUser("lhx");
    const post = await insertPost(me.id, "my own post", Date.now());
    const res = await me.client.post(`/post/${post}/like`, {}, HX);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/^<form class="like-form" method="post" action="\/post\/\d+\/unlike"/);
    expect(html).toContain('aria-pressed="true"');
    expect(html).toContain("1 like</a>");
    const un = await (await me.client.post(`/post/${post}/unlike`, {}, HX)).text();
    expect(un).toContain('aria-pressed="false"');
    expect(un).toContain("0 likes</a>");
  });

  it("counts in every list come with the list: no extra query however many posts are liked", async () => {
    const me = await confirmedUser("lcount");
    const post = await insertPost(me.id, "counted", Date.now() + 60_000);
    const before = d1Queries(await me.client.get("/explore"));
    const fans = await insertUsers(3, "lc");
    await env.DB.batch(fans.map((f) => env.DB.prepare("INSERT INTO post_likes (post_id, user_id, created_at) VALUES (?, ?, ?)").bind(post, f.id, Date.now())));
    await me.client.post(`/post/${post}/like`);
    const res = await me.client.get("/explore");
    expect(d1Queries(res)).toBe(before);
    const html = await res.text();
    expect(html).toMatch(new RegExp(`id="post-${post}"[\\s\\S]*?action="/post/${post}/unlike"[\\s\\S]*?4 likes`));
    const profile = await (await me.client.get(`/user/${me.username}`)).text();
    expect(profile).toContain(`action="/post/${post}/unlike"`);
    const anon = await (await new Client().get("/explore")).text();
    expect(anon).toMatch(new RegExp(`id="post-${post}"[\\s\\S]*?<span class="like-count">4 likes</span>`));
    expect(anon).not.toContain(`action="/post/${post}/like"`);
  });

  it("a deleted account's likes leave the counts", async () => {
    const author = await confirmedUser("ldel");
    const post = await insertPost(author.id, "x", Date.now());
    const [gone] = await insertUsers(1, "lgone");
    await env.DB.prepare("INSERT INTO post_likes (post_id, user_id, created_at) VALUES (?, ?, ?)").bind(post, gone!.id, Date.now()).run();
    expect((await likeRow(post)).count).toBe(1);
    await env.DB.prepare("DELETE FROM users WHERE id = ?").bind(gone!.id).run();
    expect(await likeRow(post)).toEqual({ count: 0, users: [] });
  });
});

describe("who may like, and bad requests", () => {
  it("anonymous visitors go to the login page; unconfirmed accounts to the confirmation page; nothing is stored", async () => {
    const author = await confirmedUser("lguard");
    const post = await insertPost(author.id, "guarded", Date.now());
    expectSentToLogin(await new Client().post(`/post/${post}/like`));
    const unconf = await unconfirmedUser("lunconf", { login: true });
    const res = await unconf.client.post(`/post/${post}/like`);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/auth/unconfirmed");
    expect(await likeRow(post)).toEqual({ count: 0, users: [] });
  });

  it("a cross-site POST is refused (CSRF)", async () => {
    const me = await confirmedUser("lcsrf");
    const post = await insertPost(me.id, "csrf", Date.now());
    const res = await me.client.fetch(`/post/${post}/like`, {
      method: "POST",
      headers: { Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
      body: "",
    });
    expect(res.status).toBe(403);
    const noOrigin = await rawPost(`/post/${post}/like`, { "Sec-Fetch-Site": "cross-site" });
    expect(noOrigin.status).toBe(403);
    expect(await likeRow(post)).toEqual({ count: 0, users: [] });
  });

  const bad: Array<[string, number]> = [
    ["/post/999999999/like", 404],
    ["/post/0/like", 404],
    ["/post/abc/like", 404],
    ["/post/1e3/unlike", 404],
  ];
  it.each(bad)("%s answers %i", async (path, status) => {
    const me = await confirmedUser("lbad");
    const res = await me.client.post(path);
    expect(res.status).toBe(status);
    expect(await res.text()).toContain("That post does not exist.");
  });

  it("GET on the like address is not a like", async () => {
    const me = await confirmedUser("lget");
    const post = await insertPost(me.id, "get", Date.now());
    const res = await me.client.get(`/post/${post}/like`);
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("POST");
    expect(await likeRow(post)).toEqual({ count: 0, users: [] });
  });
});
