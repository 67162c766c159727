// Writing, previewing, reading, editing and deleting posts, with the permission matrix and bad input.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { confirmedUser, expectSentToLogin, setPermissions } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { insertPost } from "../helpers/posts";

async function postRow(id: number) {
  return env.DB.prepare("SELECT body, body_html, created_at, updated_at FROM posts WHERE id = ?")
    .bind(id)
    .first<{ body: string; body_html: string; created_at: number; updated_at: number }>();
}

describe("writing posts", () => {
  it("publishes Markdown rendered once into body_html and shows it on the home feed", async () => {
    const u = await confirmedUser("writer");
    const res = await u.client.post("/", { body: "Hello **world** <script>alert(1)</script>" });
    expect(res.status).toBe(303);
    const page = await u.client.follow(res);
    expect(page.html).toContain("Your post has been published.");
    expect(page.html).toContain("<strong>world</strong>");
    expect(page.html).not.toContain("<script>alert(1)</script>");
    const row = await env.DB.prepare("SELECT body, body_html FROM posts WHERE author_id = ?").bind(u.id).first<{ body: string; body_html: string }>();
    expect(row!.body).toBe("Hello **world** <script>alert(1)</script>");
    expect(row!.body_html).toContain("<strong>world</strong>");
    expect(row!.body_html).toContain("&lt;script&gt;");
  });

  it("rejects an empty, blank or over-long body with 422 and keeps the text", async () => {
    const u = await confirmedUser("badpost");
    for (const [body, msg] of [
      ["", "Write something first."],
      ["   \n  ", "Write something first."],
      ["x".repeat(5001), "Posts can be at most 5,000 characters."],
    ] as const) {
      const res = await u.client.post("/", { body });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain(msg);
    }
    const missing = await u.client.post("/", {});
    expect(missing.status).toBe(422);
    const long = await u.client.post("/", { body: `keep me ${"y".repeat(5000)}` });
    expect(await long.text()).toContain("keep me yyyy");
    const count = await env.DB.prepare("SELECT count(*) AS n FROM posts WHERE author_id = ?").bind(u.id).first<{ n: number }>();
    expect(count!.n).toBe(0);
  });

  it("accepts exactly 5,000 characters", async () => {
    const u = await confirmedUser("exact");
    expect((await u.client.post("/", { body: "z".repeat(5000) })).status).toBe(303);
    const row = await env.DB.prepare("SELECT body FROM posts WHERE author_id = ?").bind(u.id).first<{ body: string }>();
    expect(row!.body).toBe("z".repeat(5000));
  });

  it("answers a partial htmx submit with just the form on error", async () => {
    const u = await confirmedUser("hxpost");
    const res = await u.client.post("/", { body: "" }, { "HX-Request": "true", "HX-Request-Type": "partial" });
    expect(res.status).toBe(422);
    expect((await res.text()).startsWith('<form id="post-form"')).toBe(true);
  });

  it("refuses anonymous users and users without WRITE", async () => {
    const anon = await new Client().post("/", { body: "hi" });
    expectSentToLogin(anon);
    const u = await confirmedUser("nowrite");
    await setPermissions(u.id, "Reader", 3);
    const res = await u.client.post("/", { body: "hi" });
    expect(res.status).toBe(403);
    const home = await (await u.client.get("/")).text();
    expect(home).not.toContain('id="post-form"');
  });
});

describe("preview", () => {
  it("renders with the server's own renderer", async () => {
    const u = await confirmedUser("prev");
    const res = await u.client.post("/preview", { body: "# Title\n\n[x](javascript:alert(1))" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<h1>Title</h1>");
    // The unsafe link stays inert text: no href at all.
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).not.toContain("<a");
    const empty = await (await u.client.post("/preview", { body: "" })).text();
    expect(empty).toContain("Start typing");
    const long = await (await u.client.post("/preview", { body: "x".repeat(5001) })).text();
    expect(long).toContain("Posts can be at most 5,000 characters.");
  });

  it("the edit page's preview shows the current body on load (issue 15, item 5)", async () => {
    const u = await confirmedUser("prevedit");
    const id = await insertPost(u.id, "Some **bold** words", Date.now());
    const html = await (await u.client.get(`/edit/${id}`)).text();
    const preview = html.slice(html.indexOf('class="preview"'));
    expect(preview).toMatch(/<div id="[^"]+-preview" class="post-body"><p>Some <strong>bold<\/strong> words<\/p>/);
    expect(preview).not.toContain("Start typing");
  });

  it("a re-shown form (422 too long, 429) keeps a preview of the kept text, never a blank one (issue 15, item 5)", async () => {
    const u = await confirmedUser("prevkept");
    const tooLong = await (await u.client.post("/", { body: `*kept* ${"x".repeat(5000)}` })).text();
    expect(tooLong.slice(tooLong.indexOf('class="preview"'))).toContain("Posts can be at most 5,000 characters.");
    // The 429 itself is tested in test/security/abuse.test.ts; here, the form it re-shows.
    const { PostForm } = await import("../../src/features/posts/views");
    const form = String(PostForm({ id: "post-form", action: "/", body: "A *rejected* post", error: "You are posting very fast.", submitLabel: "Publish" }));
    expect(form).toContain("<p>A <em>rejected</em> post</p>");
  });

  it("needs a session and a same-origin request", async () => {
    expect((await new Client().post("/preview", { body: "x" })).status).toBe(303);
    const u = await confirmedUser("prevcsrf");
    const res = await u.client.post("/preview", { body: "x" }, { Origin: "https://evil.example" });
    expect(res.status).toBe(403);
  });
});

describe("permalink, edit and delete", () => {
  it("shows a post at /post/<id> and 404s for missing or malformed ids", async () => {
    const u = await confirmedUser("perma");
    const id = await insertPost(u.id, "permalink body", Date.now());
    const page = await new Client().get(`/post/${id}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("permalink body");
    for (const bad of ["999999999", "abc", "1e3", "-1"]) {
      expect((await new Client().get(`/post/${bad}`)).status).toBe(404);
    }
  });

  it("lets the author and an admin edit (re-rendering the HTML), and no one else", async () => {
    const author = await confirmedUser("edauth");
    const other = await confirmedUser("edother");
    const mod = await confirmedUser("edmod", { role: "Moderator" });
    const admin = await confirmedUser("edadmin", { role: "Administrator" });
    const id = await insertPost(author.id, "original", Date.now() - 60_000);

    expect((await new Client().get(`/edit/${id}`)).status).toBe(303);
    for (const u of [other, mod]) {
      expect((await u.client.get(`/edit/${id}`)).status).toBe(403);
      expect((await u.client.post(`/edit/${id}`, { body: "hijacked" })).status).toBe(403);
    }
    expect((await postRow(id))!.body).toBe("original");

    expect((await author.client.get(`/edit/${id}`)).status).toBe(200);
    const bad = await author.client.post(`/edit/${id}`, { body: "" });
    expect(bad.status).toBe(422);
    const ok = await author.client.post(`/edit/${id}`, { body: "*edited*" });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("Location")).toBe(`/post/${id}`);
    const row = await postRow(id);
    expect(row!.body_html).toBe("<p><em>edited</em></p>");
    expect(row!.updated_at).toBeGreaterThan(row!.created_at);

    expect((await admin.client.post(`/edit/${id}`, { body: "by admin" })).status).toBe(303);
    expect((await postRow(id))!.body).toBe("by admin");
    expect((await author.client.get("/edit/424242424")).status).toBe(404);
  });

  it("deletes after a confirmation step, for the author, a moderator or an admin only", async () => {
    const author = await confirmedUser("delauth");
    const other = await confirmedUser("delother");
    const mod = await confirmedUser("delmod", { role: "Moderator" });
    const a = await insertPost(author.id, "first", Date.now());
    const b = await insertPost(author.id, "second", Date.now());

    const confirm = await author.client.get(`/post/${a}/delete`);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain("Delete this post?");
    expect(await postRow(a)).not.toBeNull();

    expect((await other.client.get(`/post/${a}/delete`)).status).toBe(403);
    expect((await other.client.post(`/post/${a}/delete`)).status).toBe(403);
    expect((await new Client().post(`/post/${a}/delete`)).status).toBe(303);
    expect(await postRow(a)).not.toBeNull();

    const gone = await author.client.post(`/post/${a}/delete`);
    expect(gone.status).toBe(303);
    expect((await author.client.follow(gone)).html).toContain("The post has been deleted.");
    expect(await postRow(a)).toBeNull();
    expect((await author.client.post(`/post/${a}/delete`)).status).toBe(404);

    expect((await mod.client.post(`/post/${b}/delete`)).status).toBe(303);
    expect(await postRow(b)).toBeNull();
  });

  it("shows Edit and Delete links only to those allowed", async () => {
    const author = await confirmedUser("links");
    const other = await confirmedUser("linksother");
    const id = await insertPost(author.id, "linked", Date.now());
    expect(await (await author.client.get(`/post/${id}`)).text()).toContain(`href="/edit/${id}"`);
    const seen = await (await other.client.get(`/post/${id}`)).text();
    expect(seen).not.toContain(`href="/edit/${id}"`);
    expect(seen).not.toContain(`href="/post/${id}/delete"`);
  });
});
