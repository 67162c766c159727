// #hashtags and @mentions: links in the rendered post, post_tags kept in step with create/edit/delete
// (pages and API alike go through the posts service), /tags/<tag> newest first, keyset paged, one query.
import { env } from "cloudflare:test";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { listPostsSql } from "../../src/features/posts/queries";
import { confirmedUser } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { d1Queries, HX } from "../helpers/http";
import { link, postIds } from "../helpers/posts";

const uniq = () =>
  Math.random()
    .toString(36)
    .replace(/[^a-z]/g, "")
    .slice(0, 8);

async function tagsOf(postId: number): Promise<string[]> {
  const rows = await env.DB.prepare("SELECT tag FROM post_tags WHERE post_id = ? ORDER BY tag").bind(postId).all<{ tag: string }>();
  return rows.results.map((r) => r.tag);
}

async function latestPostOf(userId: number): Promise<number> {
  return (await env.DB.prepare("SELECT max(id) AS id FROM posts WHERE author_id = ?").bind(userId).first<{ id: number }>())!.id;
}

describe("hashtags", () => {
  it("a post's tags become links and rows; an edit replaces them; a delete removes them", async () => {
    const u = await confirmedUser("tagger");
    const t = `t${uniq()}`;
    expect((await u.client.post("/", { body: `Hello #${t.toUpperCase()} and #other${t} @${u.username}` })).status).toBe(303);
    const id = await latestPostOf(u.id);
    expect(await tagsOf(id)).toEqual([t, `other${t}`].sort());
    const page = await (await u.client.get(`/post/${id}`)).text();
    expect(page).toContain(`<a href="/tags/${t}" rel="nofollow ugc noopener">#${t.toUpperCase()}</a>`);
    expect(page).toContain(`<a href="/user/${u.username}" rel="nofollow ugc noopener">@${u.username}</a>`);

    await u.client.post(`/edit/${id}`, { body: `now only #fresh${t}` });
    expect(await tagsOf(id)).toEqual([`fresh${t}`]);
    await u.client.post(`/post/${id}/delete`);
    expect(await tagsOf(id)).toEqual([]);
  });

  it("a post without tags writes none, and another author's post in between does not get them", async () => {
    const [a, b] = await Promise.all([confirmedUser("tga"), confirmedUser("tgb")]);
    await a.client.post("/", { body: "no tags here, just x#y" });
    expect(await tagsOf(await latestPostOf(a.id))).toEqual([]);
    const t = `x${uniq()}`;
    await b.client.post("/", { body: `#${t}` });
    await a.client.post("/", { body: `#${t}b` });
    expect(await tagsOf(await latestPostOf(b.id))).toEqual([t]);
    expect(await tagsOf(await latestPostOf(a.id))).toEqual([`${t}b`]);
  });

  it("/tags/<tag> lists the tag's posts newest first, pages by keyset, in one query", async () => {
    const u = await confirmedUser("tagpage");
    const t = `p${uniq()}`;
    for (let i = 0; i < 23; i++) await u.client.post("/", { body: `post ${i} #${t}` });
    await u.client.post("/", { body: "untagged" });
    const res = await new Client().get(`/tags/${t}`);
    expect(res.status).toBe(200);
    expect(d1Queries(res)).toBe(1);
    const html = await res.text();
    expect(html).toContain(`<h1>#${t}</h1>`);
    const first = postIds(html);
    expect(first).toHaveLength(20);
    expect([...first].sort((x, y) => y - x)).toEqual(first);
    const next = link(html, "next")!;
    expect(next).toMatch(new RegExp(`^/tags/${t}\\?page=2&before=\\d+\\.\\d+$`));
    const second = postIds(await (await new Client().get(next)).text());
    expect(second).toHaveLength(3);
    expect(Math.max(...second)).toBeLessThan(Math.min(...first));
    // Load more (htmx) answers just the items.
    const frag = await (await new Client().get(next, HX)).text();
    expect(frag).not.toContain("<html");
    expect(postIds(frag)).toEqual(second);
  });

  it("the tag page's query walks the post_tags index", async () => {
    const q = new SQLiteSyncDialect().sqlToQuery(listPostsSql({ kind: "tag", tag: "x" }, { page: 2, before: { ts: 5, id: 5 }, after: null }));
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
      .bind(...q.params)
      .all<{ detail: string }>();
    const details = plan.results.map((r) => r.detail).join("\n");
    expect(details).toMatch(/SEARCH t USING (COVERING )?INDEX post_tags_tag_created/);
    expect(details).not.toMatch(/SCAN p\b|USE TEMP B-TREE/);
  });

  const bad: Array<[string, number, string | null]> = [
    ["/tags/Roost", 301, "/tags/roost"],
    ["/tags/1abc", 404, null],
    ["/tags/a-b", 404, null],
    [`/tags/${"x".repeat(51)}`, 404, null],
    ["/tags/%3Cscript%3E", 404, null],
    ["/tags/nobodyusesthis", 200, null],
  ];
  it.each(bad)("%s answers %i", async (path, status, location) => {
    const res = await new Client().get(path);
    expect(res.status).toBe(status);
    if (location) expect(res.headers.get("Location")).toBe(location);
    if (status === 200) expect(await res.text()).toContain("No posts use #nobodyusesthis yet.");
  });
});

describe("the backfill migration (0007)", () => {
  // The migration's last statement, as the test setup read it from migrations/.
  const backfill = () => {
    const migrations: { name: string; queries: string[] }[] = (env as any).TEST_MIGRATIONS;
    const m = migrations.find((x) => x.name.startsWith("0007_"))!;
    return m.queries[m.queries.length - 1]!;
  };
  const bodies = [
    "#one two #Three",
    "start\n#newline\ttab\t#tab",
    "x#no c# #1no #_no (#paren)",
    "## heading #inheading",
    `#${"a".repeat(50)} #${"b".repeat(51)}`,
    "##double #a-b #c.d",
    "no hashes at all",
    "#end",
  ];

  it("finds exactly the tags the renderer finds, for posts written before it", async () => {
    const u = await confirmedUser("backfill");
    const { renderPost } = await import("../../src/lib/markdown");
    const ids: number[] = [];
    for (const body of bodies) {
      const row = await env.DB.prepare("INSERT INTO posts (author_id, body, body_html, created_at, updated_at) VALUES (?, ?, '', 1, 1) RETURNING id")
        .bind(u.id, body)
        .first<{ id: number }>();
      ids.push(row!.id);
    }
    await env.DB.prepare(backfill()).run();
    for (const [i, body] of bodies.entries()) {
      expect(await tagsOf(ids[i]!), body).toEqual([...renderPost(body).tags].sort());
    }
    // Running it again changes nothing (INSERT OR IGNORE).
    await env.DB.prepare(backfill()).run();
    expect(await tagsOf(ids[0]!)).toEqual(["one", "three"]);
  });
});
