// Follow / unfollow over HTTP: counts without the self-follow, repeats and refusals that change nothing,
// the self-follow that can never be removed, permissions, GET refused, htmx fragments, cascades.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { Permission } from "../../src/lib/permissions";
import { confirmedUser, expectSentToLogin, insertUsers, setPermissions } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { HX } from "../helpers/http";
import { followCount, insertPosts } from "../helpers/posts";

/** A refused action redirects back with an error flash; returns the page it lands on. */
async function errorFlash(client: Client, res: Response): Promise<string> {
  expect(res.status).toBe(303);
  const { html } = await client.follow(res);
  expect(html).toContain("flash-error");
  return html;
}

async function counts(id: number) {
  const row = await env.DB.prepare(
    `SELECT (SELECT count(*) FROM follows WHERE followed_id = ?1 AND follower_id != ?1) AS followers,
            (SELECT count(*) FROM follows WHERE follower_id = ?1 AND followed_id != ?1) AS following`,
  )
    .bind(id)
    .first<{ followers: number; following: number }>();
  return row!;
}

describe("follow and unfollow", () => {
  it("follows then unfollows, with counts that leave out the self-follow", async () => {
    const a = await confirmedUser("fa");
    const [b] = await insertUsers(1, "fb");
    expect(await counts(a.id)).toEqual({ followers: 0, following: 0 });

    const res = await a.client.post(`/follow/${b!.username}`);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/user/${b!.username}`);
    expect((await a.client.follow(res)).html).toContain(`You are now following ${b!.username}.`);
    expect(await followCount(a.id, b!.id)).toBe(1);
    expect(await counts(a.id)).toEqual({ followers: 0, following: 1 });
    expect(await counts(b!.id)).toEqual({ followers: 1, following: 0 });

    // The profile shows the same numbers.
    const page = await (await a.client.get(`/user/${b!.username}`)).text();
    expect(page).toContain("1 follower<");
    expect(page).toContain("0 following");
    expect(page).toContain(`action="/unfollow/${b!.username}"`);

    const un = await a.client.post(`/unfollow/${b!.username}`);
    expect(un.status).toBe(303);
    expect((await a.client.follow(un)).html).toContain(`You are not following ${b!.username} anymore.`);
    expect(await followCount(a.id, b!.id)).toBe(0);
    expect(await counts(b!.id)).toEqual({ followers: 0, following: 0 });
  });

  it("finds the user case-insensitively", async () => {
    const a = await confirmedUser("fci");
    const [b] = await insertUsers(1, "Fci");
    const res = await a.client.post(`/follow/${b!.username.toUpperCase()}`);
    expect(res.headers.get("Location")).toBe(`/user/${b!.username}`);
    expect(await followCount(a.id, b!.id)).toBe(1);
  });

  it("says so when following twice and changes nothing", async () => {
    const a = await confirmedUser("ftw");
    const [b] = await insertUsers(1, "ftwb");
    await a.client.post(`/follow/${b!.username}`);
    const before = await env.DB.prepare("SELECT created_at FROM follows WHERE follower_id = ? AND followed_id = ?").bind(a.id, b!.id).first();
    const html = await errorFlash(a.client, await a.client.post(`/follow/${b!.username}`));
    expect(html).toContain(`You are already following ${b!.username}.`);
    expect(await followCount(a.id, b!.id)).toBe(1);
    const after = await env.DB.prepare("SELECT created_at FROM follows WHERE follower_id = ? AND followed_id = ?").bind(a.id, b!.id).first();
    expect(after).toEqual(before);
  });

  it("survives concurrent duplicate follows without an error", async () => {
    const a = await confirmedUser("frace");
    const [b] = await insertUsers(1, "fraceb");
    const results = await Promise.all(Array.from({ length: 5 }, () => a.client.post(`/follow/${b!.username}`)));
    expect(results.map((r) => r.status)).toEqual([303, 303, 303, 303, 303]);
    expect(await followCount(a.id, b!.id)).toBe(1);
  });

  it("says so when unfollowing someone not followed", async () => {
    const a = await confirmedUser("fnf");
    const [b] = await insertUsers(1, "fnfb");
    const html = await errorFlash(a.client, await a.client.post(`/unfollow/${b!.username}`));
    expect(html).toContain(`You are not following ${b!.username}.`);
    expect(await followCount(a.id, b!.id)).toBe(0);
  });

  it("refuses to unfollow yourself and keeps the self-follow row (own posts stay in the Followed feed)", async () => {
    const a = await confirmedUser("fself");
    expect(await followCount(a.id, a.id)).toBe(1);
    const res = await a.client.post(`/unfollow/${a.username}`);
    expect(res.status).toBe(303);
    expect((await a.client.follow(res)).html).toContain("You cannot unfollow yourself.");
    expect(await followCount(a.id, a.id)).toBe(1);
    // Different case, same person.
    await a.client.post(`/unfollow/${a.username.toUpperCase()}`);
    expect(await followCount(a.id, a.id)).toBe(1);
    // Following yourself is "already following" and also changes nothing.
    const again = await a.client.post(`/follow/${a.username}`);
    expect((await a.client.follow(again)).html).toContain(`You are already following ${a.username}.`);
    expect(await followCount(a.id, a.id)).toBe(1);
    // No Follow button on your own profile.
    const own = await (await a.client.get(`/user/${a.username}`)).text();
    expect(own).not.toContain(`action="/follow/`);
    expect(own).not.toContain(`action="/unfollow/`);
  });

  it("answers 404 for unknown users and writes nothing", async () => {
    const a = await confirmedUser("funk");
    for (const path of ["/follow/nobody_here_at_all", "/unfollow/nobody_here_at_all", "/follow/bad%20name", "/unfollow/" + "x".repeat(70)]) {
      const res = await a.client.post(path);
      expect(res.status, path).toBe(404);
    }
    const row = await env.DB.prepare("SELECT count(*) AS n FROM follows WHERE follower_id = ?").bind(a.id).first<{ n: number }>();
    expect(row!.n).toBe(1);
  });

  it("does not change state on GET (405, Allow: POST)", async () => {
    const a = await confirmedUser("fget");
    const [b] = await insertUsers(1, "fgetb");
    for (const path of [`/follow/${b!.username}`, `/unfollow/${a.username}`]) {
      const res = await a.client.get(path);
      expect(res.status).toBe(405);
      expect(res.headers.get("Allow")).toBe("POST");
    }
    expect(await followCount(a.id, b!.id)).toBe(0);
    expect(await followCount(a.id, a.id)).toBe(1);
  });
});

describe("follow permissions", () => {
  it("sends anonymous visitors to log in and changes nothing", async () => {
    const [b] = await insertUsers(1, "fanon");
    for (const path of [`/follow/${b!.username}`, `/unfollow/${b!.username}`]) {
      const res = await new Client().post(path);
      expectSentToLogin(res);
    }
    const row = await env.DB.prepare("SELECT count(*) AS n FROM follows WHERE followed_id = ?").bind(b!.id).first<{ n: number }>();
    expect(row!.n).toBe(1);
  });

  it("refuses a user whose role lacks FOLLOW (403) and hides the button", async () => {
    const a = await confirmedUser("fnoperm");
    const [b] = await insertUsers(1, "fnopermb");
    await env.DB.prepare("INSERT INTO follows (follower_id, followed_id, created_at) VALUES (?, ?, ?)").bind(a.id, b!.id, Date.now()).run();
    await setPermissions(a.id, "Muted", 0);
    const [c] = await insertUsers(1, "fnopermc");
    expect((await a.client.post(`/follow/${c!.username}`)).status).toBe(403);
    expect((await a.client.post(`/unfollow/${b!.username}`)).status).toBe(403);
    expect(await followCount(a.id, c!.id)).toBe(0);
    expect(await followCount(a.id, b!.id)).toBe(1);
    const page = await (await a.client.get(`/user/${c!.username}`)).text();
    expect(page).not.toContain(`/follow/${c!.username}`);
    // A role with every bit but FOLLOW is refused too.
    await setPermissions(a.id, "NoFollow", 31 & ~Permission.FOLLOW);
    expect((await a.client.post(`/follow/${c!.username}`)).status).toBe(403);
  });
});

describe("htmx partial follow / unfollow", () => {
  it("answers with just the swapped button and the follower count out of band", async () => {
    const a = await confirmedUser("fhx");
    const [b] = await insertUsers(1, "fhxb");
    const res = await a.client.post(`/follow/${b!.username}`, {}, HX);
    expect(res.status).toBe(200);
    expect(res.headers.get("Vary")).toContain("HX-Request");
    const html = await res.text();
    expect(html).not.toContain("<html");
    expect(html).not.toContain("<nav");
    expect(html).toMatch(/^<form class="follow-form"/);
    expect(html).toContain(`hx-post="/unfollow/${b!.username}"`);
    expect(html).toContain('hx-target="this"');
    expect(html).toContain('hx-swap="outerHTML"');
    expect(html).toContain(">Unfollow<");
    expect(html).toContain(`You are now following ${b!.username}.`);
    expect(html).toMatch(/<a id="follower-count"[^>]*hx-swap-oob="true"[^>]*>1 follower</);

    const un = await a.client.post(`/unfollow/${b!.username}`, {}, HX);
    expect(un.status).toBe(200);
    const unHtml = await un.text();
    expect(unHtml).toContain(`hx-post="/follow/${b!.username}"`);
    expect(unHtml).toContain(">Follow<");
    expect(unHtml).toMatch(/id="follower-count"[^>]*>0 followers</);
  });

  it("answers refusals with 409 and a visible message, changing nothing", async () => {
    const a = await confirmedUser("fhx409");
    const [b] = await insertUsers(1, "fhx409b");
    const notFollowing = await a.client.post(`/unfollow/${b!.username}`, {}, HX);
    expect(notFollowing.status).toBe(409);
    const nf = await notFollowing.text();
    expect(nf).toContain(`You are not following ${b!.username}.`);
    expect(nf).toContain('role="alert"');
    expect(nf).toContain(`hx-post="/follow/${b!.username}"`);

    await a.client.post(`/follow/${b!.username}`, {}, HX);
    const twice = await a.client.post(`/follow/${b!.username}`, {}, HX);
    expect(twice.status).toBe(409);
    const tw = await twice.text();
    expect(tw).toContain(`You are already following ${b!.username}.`);
    expect(tw).toContain(`hx-post="/unfollow/${b!.username}"`);
    expect(tw).toMatch(/id="follower-count"[^>]*>1 follower</);

    const self = await a.client.post(`/unfollow/${a.username}`, {}, HX);
    expect(self.status).toBe(409);
    const sf = await self.text();
    expect(sf).toContain("You cannot unfollow yourself.");
    expect(sf).not.toContain("<html");
    expect(await followCount(a.id, a.id)).toBe(1);
    expect(await followCount(a.id, b!.id)).toBe(1);
  });
});

describe("deleting a user", () => {
  it("cascades to their follows both ways and their posts", async () => {
    const [gone, fan, idol] = await insertUsers(3, "fdel");
    await env.DB.batch([
      env.DB.prepare("INSERT INTO follows (follower_id, followed_id, created_at) VALUES (?, ?, ?)").bind(fan!.id, gone!.id, Date.now()),
      env.DB.prepare("INSERT INTO follows (follower_id, followed_id, created_at) VALUES (?, ?, ?)").bind(gone!.id, idol!.id, Date.now()),
    ]);
    await insertPosts(gone!.id, 3);
    await env.DB.prepare("DELETE FROM users WHERE id = ?").bind(gone!.id).run();
    const left = await env.DB.prepare(
      `SELECT (SELECT count(*) FROM follows WHERE follower_id = ?1 OR followed_id = ?1) AS follows,
              (SELECT count(*) FROM posts WHERE author_id = ?1) AS posts`,
    )
      .bind(gone!.id)
      .first<{ follows: number; posts: number }>();
    expect(left).toEqual({ follows: 0, posts: 0 });
    // The others keep their own rows.
    expect(await followCount(fan!.id, fan!.id)).toBe(1);
    expect(await followCount(idol!.id, idol!.id)).toBe(1);
  });
});
