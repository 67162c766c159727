// The front page a stranger sees (what Roost is, why it is different, how to join, the newest posts), the
// member's feed in its place once logged in, and the footer with About, API, Privacy and Source on every page.
import { describe, expect, it } from "vitest";
import { confirmedUser } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { insertPost, postIds } from "../helpers/posts";

const PITCH = "Your own blog, among friends.";

describe("the front page", () => {
  it("tells a stranger what Roost is, why it is different, how to join, and shows the newest posts", async () => {
    const writer = await confirmedUser("front");
    const newest = await insertPost(writer.id, "the newest public post", Date.now());
    const res = await new Client().get("/");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<h1 id="hero-title">${PITCH}</h1>`);
    expect(html).toContain("is a place for your own blog");
    for (const point of ["Your own blog", "Followers, not an algorithm", "No tracking"]) expect(html).toContain(`<strong>${point}</strong>`);
    expect(html).toMatch(/<a class="button" href="\/auth\/register">Create your blog<\/a>/);
    expect(html).toMatch(/<a class="button button-secondary" href="\/auth\/login">I already have an account<\/a>/);
    expect(html).toContain("<h2>Newest posts</h2>");
    expect(postIds(html)[0]).toBe(newest);
    expect(html).not.toContain("Hello, Stranger!");
  });

  it("keeps the feed for members: their greeting and post form, no pitch", async () => {
    const me = await confirmedUser("member");
    const html = await (await me.client.get("/")).text();
    expect(html).toContain(`Hello, ${me.username}!`);
    expect(html).toContain("What&#39;s on your mind?");
    expect(html).not.toContain(PITCH);
  });
});

describe("footer and the site's own pages", () => {
  it.each(["/", "/explore", "/auth/login", "/about", "/privacy", "/no-such-page"])("%s has the footer with About, API, Privacy and Source", async (path) => {
    const html = await (await new Client().get(path)).text();
    const footer = html.slice(html.indexOf('<footer class="site-footer">'));
    expect(footer).toContain('<a href="/about">About</a>');
    expect(footer).toContain('<a href="/api">API</a>');
    expect(footer).toContain('<a href="/privacy">Privacy</a>');
    expect(footer).toMatch(/<a href="[^"]+">Source<\/a>/);
  });

  it.each([
    ["/privacy", "Privacy", ["salted PBKDF2 hash", "stores no IP address", "Do Not Track", "downloads everything"]],
    ["/about", "About Roost", ["JSON API", "Source"]],
  ])("%s answers 200 with what it promises", async (path, heading, phrases) => {
    const res = await new Client().get(path);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<h1>${heading}</h1>`);
    for (const phrase of phrases) expect(html).toContain(phrase);
  });
});
