// Private messages: one conversation per pair, newest first, plain text with clickable links, at most
// 2,000 characters, rate-limited per sender, and never shown to anyone but the two people.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type Account, confirmedUser, expectSentToLogin, unconfirmedUser } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { d1Queries, HX, rawPost } from "../helpers/http";

const send = (from: Account, to: Account, body: string, headers: HeadersInit = {}) => from.client.post(`/messages/${to.username}`, { body }, headers);
const pageOf = async (who: Account, path: string) => {
  const res = await who.client.get(path);
  expect(res.status).toBe(200);
  return res.text();
};
const storedFrom = (id: number) =>
  env.DB.prepare("SELECT count(*) AS n FROM messages WHERE sender_id = ?")
    .bind(id)
    .first<{ n: number }>()
    .then((r) => r!.n);

describe("a conversation", () => {
  it("is one per pair, in order, with the newest conversation first and an unread count in the nav", async () => {
    const ann = await confirmedUser("mga");
    const ben = await confirmedUser("mgb");
    const cat = await confirmedUser("mgc");
    expect((await send(ann, ben, "hello ben")).status).toBe(303);
    expect((await send(ben, ann, "hi ann")).status).toBe(303);
    expect((await send(cat, ann, "ann, it's cat")).status).toBe(303);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM conversations WHERE user_low = ? OR user_high = ?")
      .bind(ann.id, ann.id)
      .first<{ n: number }>();
    expect(rows!.n).toBe(2);
    const list = await pageOf(ann, "/messages");
    expect(list.indexOf(`>${cat.username}</a>`)).toBeLessThan(list.indexOf(`>${ben.username}</a>`));
    expect(list).toContain('<a href="/messages">Messages</a><span class="nav-count"><span class="badge">2');
    const thread = await pageOf(ann, `/messages/${ben.username}`);
    expect(thread.indexOf("hello ben")).toBeLessThan(thread.indexOf("hi ann"));
    expect(thread).toContain('<span class="badge">1');
    expect(await pageOf(ann, "/explore")).toContain('<span class="badge">1');
  });

  it("is text: markup is escaped, bare links become safe links, javascript: stays text", async () => {
    const ann = await confirmedUser("mta");
    const ben = await confirmedUser("mtb");
    await send(ann, ben, "<script>alert(1)</script> **not bold** see https://example.org/a?b=1&c=2 or javascript:alert(1)");
    const thread = await pageOf(ben, `/messages/${ann.username}`);
    expect(thread).toContain("&lt;script&gt;alert(1)&lt;/script&gt; **not bold** see ");
    expect(thread).toContain('<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">https://example.org/a?b=1&amp;c=2</a>');
    expect(thread).not.toContain('href="javascript');
  });

  it("replies append in place with htmx and the form comes back empty; a page costs a fixed number of queries", async () => {
    const ann = await confirmedUser("mha");
    const ben = await confirmedUser("mhb");
    const res = await send(ann, ben, "via htmx", HX);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<li class="message mine" id="message-\d+">/);
    expect(html).toContain('hx-swap-oob="outerHTML"');
    for (let i = 0; i < 5; i++) await send(ben, ann, `reply ${i}`);
    expect(d1Queries(await ann.client.get(`/messages/${ben.username}`))).toBe(3); // session, the name, one batch
    expect(d1Queries(await ann.client.get("/messages"))).toBe(2);
  });
});

describe("bad input", () => {
  it.each([
    ["empty", 422, "   ", "Write a message first."],
    ["too long", 422, "x".repeat(2001), "Messages can be at most 2,000 characters."],
  ])("%s answers %i with the message and stores nothing", async (_name, status, body, message) => {
    const ann = await confirmedUser("mba");
    const ben = await confirmedUser("mbb");
    for (const headers of [{}, HX]) {
      const res = await send(ann, ben, body, headers);
      expect(res.status).toBe(status);
      expect(await res.text()).toContain(message);
    }
    expect(await storedFrom(ann.id)).toBe(0);
  });

  it("2,000 characters is fine", async () => {
    const ann = await confirmedUser("mbx");
    const ben = await confirmedUser("mby");
    expect((await send(ann, ben, "y".repeat(2000))).status).toBe(303);
    expect(await storedFrom(ann.id)).toBe(1);
  });

  it("unknown people are 404, oneself is 400, no session goes to login, unconfirmed to confirm, CSRF is 403, PUT is 405", async () => {
    const ann = await confirmedUser("mbz");
    const ben = await confirmedUser("mbw");
    expect((await ann.client.post("/messages/nobody_here_at_all", { body: "hi" })).status).toBe(404);
    expect((await ann.client.get("/messages/nobody_here_at_all")).status).toBe(404);
    expect((await ann.client.get("/messages/<script>")).status).toBe(404);
    expect((await send(ann, ann, "me")).status).toBe(400);
    expectSentToLogin(await new Client().post(`/messages/${ben.username}`, { body: "hi" }));
    expectSentToLogin(await new Client().get("/messages"));
    const unconfirmed = await unconfirmedUser("mbu", { login: true });
    const res = await send(unconfirmed, ben, "hi");
    expect(res.headers.get("Location")).toBe("/auth/unconfirmed");
    const csrf = await rawPost(
      `/messages/${ben.username}`,
      { Origin: "https://evil.example", Cookie: `__Host-session=${ann.client.session()}` },
      { body: "hi" },
    );
    expect(csrf.status).toBe(403);
    expect((await ann.client.fetch(`/messages/${ben.username}`, { method: "PUT", headers: { Origin: "http://127.0.0.1:8787" } })).status).toBe(405);
    expect(await storedFrom(ann.id)).toBe(0);
    expect(await storedFrom(unconfirmed.id)).toBe(0);
  });

  it("is rate-limited per sender like posts", async () => {
    const { default: worker } = await import("../../src/index");
    const { createExecutionContext } = await import("cloudflare:test");
    const ann = await confirmedUser("mrl");
    const ben = await confirmedUser("mrb");
    const tight = { ...env, RATE_MESSAGES_PER_MINUTE: "2" };
    const post = () =>
      worker.fetch(
        new Request(`http://127.0.0.1:8787/messages/${ben.username}`, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://127.0.0.1:8787", Cookie: `__Host-session=${ann.client.session()}` },
          body: new URLSearchParams({ body: "spam" }),
          redirect: "manual",
        }),
        tight,
        createExecutionContext(),
      );
    expect((await post()).status).toBe(303);
    expect((await post()).status).toBe(303);
    const third = await post();
    expect(third.status).toBe(429);
    expect(await third.text()).toContain("You are sending messages very fast.");
    expect(await storedFrom(ann.id)).toBe(2);
  });
});

describe("privacy", () => {
  it("nobody but the two people sees a message: every other member, a moderator, an administrator, the API", async () => {
    const ann = await confirmedUser("mpa");
    const ben = await confirmedUser("mpb");
    const secret = `the secret word is ${crypto.randomUUID()}`;
    expect((await send(ann, ben, secret)).status).toBe(303);
    expect(await pageOf(ben, `/messages/${ann.username}`)).toContain(secret);
    expect(await pageOf(ann, `/messages/${ben.username}`)).toContain(secret);
    const others = [await confirmedUser("mpo"), await confirmedUser("mpm", { role: "Moderator" }), await confirmedUser("mpd", { role: "Administrator" })];
    for (const o of others) {
      for (const path of [
        "/messages",
        `/messages/${ann.username}`,
        `/messages/${ben.username}`,
        `/user/${ann.username}`,
        "/moderate",
        "/account/export.json",
      ]) {
        const res = await o.client.get(path);
        expect(await res.text(), `${o.username} ${path}`).not.toContain(secret);
      }
    }
    for (const path of [`/messages/${ann.username}`, "/messages", `/api/v1/messages`, `/api/v1/users/${ann.id}/messages`]) {
      const res = await SELF.fetch(`http://127.0.0.1:8787${path}`, {
        headers: { Authorization: `Basic ${btoa(`${ann.email}:${ann.password}`)}` },
        redirect: "manual",
      });
      expect(await res.text()).not.toContain(secret);
    }
    expect(await new Client().get(`/user/${ann.username}`).then((r) => r.text())).not.toContain(secret);
  }, 30_000);

  it("the profile offers Send message to confirmed members other than its owner", async () => {
    const ann = await confirmedUser("mpp");
    const ben = await confirmedUser("mpq");
    expect(await pageOf(ben, `/user/${ann.username}`)).toContain(`href="/messages/${ann.username}"`);
    expect(await pageOf(ann, `/user/${ann.username}`)).not.toContain(`href="/messages/${ann.username}"`);
    expect(await new Client().get(`/user/${ann.username}`).then((r) => r.text())).not.toContain("Send message");
  });
});
