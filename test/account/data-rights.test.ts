// Data rights: a user downloads everything Roost holds about them, and deletes their account with
// their password, taking posts, comments, follows and sessions with it (and nobody else's data).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { confirmedUser, expectSentToLogin, login } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { countOf } from "../helpers/db";
import { follow, insertPost } from "../helpers/posts";

describe("download my data", () => {
  it("is one JSON file with the account, posts, comments and follows (self-follow excluded)", async () => {
    const me = await confirmedUser("export");
    const other = await confirmedUser("exportother");
    const postId = await insertPost(me.id, "my exported post", Date.now() - 5000);
    await me.client.post(`/post/${postId}/comments`, { body: "my exported comment" });
    await follow(me.id, other.id);
    await follow(other.id, me.id);
    expect((await me.client.post("/sites", { name: "My blog", base_url: "https://blog.example.org" })).status).toBe(303);
    const res = await me.client.get("/account/export.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="roost-${me.username}.json"`);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const data = (await res.json()) as Record<string, any>;
    expect(data.account).toMatchObject({ id: me.id, email: me.email, username: me.username, confirmed: true, role: "User" });
    expect(data.account).not.toHaveProperty("passwordHash");
    expect(JSON.stringify(data)).not.toContain("pbkdf2");
    expect(data.posts.map((p: { body: string }) => p.body)).toEqual(["my exported post"]);
    expect(data.comments.map((c: { body: string }) => c.body)).toEqual(["my exported comment"]);
    expect(data.following.map((f: { username: string }) => f.username)).toEqual([other.username]);
    expect(data.followers.map((f: { username: string }) => f.username)).toEqual([other.username]);
    expect(data.sites).toEqual([expect.objectContaining({ name: "My blog", base_url: "https://blog.example.org" })]);
  });

  it("says which avatar pages show: the generated default, Gravatar once opted in, an upload before both", async () => {
    const me = await confirmedUser("exportavatar");
    const avatarOf = async () => ((await (await me.client.get("/account/export.json")).json()) as { account: { avatar: unknown } }).account.avatar;
    expect(await avatarOf()).toEqual({ shown: "generated", gravatar_opt_in: false, upload: null });
    expect((await me.client.post("/edit-profile", { name: "", location: "", about_me: "", gravatar: "y" })).status).toBe(303);
    expect(await avatarOf()).toEqual({ shown: "gravatar", gravatar_opt_in: true, upload: null });
    const at = Date.UTC(2026, 4, 3, 12);
    await env.DB.prepare("UPDATE users SET avatar_version = ? WHERE id = ?").bind(at, me.id).run();
    expect(await avatarOf()).toEqual({
      shown: "upload",
      gravatar_opt_in: true,
      upload: { uploaded_at: "2026-05-03T12:00:00.000Z", url: `/avatars/${me.id}?v=${at}` },
    });
    // The page says the file has it.
    expect(await (await me.client.get("/account")).text()).toContain("with your language, avatar choice and Gravatar opt-in");
  });

  it("needs a session", async () => {
    const res = await new Client().get("/account/export.json");
    expectSentToLogin(res);
  });
});

describe("delete my account", () => {
  it("refuses an empty or wrong password and changes nothing", async () => {
    const me = await confirmedUser("delbad");
    for (const [password, msg] of [
      ["", "Enter your password to confirm."],
      ["wrong password", "Invalid password."],
    ]) {
      const res = await me.client.post("/account/delete", { password: password! });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain(msg);
    }
    expect(await countOf("SELECT count(*) AS n FROM users WHERE id = ?", me.id)).toBe(1);
  });

  it("refuses the last Administrator (422, says why, nothing deleted) until another confirmed one exists", async () => {
    const me = await confirmedUser("dellastadmin");
    const admins = `UPDATE users SET role_id = (SELECT id FROM roles WHERE name = ?) WHERE id = ?`;
    // Nobody else in this file's database is an Administrator.
    await env.DB.prepare("UPDATE users SET role_id = (SELECT id FROM roles WHERE is_default = 1) WHERE id != ?").bind(me.id).run();
    await env.DB.prepare(admins).bind("Administrator", me.id).run();
    const other = await confirmedUser("delnextadmin");
    // An unconfirmed Administrator cannot moderate (the unconfirmed gate), so it does not count.
    await env.DB.prepare(admins).bind("Administrator", other.id).run();
    await env.DB.prepare("UPDATE users SET confirmed = 0 WHERE id = ?").bind(other.id).run();
    for (const _ of [1, 2]) {
      const res = await me.client.post("/account/delete", { password: me.password });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain("You are the last Administrator: make someone else Administrator first, so someone can still moderate.");
      expect(await countOf("SELECT count(*) AS n FROM users WHERE id = ?", me.id)).toBe(1);
      await env.DB.prepare(admins).bind("Moderator", other.id).run(); // a Moderator does not count either
    }
    await env.DB.prepare("UPDATE users SET confirmed = 1 WHERE id = ?").bind(other.id).run();
    await env.DB.prepare(admins).bind("Administrator", other.id).run();
    expect((await me.client.post("/account/delete", { password: me.password })).status).toBe(303);
    expect(await countOf("SELECT count(*) AS n FROM users WHERE id = ?", me.id)).toBe(0);
    // Now `other` is the last one.
    expect((await other.client.post("/account/delete", { password: other.password })).status).toBe(422);
  });

  it("refuses a cross-site request and anonymous visitors", async () => {
    const me = await confirmedUser("delcsrf");
    expect((await me.client.post("/account/delete", { password: me.password }, { Origin: "https://evil.example" })).status).toBe(403);
    expect((await new Client().post("/account/delete", { password: "x" })).status).toBe(303);
    expect(await countOf("SELECT count(*) AS n FROM users WHERE id = ?", me.id)).toBe(1);
  });

  it("deletes the account and everything in it, ends every session, and leaves others alone", async () => {
    const me = await confirmedUser("delok");
    const elsewhere = new Client();
    await login(elsewhere, me.email, me.password);
    const other = await confirmedUser("delother");
    const mine = await insertPost(me.id, "mine", Date.now());
    const theirs = await insertPost(other.id, "theirs", Date.now());
    await me.client.post(`/post/${theirs}/comments`, { body: "my comment on their post" });
    await other.client.post(`/post/${mine}/comments`, { body: "their comment on my post" });
    await other.client.post(`/post/${theirs}/comments`, { body: "their comment on their post" });
    await follow(me.id, other.id);
    await follow(other.id, me.id);
    await me.client.post("/sites", { name: "Doomed", base_url: "https://doomed.example.org" });
    const siteId = (await env.DB.prepare("SELECT id FROM sites WHERE user_id = ?").bind(me.id).first<{ id: number }>())!.id;
    await env.DB.prepare(
      "INSERT INTO visits (uid, site_id, ts, path, event, browser, os, device, visitor) VALUES (?, ?, ?, '/', 'pageview', 'Firefox', 'Linux', 'desktop', 'abc')",
    )
      .bind(`uid-${siteId}`, siteId, Date.now())
      .run();

    const res = await me.client.post("/account/delete", { password: me.password });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/");
    const home = await me.client.follow(res);
    expect(home.html).toContain("Your account and everything in it have been deleted.");
    expect(home.html).toContain("Your own blog, among friends.");
    expect(await (await elsewhere.get("/")).text()).toContain("Your own blog, among friends.");

    expect(await countOf("SELECT count(*) AS n FROM users WHERE id = ?", me.id)).toBe(0);
    expect(await countOf("SELECT count(*) AS n FROM posts WHERE author_id = ?", me.id)).toBe(0);
    expect(await countOf("SELECT count(*) AS n FROM comments WHERE author_id = ?", me.id)).toBe(0);
    expect(await countOf("SELECT count(*) AS n FROM comments WHERE post_id = ?", mine)).toBe(0);
    expect(await countOf("SELECT count(*) AS n FROM follows WHERE follower_id = ?1 OR followed_id = ?1", me.id)).toBe(0);
    expect(await countOf("SELECT count(*) AS n FROM auth_tokens WHERE user_id = ?", me.id)).toBe(0);
    expect(await countOf("SELECT count(*) AS n FROM sites WHERE user_id = ?", me.id)).toBe(0);
    expect(await countOf("SELECT count(*) AS n FROM visits WHERE site_id = ?", siteId)).toBe(0);
    // The other user keeps their post, their own comment and their self-follow.
    expect(await countOf("SELECT count(*) AS n FROM posts WHERE id = ?", theirs)).toBe(1);
    expect(await countOf("SELECT count(*) AS n FROM comments WHERE post_id = ? AND author_id = ?", theirs, other.id)).toBe(1);
    expect(await countOf("SELECT count(*) AS n FROM follows WHERE follower_id = ?1 AND followed_id = ?1", other.id)).toBe(1);
    expect((await login(new Client(), me.email, me.password)).status).toBe(422);
  });
});
