// /posts/: creating and editing (input validation, 400/413/415), permissions (author, moderator,
// administrator, a role without WRITE), delete, and keyset pagination of the global and per-user lists
// (follow next until null, prev goes back, one D1 round trip per page).
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { setPermissions, setRole } from "../helpers/accounts";
import { d1Queries } from "../helpers/http";
import { insertComment, insertPost } from "../helpers/posts";
import { API, type ApiResponse, apiUser } from "./helpers";

const idOf = (url: string) => Number(url.split("/").pop());

async function postBody(id: number) {
  return (await env.DB.prepare("SELECT body FROM posts WHERE id = ?").bind(id).first<{ body: string }>())?.body ?? null;
}

async function postCount(authorId: number) {
  return (await env.DB.prepare("SELECT count(*) AS n FROM posts WHERE author_id = ?").bind(authorId).first<{ n: number }>())!.n;
}

describe("creating posts: input validation", () => {
  const cases: [string, unknown, string][] = [
    ["no body field", {}, "body: is required"],
    ["an empty body", { body: "" }, "body: must not be empty"],
    ["a blank body", { body: " \n\t " }, "body: must not be empty"],
    ["a number", { body: 123 }, "body: must be a string"],
    ["null", { body: null }, "body: must be a string"],
    ["an array", { body: ["x"] }, "body: must be a string"],
    ["too long", { body: "x".repeat(5001) }, "body: must be at most 5,000 characters"],
    ["extra junk", { body: "fine", junk: 1 }, 'unexpected field "junk"'],
    ["two extra fields", { body: "fine", title: "t", tags: [] }, 'unexpected fields "title", "tags"'],
    ["a JSON array", [{ body: "x" }], "the request body must be a JSON object"],
    ["a JSON string", "body", "the request body must be a JSON object"],
    ["JSON null", null, "the request body must be a JSON object"],
  ];
  for (const [name, payload, message] of cases) {
    it(`${name} → 400 naming the problem`, async () => {
      const u = await apiUser("val");
      const r = await u.api.post("/posts/", undefined, { raw: JSON.stringify(payload), headers: { "Content-Type": "application/json" } });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ error: "bad request", message });
      expect(await postCount(u.id)).toBe(0);
    });
  }

  it("exactly 5,000 characters is accepted", async () => {
    const u = await apiUser("max");
    const r = await u.api.post("/posts/", { body: "y".repeat(5000) });
    expect(r.status).toBe(201);
    expect(r.body.body).toHaveLength(5000);
    // Stored whole, not truncated.
    expect(await postBody(idOf(r.headers.get("Location")!))).toBe("y".repeat(5000));
  });

  it("invalid JSON → 400", async () => {
    const u = await apiUser("badjson");
    const r = await u.api.post("/posts/", undefined, { raw: '{"body": "unterminated', headers: { "Content-Type": "application/json" } });
    expect(r.status).toBe(400);
    expect(r.body.message).toBe("The request body is not valid JSON.");
  });

  it("an empty request body → 400", async () => {
    const u = await apiUser("emptyreq");
    const r = await u.api.post("/posts/", undefined, { raw: "", headers: { "Content-Type": "application/json" } });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/empty/);
  });

  it("a non-JSON body (form, text, none) → 415; JSON with a charset or a +json type is fine", async () => {
    const u = await apiUser("mime");
    const form = await u.api.post("/posts/", undefined, { raw: "body=hello", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(form.status).toBe(415);
    expect(form.body.error).toBe("unsupported media type");
    expect((await u.api.post("/posts/", undefined, { raw: '{"body":"x"}', headers: { "Content-Type": "text/plain" } })).status).toBe(415);
    expect((await u.api.post("/posts/", undefined, { raw: '{"body":"x"}' })).status).toBe(415);
    expect((await u.api.put("/posts/1", undefined, { raw: '{"body":"x"}', headers: { "Content-Type": "text/plain" } })).status).toBe(415);
    expect((await u.api.post("/posts/", undefined, { raw: '{"body":"a"}', headers: { "Content-Type": "application/json; charset=utf-8" } })).status).toBe(201);
    expect((await u.api.post("/posts/", undefined, { raw: '{"body":"b"}', headers: { "Content-Type": "application/vnd.roost+json" } })).status).toBe(201);
    expect(await postCount(u.id)).toBe(2);
  });

  it("a body over 64 KiB → 413 (with Content-Length, and streamed without one)", async () => {
    const u = await apiUser("huge");
    const big = JSON.stringify({ body: "x".repeat(70 * 1024) });
    const r = await u.api.post("/posts/", undefined, { raw: big, headers: { "Content-Type": "application/json" } });
    expect(r.status).toBe(413);
    expect(r.body.error).toBe("payload too large");
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.slice(i, i + 8192));
        controller.close();
      },
    });
    const streamed = await SELF.fetch(`${API}/posts/`, {
      method: "POST",
      headers: { Authorization: `Bearer ${u.token}`, "Content-Type": "application/json", "CF-Connecting-IP": u.api.ip },
      body: stream,
    });
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { error: string }).error).toBe("payload too large");
    expect(await postCount(u.id)).toBe(0);
  });

  it("the Markdown is rendered and sanitized like the web's (raw HTML stays text)", async () => {
    const u = await apiUser("md");
    const r = await u.api.post("/posts/", { body: "# Title\n\n<script>alert(1)</script> and [x](javascript:alert(1))" });
    expect(r.status).toBe(201);
    expect(r.body.body_html).toContain("<h1>Title</h1>");
    expect(r.body.body_html).not.toContain("<script");
    expect(r.body.body_html).not.toContain('href="javascript');
  });
});

describe("reading posts", () => {
  it("an unknown or non-numeric id is 404", async () => {
    const u = await apiUser("read");
    const missing = await u.api.get("/posts/999999999");
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: "not found", message: "There is no post with that id." });
    expect((await u.api.get("/posts/abc")).status).toBe(404);
    expect((await u.api.put("/posts/999999999", { body: "x" })).status).toBe(404);
    expect((await u.api.delete("/posts/999999999")).status).toBe(404);
  });

  it("comment_count counts the post's comments", async () => {
    const u = await apiUser("cc");
    const id = idOf((await u.api.post("/posts/", { body: "count me" })).headers.get("Location")!);
    await insertComment(id, u.id, "one");
    await insertComment(id, u.id, "two", { disabled: true });
    expect((await u.api.get(`/posts/${id}`)).body.comment_count).toBe(2);
  });
});

describe("permissions", () => {
  async function fixture() {
    const author = await apiUser("author");
    const other = await apiUser("other");
    const created = await author.api.post("/posts/", { body: "the original" });
    return { author, other, id: idOf(created.headers.get("Location")!) };
  }

  it("someone else's post: PUT and DELETE are 403 and change nothing", async () => {
    const { other, id } = await fixture();
    const put = await other.api.put(`/posts/${id}`, { body: "hijacked" });
    expect(put.status).toBe(403);
    expect(put.body.message).toMatch(/^Insufficient permissions/);
    expect((await other.api.delete(`/posts/${id}`)).status).toBe(403);
    expect((await other.api.get(`/posts/${id}`)).body.body).toBe("the original");
  });

  it("the author deletes their post (204), and its comments go with it", async () => {
    const { author, id } = await fixture();
    const commentId = await insertComment(id, author.id, "bye");
    const r = await author.api.delete(`/posts/${id}`);
    expect(r.status).toBe(204);
    expect(r.body).toBeNull();
    expect((await author.api.get(`/posts/${id}`)).status).toBe(404);
    expect((await author.api.get(`/comments/${commentId}`)).status).toBe(404);
    expect((await author.api.delete(`/posts/${id}`)).status).toBe(404);
  });

  it("a moderator may delete but not edit someone else's post", async () => {
    const { other, id } = await fixture();
    await setRole(other.id, "Moderator");
    expect((await other.api.put(`/posts/${id}`, { body: "moderated" })).status).toBe(403);
    expect(await postBody(id)).toBe("the original");
    expect((await other.api.delete(`/posts/${id}`)).status).toBe(204);
    expect(await postBody(id)).toBeNull();
  });

  it("an administrator may edit and delete anyone's post", async () => {
    const { author, other, id } = await fixture();
    await setRole(other.id, "Administrator");
    const put = await other.api.put(`/posts/${id}`, { body: "fixed by **admin**" });
    expect(put.status).toBe(200);
    expect(put.body.body_html).toBe("<p>fixed by <strong>admin</strong></p>");
    // Still the author's post.
    expect(put.body.author_url).toBe(`${API}/users/${author.id}`);
    expect(await postBody(id)).toBe("fixed by **admin**");
    expect((await other.api.delete(`/posts/${id}`)).status).toBe(204);
    expect(await postBody(id)).toBeNull();
  });

  it("without WRITE: no new posts and no edits, even of one's own (403 Insufficient permissions)", async () => {
    const { author, id } = await fixture();
    await setPermissions(author.id, "Reader", 1 | 2); // FOLLOW | COMMENT
    const created = await author.api.post("/posts/", { body: "not allowed" });
    expect(created.status).toBe(403);
    expect(created.body).toEqual({ error: "forbidden", message: "Insufficient permissions" });
    expect((await author.api.put(`/posts/${id}`, { body: "not allowed" })).status).toBe(403);
    expect(await postCount(author.id)).toBe(1);
    // Permission is checked before the body: no validation detail leaks to a caller who may not post.
    expect((await author.api.post("/posts/", { junk: true })).status).toBe(403);
  });
});

describe("pagination", () => {
  it("a user's posts: 20 per page, follow next until null, prev goes back, count = total", async () => {
    const u = await apiUser("pager");
    const base = Date.now() - 10 * 86_400_000;
    const ids: number[] = [];
    for (let i = 0; i < 45; i++) ids.push(await insertPost(u.id, `post ${i}`, base + i * 1000));
    const newestFirst = [...ids].reverse();

    const pages: number[][] = [];
    const urls: string[] = [];
    let url: string | null = `${API}/users/${u.id}/posts/`;
    while (url) {
      const r: ApiResponse = await u.api.get(url);
      expect(r.status).toBe(200);
      expect(r.body.count).toBe(45);
      // One round trip for the token, one for the page with its count.
      expect(d1Queries(r.res)).toBe(2);
      urls.push(url);
      pages.push(r.body.posts.map((p: { url: string }) => idOf(p.url)));
      if (pages.length === 1) expect(r.body.prev).toBeNull();
      url = r.body.next;
    }
    expect(pages.map((p) => p.length)).toEqual([20, 20, 5]);
    expect(pages.flat()).toEqual(newestFirst);

    // prev from the last page returns exactly page 2, and prev from there page 1.
    const last = await u.api.get(urls[2]!);
    expect(last.body.next).toBeNull();
    const back = await u.api.get(last.body.prev);
    expect(back.body.posts.map((p: { url: string }) => idOf(p.url))).toEqual(pages[1]);
    const first = await u.api.get(back.body.prev);
    expect(first.body.posts.map((p: { url: string }) => idOf(p.url))).toEqual(pages[0]);
    expect(first.body.prev).toBeNull();
    // Links are absolute and carry page numbers and keyset cursors.
    expect(urls[1]).toMatch(new RegExp(`^${API}/users/${u.id}/posts/\\?page=2&before=\\d+\\.\\d+$`));
    // Flasky's bare ?page=N still works (an offset).
    const bare = await u.api.get(`/users/${u.id}/posts/?page=3`);
    expect(bare.body.posts.map((p: { url: string }) => idOf(p.url))).toEqual(pages[2]);
    // Past the end: an empty page, not an error.
    const past = await u.api.get(`/users/${u.id}/posts/?page=9`);
    expect(past.body).toMatchObject({ posts: [], next: null, count: 45 });
  });

  it("/posts/: every post exactly once, newest first, count null, one query per page", async () => {
    const u = await apiUser("global");
    const base = Date.now() - 20 * 86_400_000;
    // Equal timestamps too: the id breaks ties, so no post is skipped or repeated across pages.
    for (let i = 0; i < 30; i++) await insertPost(u.id, `global ${i}`, base + Math.floor(i / 3) * 1000);
    const total = (await env.DB.prepare("SELECT count(*) AS n FROM posts").first<{ n: number }>())!.n;
    const seenIds: number[] = [];
    const stamps: [number, number][] = [];
    let url: string | null = `${API}/posts/`;
    while (url) {
      const r: ApiResponse = await u.api.get(url);
      expect(r.status).toBe(200);
      expect(r.body.count).toBeNull();
      expect(d1Queries(r.res)).toBe(2);
      for (const p of r.body.posts) {
        seenIds.push(idOf(p.url));
        stamps.push([Date.parse(p.timestamp), idOf(p.url)]);
      }
      url = r.body.next;
    }
    expect(new Set(seenIds).size).toBe(seenIds.length);
    expect(seenIds.length).toBe(total);
    for (let i = 1; i < stamps.length; i++) {
      const [t0, id0] = stamps[i - 1]!;
      const [t1, id1] = stamps[i]!;
      expect(t0 > t1 || (t0 === t1 && id0 > id1), `order at ${i}`).toBe(true);
    }
  });

  it("bad paging parameters are 400 naming the parameter", async () => {
    const u = await apiUser("badpage");
    for (const [query, field] of [
      ["page=0", "page"],
      ["page=abc", "page"],
      ["page=2&before=notacursor", "before"],
      ["page=2&after=1.x", "after"],
      ["page=2&before=1.1&after=2.2", "after"],
      ["before=1.1", "page"],
      ["page=1&after=1.1", "page"],
    ] as const) {
      const r = await u.api.get(`/posts/?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.message, query).toMatch(new RegExp(`^${field}: `));
    }
    // Unknown parameters are ignored (cache busters and the like).
    expect((await u.api.get("/posts/?utm_source=x")).status).toBe(200);
  });
});

it("a created post is on the web too (same service, same tables)", async () => {
  const u = await apiUser("web");
  const r = await u.api.post("/posts/", { body: "seen on the **web**" });
  const html = await (await SELF.fetch(`http://127.0.0.1:8787/post/${idOf(r.body.url)}`)).text();
  expect(html).toContain("seen on the <strong>web</strong>");
});
