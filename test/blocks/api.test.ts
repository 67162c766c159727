// Blocks in the JSON API: where the action exists there (following, comments, search), a block refuses or
// hides exactly as on the web, as a documented JSON error in the same neutral words; nothing is written.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { API, apiUser } from "../api/helpers";
import { followCount, insertPost } from "../helpers/posts";
import { block, bothWays } from "./helpers";

describe("a block in the API", () => {
  it("refuses follows both ways with 403 and the web's words; unblocking allows them again", async () => {
    const ann = await apiUser("aba");
    const ben = await apiUser("abb");
    await block(ann, ben);
    for (const [who, other] of bothWays(ben, ann)) {
      const r = await who.api.post(`/users/${other.id}/follow`);
      expect(r.status).toBe(403);
      expect(r.body).toEqual({ error: "forbidden", message: "You can't follow this member." });
      expect(await followCount(who.id, other.id)).toBe(0);
    }
    await ann.client.post(`/unblock/${ben.username}`);
    expect((await ben.api.post(`/users/${ann.id}/follow`)).status).toBe(200);
    expect(await followCount(ben.id, ann.id)).toBe(1);
  });

  it("refuses a comment on the blocker's post with 403; an unknown post is still 404", async () => {
    const ann = await apiUser("abca");
    const ben = await apiUser("abcb");
    const postId = await insertPost(ann.id, "ann's", Date.now());
    await block(ann, ben);
    const r = await ben.api.post(`/posts/${postId}/comments/`, { body: "hello?" });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ error: "forbidden", message: "You can't comment on this member's posts." });
    expect((await ben.api.post("/posts/999999999/comments/", { body: "hello?" })).status).toBe(404);
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM comments WHERE author_id = ?").bind(ben.id).first<{ n: number }>();
    expect(stored!.n).toBe(0);
  });

  it("refuses a like either way with 403 and the web's words; unlike still answers 200", async () => {
    const ann = await apiUser("abla");
    const ben = await apiUser("ablb");
    const annPost = await insertPost(ann.id, "ann's", Date.now());
    const benPost = await insertPost(ben.id, "ben's", Date.now());
    await block(ann, ben);
    for (const { who, postId } of [
      { who: ben, postId: annPost },
      { who: ann, postId: benPost },
    ]) {
      const r = await who.api.post(`/posts/${postId}/like`);
      expect(r.status).toBe(403);
      expect(r.body).toEqual({ error: "forbidden", message: "You can't like this member's posts." });
      expect((await who.api.delete(`/posts/${postId}/like`)).status).toBe(200);
    }
    expect((await ben.api.post("/posts/999999999/like")).status).toBe(404);
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM post_likes WHERE post_id IN (?, ?)").bind(annPost, benPost).first<{ n: number }>();
    expect(stored!.n).toBe(0);
  });

  it("search hides blocks either way for the caller, not for anyone else", async () => {
    const ann = await apiUser("absa");
    const ben = await apiUser("absb");
    const cat = await apiUser("absc");
    const word = `blokq${Date.now().toString(36).replace(/\d/g, "")}`;
    const annPost = await insertPost(ann.id, `ann ${word}`, Date.now());
    const benPost = await insertPost(ben.id, `ben ${word}`, Date.now());
    await block(ann, ben);
    const urls = async (who: Awaited<ReturnType<typeof apiUser>>) =>
      ((await who.api.get(`/search?q=${word}`)).body.posts as { url: string }[]).map((p) => p.url).sort();
    expect(await urls(ben)).toEqual([`${API}/posts/${benPost}`]);
    expect(await urls(ann)).toEqual([`${API}/posts/${annPost}`]);
    expect(await urls(cat)).toEqual([`${API}/posts/${annPost}`, `${API}/posts/${benPost}`].sort());
    const people = await ben.api.get(`/search?q=${ann.username}&type=people`);
    expect(people.body.people).toEqual([]);
  });
});
