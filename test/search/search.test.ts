// /search: posts by their words and people by username, name, location and about me, ranked, highlighted
// (escaped), paged; the FTS5 index follows every write; hostile queries answer "no results", never a 500.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_PREFIX_TERMS } from "../../src/lib/fts";
import { confirmedUser, insertUsers } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { d1Queries, HX } from "../helpers/http";
import { insertPost, link, postIds } from "../helpers/posts";

let n = 0;
/** A word no other test uses (letters only: FTS tokens). */
const word = (base: string) =>
  `${base}${"abcdefghij"[n++ % 10]}${Math.random()
    .toString(36)
    .replace(/[^a-z]/g, "")
    .slice(0, 6)}`;

const search = (q: string, extra = "", headers: Record<string, string> = {}) => new Client().get(`/search?q=${encodeURIComponent(q)}${extra}`, headers);

describe("finding posts", () => {
  it("finds posts by any word in them, highlights the words, best match first, in two queries", async () => {
    const u = await confirmedUser("sposts");
    const w = word("zebra");
    const once = await insertPost(u.id, `A post that mentions ${w} once among many other words here and there`, Date.now() - 2000);
    const twice = await insertPost(u.id, `${w} ${w}!`, Date.now() - 1000);
    await insertPost(u.id, "unrelated words only", Date.now());
    const res = await search(w);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(postIds(html.replace(/class="post search-hit"/g, 'class="post"'))).toEqual([twice, once]);
    expect(html).toContain(`<mark>${w}</mark>`);
    expect(html).not.toContain("unrelated words only");
    // The people preview and the posts page, sent together; later pages need only the posts.
    expect(d1Queries(res)).toBe(2);
    expect(d1Queries(await search(w, "&page=2"))).toBe(1);
  });

  it("matches case-insensitively, without accents, and by prefix while typing", async () => {
    const u = await confirmedUser("sfold");
    const w = word("cafe");
    const id = await insertPost(u.id, `Le ${w.replace("cafe", "Café")} est ouvert`, Date.now());
    for (const q of [w.toUpperCase(), w, w.slice(0, -2)]) {
      const html = await (await search(q)).text();
      expect(html, q).toContain(`id="post-${id}"`);
    }
  });

  it("needs every word", async () => {
    const u = await confirmedUser("sand");
    const a = word("alpha");
    const b = word("beta");
    const both = await insertPost(u.id, `${a} and ${b}`, Date.now());
    const onlyA = await insertPost(u.id, `${a} alone`, Date.now());
    const html = await (await search(`${a} ${b}`)).text();
    expect(html).toContain(`id="post-${both}"`);
    expect(html).not.toContain(`id="post-${onlyA}"`);
  });

  it("finds every word that starts with the last one typed, however many there are, and highlights each", async () => {
    const u = await confirmedUser("sprefix");
    const w = word("pre");
    const t = Date.now();
    const alpha = await insertPost(u.id, `about ${w}alpha here`, t - 4000);
    const beta = await insertPost(u.id, `about ${w}beta here`, t - 3000);
    const itself = await insertPost(u.id, `just ${w} itself`, t - 2000);
    const hits = async (q: string) => postIds((await (await search(q)).text()).replace(/class="post search-hit"/g, 'class="post"'));
    const html = await (await search(w)).text();
    expect(html).toContain(`<mark>${w}alpha</mark>`);
    expect(html).toContain(`<mark>${w}beta</mark>`);
    expect((await hits(w)).sort()).toEqual([alpha, beta, itself].sort());
    expect(await hits(`here ${w}b`)).toEqual([beta]);
    // More completions than are listed one by one (MAX_PREFIX_TERMS): FTS5's own prefix query finds them all,
    // the last in byte order too.
    const crowd = await insertPost(u.id, Array.from({ length: MAX_PREFIX_TERMS + 1 }, (_, i) => `${w}x${i}`).join(" "), t - 1000);
    const last = await insertPost(u.id, `${w}xzz alone`, t);
    expect((await hits(`${w}x`)).sort()).toEqual([crowd, last].sort());
    // An accented prefix is folded by the tokenizer (FTS5's prefix query); a prefix of no word finds nothing.
    expect(await hits(`${w}ÁLPH`)).toEqual([alpha]);
    expect(await (await search(`${w}q`)).text()).toContain(`No results for “${w}q”`);
  });

  it("escapes the snippet: a post's HTML never reaches the page as markup", async () => {
    const u = await confirmedUser("sxss");
    const w = word("inject");
    await insertPost(u.id, `<script>alert(1)</script> <img src=x onerror=alert(2)> ${w} "quoted" & more`, Date.now());
    const html = await (await search(w)).text();
    expect(html).toContain(`&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt; <mark>${w}</mark> &quot;quoted&quot; &amp; more`);
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x");
  });

  it("pages through many results and stops at the end", async () => {
    const u = await confirmedUser("spage");
    const w = word("many");
    const t = Date.now();
    await env.DB.batch(
      Array.from({ length: 25 }, (_, i) =>
        env.DB.prepare("INSERT INTO posts (author_id, body, body_html, created_at, updated_at) VALUES (?1, ?2, ?2, ?3, ?3)").bind(
          u.id,
          `${w} number ${i}`,
          t + i,
        ),
      ),
    );
    const first = await (await search(w)).text();
    expect(first.match(/class="post search-hit"/g)).toHaveLength(20);
    const next = link(first, "next");
    expect(next).toBe(`/search?q=${w}&page=2`);
    const second = await (await new Client().get(next!)).text();
    expect(second.match(/class="post search-hit"/g)).toHaveLength(5);
    expect(link(second, "next")).toBeNull();
    expect(link(second, "prev")).toBe(`/search?q=${w}`);
    const beyond = await (await search(w, "&page=3")).text();
    expect(beyond).toContain(`No results for “${w}”`);
    const far = await search(w, "&page=999999");
    expect(far.status).toBe(200);
  });
});

describe("finding people", () => {
  it("finds people by username, name, location and about me, username matches first", async () => {
    const w = word("orca");
    const [byName, byAbout, byLocation] = await insertUsers(3, "sp");
    await env.DB.batch([
      env.DB.prepare("UPDATE users SET name = ? WHERE id = ?").bind(`Ada ${w}`, byName!.id),
      env.DB.prepare("UPDATE users SET about_me = ? WHERE id = ?").bind(`I like ${w} <b>whales</b>`, byAbout!.id),
      env.DB.prepare("UPDATE users SET location = ? WHERE id = ?").bind(`${w} Bay`, byLocation!.id),
    ]);
    const [byUsername] = await insertUsers(1, w);
    const html = await (await search(w)).text();
    const order = [...html.matchAll(/<li class="person-hit">.*?<a href="\/user\/([^"]+)"/g)].map((m) => m[1]);
    expect(order[0]).toBe(byUsername!.username);
    expect(order.slice(1).sort()).toEqual([byName!.username, byAbout!.username, byLocation!.username].sort());
    expect(html).toContain(`Ada <mark>${w}</mark>`);
    expect(html).toContain(`I like <mark>${w}</mark> &lt;b&gt;whales&lt;/b&gt;`);
  });

  it("shows five people with the posts and pages the rest under type=people", async () => {
    const w = word("crowd");
    const people = await insertUsers(7, w);
    const html = await (await search(w)).text();
    expect(html.match(/class="person-hit"/g)).toHaveLength(5);
    expect(html).toContain(`href="/search?q=${w}&amp;type=people"`);
    const all = await (await search(w, "&type=people")).text();
    expect(all.match(/class="person-hit"/g)).toHaveLength(people.length);
    expect(all).toContain('name="type" value="people"');
  });

  it("highlights the people on a later page too", async () => {
    const w = word("pod");
    await insertUsers(22, w);
    const html = await (await search(w, "&type=people&page=2")).text();
    const hits = html.split('<li class="person-hit">').slice(1);
    expect(hits).toHaveLength(2);
    for (const hit of hits) expect(hit.slice(0, hit.indexOf("</li>"))).toMatch(new RegExp(`<mark>${w}[^<]*</mark>`));
  });

  it("follows profile edits: the old words stop matching, the new ones match", async () => {
    const u = await confirmedUser("sedit");
    const before = word("before");
    const after = word("after");
    await u.client.post("/edit-profile", { name: before, location: "", about_me: "" });
    expect(await (await search(before)).text()).toContain(`/user/${u.username}`);
    await u.client.post("/edit-profile", { name: after, location: "", about_me: "" });
    expect(await (await search(before)).text()).not.toContain(`/user/${u.username}`);
    expect(await (await search(after)).text()).toContain(`/user/${u.username}`);
  });
});

describe("the index follows every write", () => {
  it("edit and delete of a post, through the pages", async () => {
    const u = await confirmedUser("swrite");
    const first = word("first");
    const second = word("second");
    await u.client.post("/", { body: `hello ${first}` });
    const id = postIds(await (await search(first)).text().then((h) => h.replace(/ search-hit/g, "")))[0]!;
    expect(id).toBeGreaterThan(0);
    await u.client.post(`/edit/${id}`, { body: `hello ${second}` });
    expect(await (await search(first)).text()).not.toContain(`id="post-${id}"`);
    expect(await (await search(second)).text()).toContain(`id="post-${id}"`);
    await u.client.post(`/post/${id}/delete`);
    expect(await (await search(second)).text()).not.toContain(`id="post-${id}"`);
  });

  it("a deleted account's posts and profile leave the index (the cascade fires the triggers)", async () => {
    const [gone] = await insertUsers(1, "sgone");
    const w = word("vanish");
    await env.DB.prepare("UPDATE users SET about_me = ? WHERE id = ?").bind(w, gone!.id).run();
    await insertPost(gone!.id, `${w} post`, Date.now());
    expect(await (await search(w)).text()).toContain(`/user/${gone!.username}`);
    await env.DB.prepare("DELETE FROM users WHERE id = ?").bind(gone!.id).run();
    expect(await (await search(w)).text()).toContain(`No results for “${w}”`);
    const integrity = await env.DB.prepare("INSERT INTO posts_fts (posts_fts) VALUES ('integrity-check')").run();
    expect(integrity.success).toBe(true);
    await env.DB.prepare("INSERT INTO users_fts (users_fts) VALUES ('integrity-check')").run();
  });
});

describe("any query is safe", () => {
  const hostile: Array<[string, string]> = [
    ["only punctuation", "!!! ??? ... ;;; ((( )))"],
    ["1,000 characters", "x".repeat(1000)],
    ["1,000 characters of words", "lorem ipsum ".repeat(84)],
    ["unbalanced quotes", '"unbalanced'],
    ["a lone quote", '"'],
    ["FTS operators", "NEAR(a b) AND OR NOT ^x *"],
    ["column filter", "body:x username:y"],
    ["SQL", "'; DROP TABLE posts; --"],
    ["control characters", "\u0000\u0001\u0002\u0003"],
    ["emoji", "🦉🦉"],
  ];
  it.each(hostile)("%s: 200 and no results", async (_name, q) => {
    const res = await search(q);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("No results for");
  });

  it("no q, an empty q, and a repeated or odd page/type answer the form", async () => {
    for (const path of ["/search", "/search?q=", "/search?q=&page=abc", "/search?q=x&q=y&type=bogus&page=-1"]) {
      const res = await new Client().get(path);
      expect(res.status, path).toBe(200);
    }
    expect(await (await new Client().get("/search")).text()).toContain("Type a word to find posts and people.");
  });
});

describe("active search (htmx)", () => {
  it("answers an htmx request with the results only, and the page with a form that works without JavaScript", async () => {
    const u = await confirmedUser("shx");
    const w = word("frag");
    const id = await insertPost(u.id, `${w} here`, Date.now());
    const frag = await search(w, "", HX);
    const html = await frag.text();
    expect(html).not.toContain("<html");
    expect(html).toContain(`id="post-${id}"`);
    expect(frag.headers.get("Vary")).toContain("HX-Request");
    const page = await (await search(w)).text();
    expect(page).toMatch(/<search><form class="search-form" method="get" action="\/search"/);
    expect(page).toContain('hx-trigger="input changed delay:300ms, search, submit"');
    expect(page).toContain('hx-replace-url="true"');
    expect(page).toContain(`value="${w}"`);
  });

  it("every page has a search box in the nav", async () => {
    const html = await (await new Client().get("/explore")).text();
    expect(html).toMatch(/<search><form class="nav-search" method="get" action="\/search">/);
  });
});
