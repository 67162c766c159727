// Comments over the API: writing (COMMENT permission, validation, 404 for a missing post), reading one
// and lists (newest first, counts, pagination), and disabled comments never leaking their text.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { setPermissions, setRole } from "../helpers/accounts";
import { d1Queries } from "../helpers/http";
import { insertComment, insertPost } from "../helpers/posts";
import { API, apiUser } from "./helpers";

const SECRET = "moderated-secret-words-xyzzy";

async function fixture() {
  const author = await apiUser("cauthor");
  const postId = await insertPost(author.id, "a post to discuss", Date.now() - 3600_000);
  return { author, postId };
}

describe("writing comments", () => {
  it("201 with Location; Markdown is limited to inline tags", async () => {
    const { author, postId } = await fixture();
    const r = await author.api.post(`/posts/${postId}/comments/`, { body: "# not a heading, *but* `code`" });
    expect(r.status).toBe(201);
    expect(r.headers.get("Location")).toBe(r.body.url);
    expect(r.body.url).toMatch(new RegExp(`^${API}/comments/\\d+$`));
    expect(r.body.body_html).toBe("# not a heading, <em>but</em> <code>code</code>");
    expect(r.body.disabled).toBe(false);
  });

  it("validation: empty, too long (1,000), wrong type, junk → 400 naming the field", async () => {
    const { author, postId } = await fixture();
    for (const [payload, message] of [
      [{ body: "" }, "body: must not be empty"],
      [{ body: "c".repeat(1001) }, "body: must be at most 1,000 characters"],
      [{ body: 5 }, "body: must be a string"],
      [{ body: "ok", post_id: 3 }, 'unexpected field "post_id"'],
      [{}, "body: is required"],
    ] as const) {
      const r = await author.api.post(`/posts/${postId}/comments/`, payload);
      expect(r.status, JSON.stringify(payload)).toBe(400);
      expect(r.body.message).toBe(message);
    }
    const n = await env.DB.prepare("SELECT count(*) AS n FROM comments WHERE post_id = ?").bind(postId).first<{ n: number }>();
    expect(n!.n).toBe(0);
  });

  it("on a missing post → 404; without COMMENT → 403", async () => {
    const { author, postId } = await fixture();
    expect((await author.api.post("/posts/999999999/comments/", { body: "hello?" })).status).toBe(404);
    expect((await author.api.get("/posts/999999999/comments/")).status).toBe(404);
    await setPermissions(author.id, "Mute", 1 | 4); // FOLLOW | WRITE
    const r = await author.api.post(`/posts/${postId}/comments/`, { body: "let me talk" });
    expect(r.status).toBe(403);
    expect(r.body.message).toBe("Insufficient permissions");
  });
});

describe("reading comments", () => {
  it("an unknown comment is 404", async () => {
    const { author } = await fixture();
    const r = await author.api.get("/comments/999999999");
    expect(r.status).toBe(404);
    expect(r.body.message).toBe("There is no comment with that id.");
  });

  it("a disabled comment: body and body_html null, disabled true, the text nowhere in any answer", async () => {
    const { author, postId } = await fixture();
    const id = await insertComment(postId, author.id, SECRET, { disabled: true });
    const visible = await insertComment(postId, author.id, "visible words");

    const one = await author.api.get(`/comments/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ body: null, body_html: null, disabled: true });
    expect(JSON.stringify(one.body)).not.toContain(SECRET);

    for (const path of [`/posts/${postId}/comments/`, "/comments/"]) {
      const list = await author.api.get(path);
      const text = JSON.stringify(list.body);
      expect(text, path).not.toContain(SECRET);
      const entry = list.body.comments.find((c: { url: string }) => c.url === `${API}/comments/${id}`);
      expect(entry, path).toMatchObject({ body: null, body_html: null, disabled: true });
      expect(list.body.comments.find((c: { url: string }) => c.url === `${API}/comments/${visible}`).body).toBe("visible words");
    }
    // Not even for its author or an administrator: the API has no moderation view.
    await setRole(author.id, "Administrator");
    expect(JSON.stringify((await author.api.get(`/comments/${id}`)).body)).not.toContain(SECRET);
  });

  it("a post's comments: newest first, 30 per page, count = total, next/prev links", async () => {
    const { author, postId } = await fixture();
    const base = Date.now() - 86_400_000;
    const ids: number[] = [];
    for (let i = 0; i < 33; i++) ids.push(await insertComment(postId, author.id, `c${i}`, { at: base + i * 1000 }));
    const first = await author.api.get(`/posts/${postId}/comments/`);
    expect(first.body.count).toBe(33);
    expect(first.body.comments).toHaveLength(30);
    expect(d1Queries(first.res)).toBe(2);
    expect(first.body.comments[0].url).toBe(`${API}/comments/${ids[32]}`);
    expect(first.body.prev).toBeNull();
    const second = await author.api.get(first.body.next);
    expect(second.body.comments.map((c: { url: string }) => Number(c.url.split("/").pop()))).toEqual([ids[2], ids[1], ids[0]]);
    expect(second.body.next).toBeNull();
    expect(second.body.count).toBe(33);
    const back = await author.api.get(second.body.prev);
    expect(back.body.comments).toEqual(first.body.comments);
  });

  it("/comments/ lists every comment newest first, count null", async () => {
    const { author, postId } = await fixture();
    const newest = await insertComment(postId, author.id, "the newest of all", { at: Date.now() + 60_000 });
    const r = await author.api.get("/comments/");
    expect(r.status).toBe(200);
    expect(r.body.count).toBeNull();
    expect(r.body.comments[0].url).toBe(`${API}/comments/${newest}`);
    expect(d1Queries(r.res)).toBe(2);
  });
});
