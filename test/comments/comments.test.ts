// Comments and moderation: the permission matrix (anonymous, User, Moderator, Administrator) for
// comment, disable, enable and delete; disabled text never reaches the browser; counts; last page.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { confirmedUser } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { d1Queries } from "../helpers/http";
import { insertComment, insertPost } from "../helpers/posts";

type Who = "anonymous" | "User" | "Moderator" | "Administrator";

async function actor(who: Who) {
  if (who === "anonymous") return { id: 0, client: new Client() };
  return confirmedUser(who.toLowerCase(), { role: who });
}

async function commentRow(id: number) {
  return env.DB.prepare("SELECT body, disabled FROM comments WHERE id = ?").bind(id).first<{ body: string; disabled: number }>();
}

async function fixture() {
  const author = await confirmedUser("postauthor");
  const postId = await insertPost(author.id, "a post to discuss", Date.now() - 3600_000);
  const commenter = await confirmedUser("commenter");
  return { author, postId, commenter };
}

describe("permission matrix", () => {
  const cases: [Who, { comment: number; disable: number; enable: number; deleteOthers: number }][] = [
    ["anonymous", { comment: 403, disable: 403, enable: 403, deleteOthers: 303 }],
    ["User", { comment: 303, disable: 403, enable: 403, deleteOthers: 403 }],
    ["Moderator", { comment: 303, disable: 303, enable: 303, deleteOthers: 303 }],
    ["Administrator", { comment: 303, disable: 303, enable: 303, deleteOthers: 303 }],
  ];
  for (const [who, expected] of cases) {
    it(`${who}: comment ${expected.comment}, disable ${expected.disable}, enable ${expected.enable}, delete someone else's ${expected.deleteOthers}`, async () => {
      const { postId, commenter } = await fixture();
      const me = await actor(who);
      const before = await env.DB.prepare("SELECT count(*) AS n FROM comments WHERE post_id = ?").bind(postId).first<{ n: number }>();

      const res = await me.client.post(`/post/${postId}/comments`, { body: `hello from ${who}` });
      expect(res.status).toBe(expected.comment);
      const after = await env.DB.prepare("SELECT count(*) AS n FROM comments WHERE post_id = ?").bind(postId).first<{ n: number }>();
      expect(after!.n - before!.n).toBe(expected.comment === 303 ? 1 : 0);

      const target = await insertComment(postId, commenter.id, "target comment");
      expect((await me.client.post(`/moderate/disable/${target}`)).status).toBe(expected.disable);
      expect((await commentRow(target))!.disabled).toBe(expected.disable === 303 ? 1 : 0);
      await env.DB.prepare("UPDATE comments SET disabled = 1 WHERE id = ?").bind(target).run();
      expect((await me.client.post(`/moderate/enable/${target}`)).status).toBe(expected.enable);
      expect((await commentRow(target))!.disabled).toBe(expected.enable === 303 ? 0 : 1);

      const del = await me.client.post(`/comment/${target}/delete`);
      expect(del.status).toBe(expected.deleteOthers);
      const gone = who === "Moderator" || who === "Administrator";
      if (gone) expect(await commentRow(target)).toBeNull();
      else expect(await commentRow(target)).not.toBeNull();
      if (who === "anonymous") expect(del.headers.get("Location")).toMatch(/^\/auth\/login/);
    });
  }

  it("/moderate itself is for moderators only", async () => {
    expect((await (await actor("anonymous")).client.get("/moderate")).status).toBe(403);
    expect((await (await actor("User")).client.get("/moderate")).status).toBe(403);
    expect((await (await actor("Moderator")).client.get("/moderate")).status).toBe(200);
    const json = await (await actor("User")).client.get("/moderate", { Accept: "application/json" });
    expect(await json.json()).toMatchObject({ error: "forbidden" });
  });

  it("authors delete their own comments after a confirmation step", async () => {
    const { postId, commenter } = await fixture();
    const id = await insertComment(postId, commenter.id, "mine to delete");
    const confirm = await commenter.client.get(`/comment/${id}/delete`);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain("Delete this comment?");
    expect(await commentRow(id)).not.toBeNull();
    const res = await commenter.client.post(`/comment/${id}/delete`);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/post/${postId}#comments`);
    expect(await commentRow(id)).toBeNull();
    expect((await commenter.client.post(`/comment/${id}/delete`)).status).toBe(404);
  });

  it("GET on enable/disable changes nothing", async () => {
    const { postId, commenter } = await fixture();
    const mod = await actor("Moderator");
    const id = await insertComment(postId, commenter.id, "stay enabled");
    const res = await mod.client.get(`/moderate/disable/${id}`);
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("POST");
    expect((await commentRow(id))!.disabled).toBe(0);
  });

  it("unknown and malformed ids are 404", async () => {
    const mod = await actor("Moderator");
    for (const id of ["999999", "abc"]) {
      expect((await mod.client.post(`/moderate/disable/${id}`)).status).toBe(404);
      expect((await mod.client.post(`/comment/${id}/delete`)).status).toBe(404);
      expect((await mod.client.post(`/post/${id}/comments`, { body: "x" })).status).toBe(404);
    }
  });
});

describe("disabled comments", () => {
  it("show the notice everywhere but /moderate, and their text is never sent", async () => {
    const { postId, commenter } = await fixture();
    const secret = `secret-text-${Date.now()}`;
    const id = await insertComment(postId, commenter.id, secret);
    await env.DB.prepare("UPDATE comments SET body_html = ? WHERE id = ?").bind(`<strong>${secret}</strong>`, id).run();
    const mod = await actor("Moderator");
    const off = await mod.client.post(`/moderate/disable/${id}`, { next: "/moderate" });
    expect(off.status).toBe(303);

    for (const client of [new Client(), commenter.client, mod.client]) {
      const html = await (await client.get(`/post/${postId}`)).text();
      expect(html).toContain("This comment has been disabled by a moderator.");
      expect(html).not.toContain(secret);
    }
    // The author's own delete page does not reveal it either.
    expect(await (await commenter.client.get(`/comment/${id}/delete`)).text()).not.toContain(secret);
    // Moderators see the text on /moderate, to decide whether to enable it again.
    const modPage = await (await mod.client.get("/moderate")).text();
    expect(modPage).toContain(secret);
    expect(modPage).toContain(`action="/moderate/enable/${id}"`);
    await mod.client.post(`/moderate/enable/${id}`);
    expect(await (await new Client().get(`/post/${postId}`)).text()).toContain(secret);
  });

  it("htmx toggles swap the moderation entry in place", async () => {
    const { postId, commenter } = await fixture();
    const id = await insertComment(postId, commenter.id, "toggle me");
    const mod = await actor("Moderator");
    const res = await mod.client.post(`/moderate/disable/${id}`, { next: "/moderate?page=2" }, { "HX-Request": "true", "HX-Request-Type": "partial" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.startsWith(`<li class="comment is-disabled" id="comment-${id}"`)).toBe(true);
    expect(html).toContain(`action="/moderate/enable/${id}"`);
    expect(html).toContain('value="/moderate?page=2"');
  });

  it("without JS, moderation returns to the same moderation page (and never off-site)", async () => {
    const { postId, commenter } = await fixture();
    const id = await insertComment(postId, commenter.id, "page back");
    const mod = await actor("Moderator");
    const back = await mod.client.post(`/moderate/disable/${id}`, { next: "/moderate?page=3&before=1.1" });
    expect(back.headers.get("Location")).toBe("/moderate?page=3&before=1.1");
    expect((await commentRow(id))!.disabled).toBe(1);
    const evil = await mod.client.post(`/moderate/enable/${id}`, { next: "//evil.example" });
    expect(evil.headers.get("Location")).toBe("/moderate");
    // The action itself still happened; only the way back was refused.
    expect((await commentRow(id))!.disabled).toBe(0);
  });
});

describe("writing comments", () => {
  it("rejects empty and over-long comments with a field error, keeping the text", async () => {
    const { postId, commenter } = await fixture();
    for (const [body, msg] of [
      ["", "Write a comment first."],
      ["  ", "Write a comment first."],
      ["c".repeat(1001), "Comments can be at most 1,000 characters."],
    ] as const) {
      const res = await commenter.client.post(`/post/${postId}/comments`, { body });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain(msg);
    }
    expect((await commenter.client.post(`/post/${postId}/comments`, {})).status).toBe(422);
    const stored = () => env.DB.prepare("SELECT body FROM comments WHERE post_id = ?").bind(postId).all<{ body: string }>();
    expect((await stored()).results).toEqual([]);
    expect((await commenter.client.post(`/post/${postId}/comments`, { body: "d".repeat(1000) })).status).toBe(303);
    // Exactly 1,000 characters is stored whole.
    expect((await stored()).results).toEqual([{ body: "d".repeat(1000) }]);
  });

  it("renders comment Markdown with the smaller allowlist", async () => {
    const { postId, commenter } = await fixture();
    await commenter.client.post(`/post/${postId}/comments`, { body: "# not a heading **bold** <img src=x onerror=alert(1)>" });
    const row = await env.DB.prepare("SELECT body_html FROM comments WHERE post_id = ? ORDER BY id DESC").bind(postId).first<{ body_html: string }>();
    expect(row!.body_html).toContain("<strong>bold</strong>");
    expect(row!.body_html).not.toContain("<h1>");
    expect(row!.body_html).not.toContain("<img");
  });

  it("lands on the last page, and ?page=-1 means the last page", async () => {
    const { postId, author, commenter } = await fixture();
    for (let i = 0; i < 31; i++) await insertComment(postId, author.id, `old ${i}`, { at: Date.now() - 100_000 + i });
    const res = await commenter.client.post(`/post/${postId}/comments`, { body: "the newest word" });
    expect(res.status).toBe(303);
    const loc = res.headers.get("Location")!;
    expect(loc).toMatch(new RegExp(`^/post/${postId}\\?page=-1#comment-\\d+$`));
    const last = await (await commenter.client.get(loc)).text();
    expect(last).toContain("the newest word");
    expect(last).toContain("old 30");
    expect(last).not.toContain("old 29<");
    expect(last).toContain('<span aria-current="page">2</span>');
    const first = await (await commenter.client.get(`/post/${postId}`)).text();
    expect(first).toContain("old 0");
    expect(first).not.toContain("the newest word");
    // Past the end and malformed pages do not fail.
    expect((await commenter.client.get(`/post/${postId}?page=9`)).status).toBe(200);
    expect(await (await commenter.client.get(`/post/${postId}?page=zzz`)).text()).toContain("old 0");
  });

  it("with htmx on the last page, appends the comment in place and resets the form", async () => {
    const { postId, commenter } = await fixture();
    const res = await commenter.client.post(
      `/post/${postId}/comments`,
      { body: "appended *here*", on_last_page: "1" },
      { "HX-Request": "true", "HX-Request-Type": "partial" },
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/^<li class="comment" id="comment-\d+">/);
    expect(html).toContain("appended <em>here</em>");
    expect(html).toContain('<form id="comment-form" hx-swap-oob="true"');
    // The new totals and the end of "No comments yet." go along, out of band (the fixture's post had none).
    expect(html).toContain('<h2 id="comments-title" hx-swap-oob="true">1 comment</h2>');
    expect(html).toContain(`<a id="post-${postId}-comment-count" href="/post/${postId}#comments" hx-swap-oob="true">1 comment</a>`);
    expect(html).toContain('<p id="comments-empty" hx-swap-oob="delete"></p>');
  });

  it("with htmx, an invalid comment re-targets the form", async () => {
    const { postId, commenter } = await fixture();
    const res = await commenter.client.post(`/post/${postId}/comments`, { body: "" }, { "HX-Request": "true", "HX-Request-Type": "partial" });
    expect(res.status).toBe(422);
    expect(res.headers.get("HX-Retarget")).toBe("#comment-form");
    expect(res.headers.get("HX-Reswap")).toBe("outerHTML");
    expect((await res.text()).startsWith('<form id="comment-form"')).toBe(true);
  });
});

describe("comment counts", () => {
  it("post lists show each post's count, right after disable and delete, in one query", async () => {
    const { postId, author, commenter } = await fixture();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await insertComment(postId, commenter.id, `c${i}`));
    const countOn = async () => {
      const res = await author.client.get(`/user/${author.username}`);
      const html = await res.text();
      const m = html.match(new RegExp(`<a [^>]*href="/post/${postId}#comments"[^>]*>(\\d+) comments?</a>`));
      return Number(m![1]);
    };
    expect(await countOn()).toBe(3);
    const mod = await actor("Moderator");
    await mod.client.post(`/moderate/disable/${ids[0]}`);
    expect(await countOn()).toBe(3);
    await mod.client.post(`/comment/${ids[1]}/delete`);
    expect(await countOn()).toBe(2);
    // Explore shows counts without a query per post.
    expect(d1Queries(await new Client().get("/explore"))).toBe(1);
  });

  it("the post page costs a fixed number of round trips however many comments it shows", async () => {
    const a = await fixture();
    const b = await fixture();
    await insertComment(a.postId, a.commenter.id, "only one");
    for (let i = 0; i < 30; i++) await insertComment(b.postId, b.commenter.id, `many ${i}`);
    const one = await new Client().get(`/post/${a.postId}`);
    const many = await new Client().get(`/post/${b.postId}`);
    expect(d1Queries(one)).toBe(d1Queries(many));
    // The post, its page of comments, its "Liked by" list and the author's view count (all but the first at once).
    expect(d1Queries(many)).toBe(4);
  });
});
