// Small things people notice (issue 15, items 6 and 8): a reason on the login page when a mailed link needs a
// session, plain wording after registering, a capitalised 404 title, /favicon.ico, one URL style for the
// email-change pages with the old addresses redirecting, and a moderation list that says which post.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { confirmedUser, latestMailTo, linkIn, register, unconfirmedUser, uniqueUser } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { insertComment, insertPost } from "../helpers/posts";

describe("mailed links that need a session (item 6)", () => {
  it("a confirmation link opened while logged out says why the login page appears, and confirms after logging in", async () => {
    const u = await unconfirmedUser("confirmlater");
    const link = linkIn((await latestMailTo(u.email))!.text);
    const stranger = new Client();
    const res = await stranger.get(link);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/auth/login?next=${encodeURIComponent(link)}`);
    const page = await stranger.follow(res);
    expect(page.html).toContain("Log in to confirm your account: the link works once you are logged in.");
    const row = await env.DB.prepare("SELECT confirmed FROM users WHERE id = ?").bind(u.id).first<{ confirmed: number }>();
    expect(row!.confirmed).toBe(0);
  });
});

describe("wording and titles (item 8)", () => {
  it("after registering, the flash says plainly where the link went", async () => {
    const client = new Client();
    const u = uniqueUser("wording");
    const { html } = await client.follow(await register(client, u));
    expect(html).toContain(`We have sent a confirmation link to ${u.email}. Open it to finish signing up.`);
    expect(html).not.toContain("sent to you by email");
  });

  it("the 404 page's title is capitalised like every other title", async () => {
    const res = await new Client().get("/no-such-page");
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("<title>Page not found · Roost</title>");
    expect(html).toContain("<h1>Page not found</h1>");
  });

  it("/favicon.ico is served as an icon", async () => {
    const res = await env.ASSETS.fetch("http://127.0.0.1:8787/favicon.ico");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/icon/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 4)]).toEqual([0, 0, 1, 0]); // the ICO signature
  });
});

describe("one URL style: /auth/change-email (item 8)", () => {
  it.each([
    ["/auth/change_email", "/auth/change-email"],
    ["/auth/change_email/sometoken", "/auth/change-email/sometoken"],
    ["/auth/undo_email/sometoken", "/auth/undo-email/sometoken"],
    ["/auth/change_email?x=1", "/auth/change-email?x=1"],
  ])("GET %s redirects permanently to %s", async (old, now) => {
    const res = await new Client().get(old);
    expect(res.status).toBe(301);
    expect(res.headers.get("Location")).toBe(now);
  });

  it("a POST to the old address is redirected with its method kept (308), and the new address works", async () => {
    const me = await confirmedUser("urlstyle");
    const old = await me.client.post("/auth/change_email", { email: "x@example.org", password: "nope" });
    expect(old.status).toBe(308);
    expect(old.headers.get("Location")).toBe("/auth/change-email");
    const page = await me.client.get("/auth/change-email");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('action="/auth/change-email"');
    const wrong = await me.client.post("/auth/change-email", { email: `new-${me.email}`, password: "wrong password" });
    expect(wrong.status).toBe(422);
  });

  it("the mailed confirmation link and the nav use the new address", async () => {
    const me = await confirmedUser("urlmail");
    const home = await (await me.client.get("/")).text();
    expect(home).toContain('<a href="/auth/change-email">Change Email</a>');
    const res = await me.client.post("/auth/change-email", { email: `new-${me.email}`, password: me.password });
    expect(res.status).toBe(303);
    const link = linkIn((await latestMailTo(`new-${me.email}`))!.text);
    expect(link).toMatch(/^\/auth\/change-email\/[^/]+$/);
    expect((await me.client.get(link)).status).toBe(303);
    const row = await env.DB.prepare("SELECT email FROM users WHERE id = ?").bind(me.id).first<{ email: string }>();
    expect(row!.email).toBe(`new-${me.email}`);
  });
});

describe("moderation list (item 8)", () => {
  it("names each comment's post by its author and an excerpt, not a number", async () => {
    const author = await confirmedUser("modauthor");
    const postId = await insertPost(author.id, "# Spring at the **nest**\n\nThe robins are back and the first eggs hatched this morning.", Date.now() - 1000);
    await insertComment(postId, author.id, "first!");
    const mod = await confirmedUser("mod", { role: "Moderator" });
    const html = await (await mod.client.get("/moderate")).text();
    expect(html).not.toMatch(/post #\d+/);
    expect(html).toContain(`<a href="/post/${postId}#comments">Spring at the nest The robins are back and the first eggs…</a> by ${author.username}`);
  });
});
