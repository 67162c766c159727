// Leaving the fediverse (POST /account/fediverse, features/federation): the member's WebFinger answer goes (404),
// their actor, outbox and collections answer 410 Gone with a Tombstone, and rejoining serves them all again.
// A deleted account's actor URL answers 410 for good; an id that never was a member's stays 404.
import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { type Account, confirmedUser, expectSentToLogin } from "../helpers/accounts";
import { Client, ORIGIN } from "../helpers/client";
import { insertPost } from "../helpers/posts";

const BASE = env.BASE_URL;
const HOST = new URL(BASE).host;
const AS = "application/activity+json";

const get = (path: string, accept = AS) => SELF.fetch(new URL(path, ORIGIN).toString(), { headers: { Accept: accept }, redirect: "manual" });
const webfinger = (u: Account) => get(`/.well-known/webfinger?resource=${encodeURIComponent(`acct:${u.username}@${HOST}`)}`, "application/jrd+json");
const actorUrls = (id: number) => [`/users/${id}`, `/users/${id}/outbox`, `/users/${id}/followers`, `/users/${id}/following`];
const leftAt = async (id: number) =>
  (await env.DB.prepare("SELECT left_fediverse_at AS at FROM users WHERE id = ?").bind(id).first<{ at: number | null }>())?.at;

// Fedify is imported by the first federation request; that first import takes longer than a test's 5 s.
beforeAll(async () => {
  await (await get("/.well-known/nodeinfo")).arrayBuffer();
}, 60_000);

describe("leaving and rejoining", () => {
  it("takes the member off the fediverse (404 WebFinger, 410 Tombstones) and back on", { timeout: 30_000 }, async () => {
    const me = await confirmedUser("leaver");
    expect((await webfinger(me)).status).toBe(200);
    for (const path of actorUrls(me.id)) expect((await get(path)).status, path).toBe(200);
    const account = await (await me.client.get("/account")).text();
    expect(account).toContain(`@${me.username}@${HOST}`);
    expect(account).toContain("Leave the fediverse");

    const postId = await insertPost(me.id, "a post that leaves with me", Date.now());
    expect((await get(`/post/${postId}`)).status).toBe(200);

    const res = await me.client.post("/account/fediverse", { choice: "leave" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/account#fediverse");
    expect(await leftAt(me.id)).toBeGreaterThan(0);

    expect((await webfinger(me)).status).toBe(404);
    for (const path of actorUrls(me.id)) {
      const gone = await get(path);
      expect(gone.status, path).toBe(410);
      expect(gone.headers.get("Content-Type")).toContain(AS);
      const tombstone = await gone.json<Record<string, string>>();
      expect(tombstone.type).toBe("Tombstone");
      expect(tombstone.id).toBe(`${BASE}${path}`);
    }
    expect((await (await get(`/users/${me.id}`)).json<Record<string, string>>()).formerType).toBe("Person");
    // The profile URL asked for as ActivityPub: the same Tombstone, naming the actor.
    const byName = await get(`/user/${me.username}`);
    expect(byName.status).toBe(410);
    expect((await byName.json<Record<string, string>>()).id).toBe(`${BASE}/users/${me.id}`);
    // Their notes go with them (404 as ActivityPub); the post page stays for browsers.
    expect((await get(`/post/${postId}`)).status).toBe(404);
    expect((await me.client.get(`/post/${postId}`)).status).toBe(200);
    // The Roost profile stays, without the link to an actor that is gone.
    const profile = await (await me.client.get(`/user/${me.username}`)).text();
    expect(profile).toContain(me.username);
    expect(profile).not.toContain('type="application/activity+json"');
    const page = await (await me.client.get("/account")).text();
    expect(page).toContain("You left the fediverse");
    expect(page).toContain("Rejoin the fediverse");

    // Leaving twice changes nothing and says so.
    expect((await me.client.post("/account/fediverse", { choice: "leave" })).status).toBe(303);
    expect(await (await me.client.get("/account")).text()).toContain("You had already left the fediverse.");

    expect((await me.client.post("/account/fediverse", { choice: "rejoin" })).status).toBe(303);
    expect(await leftAt(me.id)).toBeNull();
    expect((await webfinger(me)).status).toBe(200);
    for (const path of actorUrls(me.id)) expect((await get(path)).status, path).toBe(200);
    expect(await (await me.client.get(`/user/${me.username}`)).text()).toContain('type="application/activity+json"');
    expect((await get(`/post/${postId}`)).status).toBe(200);
  });

  it.each([
    ["no choice", {}],
    ["an empty choice", { choice: "" }],
    ["an unknown choice", { choice: "maybe" }],
    ["a choice far too long", { choice: "leave".repeat(1000) }],
  ])("refuses %s (422), changing nothing", async (_, form) => {
    const me = await confirmedUser("badchoice");
    const res = await me.client.post("/account/fediverse", form);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Choose to leave or to rejoin the fediverse.");
    expect(await leftAt(me.id)).toBeNull();
  });

  it("sends a visitor without a session to the login page", async () => {
    expectSentToLogin(await new Client().post("/account/fediverse", { choice: "leave" }));
  });

  it("refuses a cross-site POST (CSRF) and a GET (405), changing nothing", async () => {
    const me = await confirmedUser("csrfleave");
    const forged = await me.client.post("/account/fediverse", { choice: "leave" }, { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" });
    expect(forged.status).toBe(403);
    expect((await me.client.get("/account/fediverse")).status).toBe(405);
    expect(await leftAt(me.id)).toBeNull();
  });
});

describe("gone and never-were actors", () => {
  it("answers 410 for a deleted account's actor and collections, for good", { timeout: 30_000 }, async () => {
    const me = await confirmedUser("deleted");
    expect((await get(`/users/${me.id}`)).status).toBe(200);
    expect((await me.client.post("/account/delete", { password: me.password })).status).toBe(303);
    for (const path of actorUrls(me.id)) expect((await get(path)).status, path).toBe(410);
    expect((await webfinger(me)).status).toBe(404);
  });

  it("answers 404 for an id no member ever had", async () => {
    const row = await env.DB.prepare("SELECT max(id) AS n FROM users").first<{ n: number }>();
    expect((await get(`/users/${row!.n + 1000}`)).status).toBe(404);
    expect((await get(`/users/${row!.n + 1000}/outbox`)).status).toBe(404);
  });
});
