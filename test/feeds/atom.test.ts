// Atom feeds (/user/<name>/feed.atom, /explore/feed.atom): parsed with a strict XML parser and checked for what
// a feed reader needs (feed id/title/updated/author, entry id/title/updated/link/content type="html"), hostile
// text escaped, 404 for unknown members, conditional GET through the edge cache and purges after a new post.
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { renderAtom } from "../../src/lib/atom";
import { confirmedUser, insertUsers } from "../helpers/accounts";
import { ORIGIN } from "../helpers/client";
import { insertPost, insertPosts } from "../helpers/posts";
import { child, childrenNamed, parseXml, type XmlElement } from "../helpers/xml";

const BASE = env.BASE_URL;
const ATOM_NS = "http://www.w3.org/2005/Atom";
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/** What a reader checks: the namespace, the required elements, one self link, entries complete. */
function readFeed(xml: string) {
  const feed = parseXml(xml);
  expect(feed.name).toBe("feed");
  expect(feed.attrs.xmlns).toBe(ATOM_NS);
  for (const name of ["id", "title", "updated"]) expect(child(feed, name).text).not.toBe("");
  expect(child(feed, "updated").text).toMatch(RFC3339);
  const link = (el: XmlElement, rel: string) => el.children.filter((c) => c.name === "link" && c.attrs.rel === rel).map((c) => c.attrs.href);
  expect(link(feed, "self")).toHaveLength(1);
  expect(link(feed, "alternate")).toHaveLength(1);
  const entries = childrenNamed(feed, "entry").map((e) => {
    for (const name of ["id", "title", "updated", "published"]) expect(child(e, name).text).not.toBe("");
    expect(child(e, "updated").text).toMatch(RFC3339);
    // Atom: an entry needs an author unless the feed has one; ours always carry their own.
    expect(child(child(e, "author"), "name").text).not.toBe("");
    const content = child(e, "content");
    expect(content.attrs.type).toBe("html");
    return {
      id: child(e, "id").text,
      title: child(e, "title").text,
      updated: child(e, "updated").text,
      link: link(e, "alternate")[0],
      html: content.text,
      author: child(child(e, "author"), "name").text,
    };
  });
  return {
    feed,
    id: child(feed, "id").text,
    title: child(feed, "title").text,
    updated: child(feed, "updated").text,
    self: link(feed, "self")[0],
    alternate: link(feed, "alternate")[0],
    entries,
  };
}

const get = (path: string, headers: HeadersInit = {}) => SELF.fetch(new URL(path, ORIGIN).toString(), { headers });

describe("a member's feed", () => {
  it("has the 20 newest posts, newest first, with full HTML, ids, links, author and updated", async () => {
    const [u] = await insertUsers(1, "feeder");
    await insertPosts(u!.id, 25, Date.now() - 3_600_000);
    const res = await get(`/user/${u!.username}/feed.atom`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/atom+xml; charset=utf-8");
    const f = readFeed(await res.text());
    expect(f.entries).toHaveLength(20);
    expect(f.entries[0]!.html).toBe(`<p>post number 24 of ${u!.id}</p>`);
    expect(f.entries[19]!.html).toBe(`<p>post number 5 of ${u!.id}</p>`);
    expect(f.entries[0]!.title).toBe("post 24");
    expect(f.entries[0]!.author).toBe(u!.username);
    expect(f.entries[0]!.id).toMatch(new RegExp(`^${BASE}/post/\\d+$`));
    expect(f.entries[0]!.link).toBe(f.entries[0]!.id);
    expect(f.updated).toBe(f.entries[0]!.updated);
    expect(f.id).toBe(`${BASE}/user/${u!.username}`);
    expect(f.alternate).toBe(`${BASE}/user/${u!.username}`);
    expect(f.self).toBe(`${BASE}/user/${u!.username}/feed.atom`);
    expect(child(child(f.feed, "author"), "name").text).toBe(u!.username);
  });

  it("is found case-insensitively, and an edited post's updated moves", async () => {
    const [u] = await insertUsers(1, "CaseFeed");
    const at = Date.now() - 60_000;
    const id = await insertPost(u!.id, "first words", at);
    await env.DB.prepare("UPDATE posts SET updated_at = ? WHERE id = ?")
      .bind(at + 30_000, id)
      .run();
    const f = readFeed(await (await get(`/user/${u!.username.toLowerCase()}/feed.atom`)).text());
    expect(f.entries).toHaveLength(1);
    expect(f.entries[0]!.updated).toBe(new Date(at + 30_000).toISOString());
    expect(child(f.feed.children.find((c) => c.name === "entry")!, "published").text).toBe(new Date(at).toISOString());
  });

  it("with no posts is still a valid feed (updated = member since)", async () => {
    const [u] = await insertUsers(1, "quiet");
    const f = readFeed(await (await get(`/user/${u!.username}/feed.atom`)).text());
    expect(f.entries).toEqual([]);
  });

  it.each([
    ["an unknown member", "/user/nobody-here-at-all/feed.atom"],
    ["an impossible name", `/user/${"x".repeat(200)}/feed.atom`],
    ["a name with markup", "/user/%3Cscript%3E/feed.atom"],
  ])("%s is a 404 page, not a feed", async (_, path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).not.toContain("atom");
    expect(await res.text()).toContain("There is no user with that name.");
  });

  it("refuses other methods with 405", async () => {
    const res = await SELF.fetch(`${ORIGIN}/explore/feed.atom`, { method: "PUT", headers: { Origin: ORIGIN } });
    expect(res.status).toBe(405);
  });
});

describe("hostile text", () => {
  it("titles, names and bodies are escaped so the document stays well-formed and says what was typed", async () => {
    const [u] = await insertUsers(1, "hostile");
    const name = `</name></author><evil a="1"> & "q" 'a'`;
    await env.DB.prepare("UPDATE users SET name = ? WHERE id = ?").bind(name, u!.id).run();
    const body = `]]> </title><script>alert(1)</script> & &amp; \u0000\u0008 \uFFFE end`;
    const html = `<p>]]&gt; &lt;/content&gt; <a href="https://x.example/?a=1&amp;b=2">link</a> \u0001</p>`;
    await env.DB.prepare("INSERT INTO posts (author_id, body, body_html, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)")
      .bind(u!.id, body, html, Date.now())
      .run();
    const xml = await (await get(`/user/${u!.username}/feed.atom`)).text();
    expect(xml).not.toContain("<script>");
    expect(xml).not.toContain("<evil");
    const f = readFeed(xml);
    expect(f.entries[0]!.author).toBe(name);
    expect(f.title).toContain(name);
    // The reader unescapes content to the stored HTML, minus the characters XML cannot carry.
    expect(f.entries[0]!.html).toBe(html.replace("\u0001", ""));
    expect(f.entries[0]!.title).toContain("</title><script>alert(1)</script> & &");
  });

  // What XML 1.0 cannot carry is dropped; everything else reads back as typed.
  const TEXTS: { what: string; text: string; expected: string }[] = [
    { what: "a NUL", text: "a\u0000b", expected: "ab" },
    { what: "a form feed", text: "a\u000Cb", expected: "ab" },
    { what: "a lone surrogate", text: "a\uD800b", expected: "ab" },
    { what: "an emoji", text: "a\u{1F426}b", expected: "a\u{1F426}b" },
    { what: "markup", text: "<b>&</b>", expected: "<b>&</b>" },
  ];
  it.each(TEXTS)("renderAtom keeps the document parseable with $what", ({ text, expected }) => {
    const xml = renderAtom({
      id: "tag:x,2026:1",
      title: text,
      updated: 0,
      selfUrl: "https://x.example/f",
      alternateUrl: "https://x.example/",
      entries: [{ id: "https://x.example/1", title: text, link: "https://x.example/1", published: 0, updated: 0, author: { name: text }, html: text }],
    });
    const f = readFeed(xml);
    expect(f.title).toBe(expected);
    expect(f.entries[0]!.html).toBe(expected);
  });
});

describe("Explore's feed", () => {
  it("lists everyone's newest posts, each with its own author", async () => {
    const [a, b] = await insertUsers(2, "explorer");
    const now = Date.now() + 86_400_000; // newer than anything else in this file
    await insertPost(a!.id, "from a", now);
    await insertPost(b!.id, "from b", now + 1);
    const res = await get("/explore/feed.atom");
    expect(res.status).toBe(200);
    const f = readFeed(await res.text());
    expect(f.entries.slice(0, 2).map((e) => [e.title, e.author])).toEqual([
      ["from b", b!.username],
      ["from a", a!.username],
    ]);
    expect(f.entries.length).toBeLessThanOrEqual(20);
    expect(f.self).toBe(`${BASE}/explore/feed.atom`);
  });
});

describe("discovery", () => {
  it("the profile and Explore link their feeds; a post page names its creator for the fediverse", async () => {
    const [u] = await insertUsers(1, "linked");
    const id = await insertPost(u!.id, "a post", Date.now());
    const profile = await (await get(`/user/${u!.username}`)).text();
    expect(profile).toContain(`<link rel="alternate" type="application/atom+xml" title="${u!.username}&#39;s posts" href="/user/${u!.username}/feed.atom"/>`);
    const explore = await (await get("/explore")).text();
    expect(explore).toMatch(/<link rel="alternate" type="application\/atom\+xml" title="Explore [^"]+" href="\/explore\/feed.atom"\/>/);
    const post = await (await get(`/post/${id}`)).text();
    expect(post).toContain(`<meta name="fediverse:creator" content="@${u!.username}@${new URL(BASE).host}"/>`);
  });
});

describe("through the edge cache", () => {
  const app = createApp();
  const ON = { ...env, EDGE_CACHE_SECONDS: "30", EDGE_CACHE_STALE_SECONDS: "60" } as Env;
  async function visit(path: string, headers: Record<string, string> = {}) {
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(new URL(path, ORIGIN), { headers }), ON, ctx);
    const text = await res.text();
    await waitOnExecutionContext(ctx);
    return { res, text, state: (res.headers.get("Server-Timing") ?? "").match(/cache;desc="(\w+)"/)?.[1] };
  }

  it("answers If-None-Match with 304, and a new post purges the member's feed and Explore's", async () => {
    const author = await confirmedUser("cachedfeed");
    const path = `/user/${author.username}/feed.atom`;
    const first = await visit(path);
    expect(first.state).toBe("miss");
    const etag = first.res.headers.get("ETag");
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await visit(path, { "If-None-Match": etag! });
    expect(again.state).toBe("hit");
    expect(again.res.status).toBe(304);
    expect(again.text).toBe("");
    const hit = await visit(path);
    expect(hit.res.headers.get("Content-Type")).toBe("application/atom+xml; charset=utf-8");
    expect(hit.text).toBe(first.text);
    await visit("/explore/feed.atom");
    expect((await visit("/explore/feed.atom")).state).toBe("hit");

    expect((await author.client.post("/", { body: "Fresh words for the feed" })).status).toBe(303);

    const after = await visit(path, { "If-None-Match": etag! });
    expect(after.state).toBe("miss");
    expect(after.res.status).toBe(200);
    expect(readFeed(after.text).entries.map((e) => e.title)).toEqual(["Fresh words for the feed"]);
    const explore = await visit("/explore/feed.atom");
    expect(explore.state).toBe("miss");
    expect(explore.text).toContain("Fresh words for the feed");
  });

  it("a member with a session bypasses it", async () => {
    const m = await confirmedUser("feedmember");
    const cookie = [...m.client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const v = await visit("/explore/feed.atom", { Cookie: cookie });
    expect(v.state).toBe("bypass");
    expect(v.res.status).toBe(200);
  });
});
