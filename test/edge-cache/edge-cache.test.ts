// The edge cache for public pages (middleware/edge-cache.ts): strangers share pages that hold nothing of any
// one visitor, members never get or fill a cached page, edits purge, entries go stale then expire, and
// conditional GETs answer 304. The suite runs with the cache off (vitest.config.ts); these requests turn it on
// through the env they pass to the app, and share caches.default with SELF (where the edits happen).
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { confirmedUser } from "../helpers/accounts";
import { ORIGIN } from "../helpers/client";
import { setCookies, sleep } from "../helpers/http";
import { insertComment, insertPost } from "../helpers/posts";

const app = createApp();
const ON = { ...env, EDGE_CACHE_SECONDS: "30", EDGE_CACHE_STALE_SECONDS: "60" };

type Visit = { res: Response; html: string; state: string | undefined };

async function visit(path: string, headers: Record<string, string> = {}, e: object = ON): Promise<Visit> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(new URL(path, ORIGIN), { headers }), e as Env, ctx);
  const html = await res.text();
  // The cache fill (and a stale entry's refresh) run in waitUntil.
  await waitOnExecutionContext(ctx);
  const state = (res.headers.get("Server-Timing") ?? "").match(/cache;desc="(\w+)"/)?.[1];
  return { res, html, state };
}

const cookieOf = (client: { cookies: Map<string, string> }) => [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");

async function newPost(text: string) {
  const author = await confirmedUser("cached");
  const id = await insertPost(author.id, text, Date.now());
  return { author, id };
}

describe("what strangers share", () => {
  it("a flash for one stranger never reaches another, and the shared page holds nothing per visitor", async () => {
    await newPost("explore needs a post");
    const first = await visit("/explore");
    // Stranger A logs out: no session any more, a flash waiting in a cookie.
    const a = await confirmedUser("flashed");
    expect((await a.client.post("/auth/logout")).status).toBe(303);
    expect(a.client.session()).toBeUndefined();
    const seenByA = await visit("/explore", { Cookie: cookieOf(a.client) });
    expect(seenByA.state).toBe("bypass");
    expect(seenByA.html).toContain("You have been logged out.");
    // B and C: the cached page, identical for both, with no flash, no cookie, no nonce.
    const b = await visit("/explore");
    const c = await visit("/explore");
    for (const v of [first, b, c]) {
      expect(v.res.status).toBe(200);
      expect(v.html).not.toContain("logged out");
      expect(v.html).not.toContain("nonce");
      expect(setCookies(v.res)).toEqual([]);
    }
    expect(c.state).toBe("hit");
    expect(c.html).toBe(b.html);
    expect(c.res.headers.get("Content-Security-Policy")).toContain("script-src 'self';");
    expect(c.res.headers.get("Vary")).toContain("Cookie");
  });

  it("members bypass the cache both ways: they get their own page and never fill the shared one", async () => {
    const { id } = await newPost("a post members and strangers read");
    const before = await visit(`/post/${id}`);
    expect((await visit(`/post/${id}`)).state).toBe("hit");
    const m = await confirmedUser("member");
    const mine = await visit(`/post/${id}`, { Cookie: cookieOf(m.client) });
    expect(mine.state).toBe("bypass");
    expect(mine.html).toContain("Log Out");
    const after = await visit(`/post/${id}`);
    expect(after.state).toBe("hit");
    expect(after.html).toBe(before.html);
    expect(after.html).not.toContain("Log Out");
    expect(after.html).not.toContain(m.username);
  });

  it.each([
    ["no cookie", undefined, "hit"],
    ["the D1 bookmark", "d1_bookmark=00000001-00000002-00000003-0123456789abcdef0123456789abcdef", "hit"],
    ["the feed tab", "feed=followed", "hit"],
    ["a session cookie, even a dead one", "__Host-session=abcdefghijklmnopqrstuvwxyz234567", "bypass"],
    ["a plain-http session cookie", "session=abc", "bypass"],
    ["a flash", "flash=x", "bypass"],
    ["a cookie the cache does not know", "lang=es", "bypass"],
  ])("with %s: %s", async (_, cookie, state) => {
    const { id } = await newPost("cookie table");
    await visit(`/post/${id}`);
    const v = await visit(`/post/${id}`, cookie ? { Cookie: cookie } : {});
    expect(v.state).toBe(state);
    expect(v.res.status).toBe(200);
  });

  it("keeps the htmx fragment and the full page apart", async () => {
    const { id } = await newPost("fragment or page");
    const hx = { "HX-Request": "true", "HX-Request-Type": "partial" };
    const fragment = await visit(`/post/${id}`, hx);
    const page = await visit(`/post/${id}`);
    expect(page.state).toBe("miss");
    expect(page.html).toContain("<html");
    expect(fragment.html).not.toContain("<html");
    expect((await visit(`/post/${id}`, hx)).html).not.toContain("<html");
  });

  it("does not cache pages that are not public, nor answers other than 200", async () => {
    const missing = await visit("/post/999999999");
    expect(missing.res.status).toBe(404);
    expect((await visit("/post/999999999")).state).toBe("miss");
    const login = await visit("/auth/login");
    expect(login.state).toBeUndefined();
  });
});

describe("freshness", () => {
  it("an edit through the site purges the post, Explore, the author's profile and the tag pages it leaves and joins", async () => {
    const author = await confirmedUser("editor");
    expect((await author.client.post("/", { body: "the first text #edgeold" })).status).toBe(303);
    const row = await env.DB.prepare("SELECT max(id) AS id FROM posts WHERE author_id = ?").bind(author.id).first<{ id: number }>();
    const id = row!.id;
    const pages = [`/post/${id}`, "/explore", `/user/${author.username}`];
    const newTag = "/tags/edgenew";
    await visit(newTag);
    expect((await visit(newTag)).state).toBe("hit");
    for (const p of pages) {
      await visit(p);
      const warm = await visit(p);
      expect(warm.state, p).toBe("hit");
      expect(warm.html, p).toContain("the first text");
    }
    expect((await visit("/tags/edgeold")).html).toContain("the first text");
    expect((await author.client.post(`/edit/${id}`, { body: "the second text #edgenew" })).status).toBe(303);
    for (const p of [...pages.slice(0, 3), newTag]) {
      const v = await visit(p);
      expect(v.state, p).toBe("miss");
      expect(v.html, p).toContain("the second text");
      expect(v.html, p).not.toContain("the first text");
    }
    const left = await visit("/tags/edgeold");
    expect(left.state).toBe("miss");
    expect(left.html).not.toContain("the first text");
    // Deleting it purges the tag page it was on.
    await visit(newTag);
    expect((await author.client.post(`/post/${id}/delete`)).status).toBe(303);
    const gone = await visit(newTag);
    expect(gone.state).toBe("miss");
    expect(gone.html).not.toContain("the second text");
  });

  it("a follow purges both profiles and the follow lists", async () => {
    const [x, y] = [await confirmedUser("followed"), await confirmedUser("follower")];
    const pages = [`/user/${x.username}`, `/followers/${x.username}`, `/user/${y.username}`, `/followed_by/${y.username}`];
    for (const p of pages) await visit(p);
    expect((await y.client.post(`/follow/${x.username}`)).status).toBe(303);
    for (const p of pages) expect((await visit(p)).state, p).toBe("miss");
    expect((await visit(`/followers/${x.username}`)).html).toContain(y.username);
  });

  it("the profile popup: strangers share one card, members get their own (with the button), a follow purges it", async () => {
    const [x, y] = [await confirmedUser("popcached"), await confirmedUser("popfollower")];
    const hx = { "HX-Request": "true", "HX-Request-Type": "partial" };
    const popup = `/user/${x.username}/popup`;
    const first = await visit(popup, hx);
    expect(first.state).toBe("miss");
    const shared = await visit(popup, hx);
    expect(shared.state).toBe("hit");
    expect(shared.html).toBe(first.html);
    expect(shared.html).toContain("0 followers");
    expect(shared.html).not.toContain("follow-form");
    const mine = await visit(popup, { ...hx, Cookie: cookieOf(y.client) });
    expect(mine.state).toBe("bypass");
    expect(mine.res.headers.get("Cache-Control")).toBe("private, no-store");
    expect(mine.html).toContain(">Follow</button>");
    expect((await visit(popup, hx)).html).not.toContain("follow-form");
    expect((await y.client.post(`/follow/${x.username}`)).status).toBe(303);
    const after = await visit(popup, hx);
    expect(after.state).toBe("miss");
    expect(after.html).toContain("1 follower<");
  });

  it("a profile edit purges the profile", async () => {
    const u = await confirmedUser("profiled");
    await visit(`/user/${u.username}`);
    expect((await visit(`/user/${u.username}`)).state).toBe("hit");
    expect((await u.client.post("/edit-profile", { name: "", location: "Lisbon by the sea", about_me: "" })).status).toBe(303);
    const v = await visit(`/user/${u.username}`);
    expect(v.state).toBe("miss");
    expect(v.html).toContain("Lisbon by the sea");
  });

  it("serves a stale page once while it refreshes, then expires it", async () => {
    const short = { ...env, EDGE_CACHE_SECONDS: "1", EDGE_CACHE_STALE_SECONDS: "1" };
    const { author, id } = await newPost("ages");
    expect((await visit(`/post/${id}`, {}, short)).state).toBe("miss");
    expect((await visit(`/post/${id}`, {}, short)).state).toBe("hit");
    // Written behind the cache's back (no event, no purge): only freshness can bring it in.
    await insertComment(id, author.id, "a comment written later");
    await sleep(1100);
    const stale = await visit(`/post/${id}`, {}, short);
    expect(stale.state).toBe("stale");
    expect(stale.html).not.toContain("a comment written later");
    const refreshed = await visit(`/post/${id}`, {}, short);
    expect(refreshed.state).toBe("hit");
    expect(refreshed.html).toContain("a comment written later");
    await sleep(2100);
    expect((await visit(`/post/${id}`, {}, short)).state).toBe("miss");
  });

  it("EDGE_CACHE_SECONDS=0 turns the cache off", async () => {
    const { id } = await newPost("uncached");
    const off = { ...env, EDGE_CACHE_SECONDS: "0" };
    await visit(`/post/${id}`, {}, off);
    expect((await visit(`/post/${id}`, {}, off)).state).toBe("bypass");
  });
});

describe("conditional GET", () => {
  it("answers 304 to a matching If-None-Match, on a miss and on a hit, and 200 to another", async () => {
    const { id } = await newPost("etags");
    const first = await visit(`/post/${id}`);
    const etag = first.res.headers.get("ETag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(first.res.headers.get("Cache-Control")).toBe("no-cache");
    const hit = await visit(`/post/${id}`, { "If-None-Match": etag });
    expect([hit.res.status, hit.state, hit.html]).toEqual([304, "hit", ""]);
    expect(hit.res.headers.get("ETag")).toBe(etag);
    expect((await visit(`/post/${id}`, { "If-None-Match": '"other"' })).res.status).toBe(200);
    const { id: other } = await newPost("etags on a miss");
    const probe = await visit(`/post/${other}`, {}, { ...env, EDGE_CACHE_SECONDS: "0" });
    expect(probe.res.headers.get("ETag")).toBeNull();
    const missed = await visit(`/post/${other}`);
    const again = await visit(`/post/${other}?page=1`, { "If-None-Match": missed.res.headers.get("ETag")! });
    expect([again.state, again.res.status]).toEqual(["miss", 304]);
  });
});
