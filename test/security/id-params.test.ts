// Numeric ids in paths have one spelling everywhere (lib/ids.ts): a positive integer without leading
// zeros, at most 15 digits. Any other spelling names nothing: 404 on the web and in the API alike, and
// a write through it changes nothing (before, /post/007 served post 7 while /edit-profile/007 was a 404).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { apiUser } from "../api/helpers";
import { insertPost } from "../helpers/posts";

const commentCount = async (postId: number) =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM comments WHERE post_id = ?").bind(postId).first<{ n: number }>())!.n;

describe("id spellings in paths", () => {
  const spellings: [string, (id: number) => string][] = [
    ["a leading zero", (id) => `0${id}`],
    ["zero", () => "0"],
    ["16 digits", (id) => String(id).padStart(16, "1")],
    ["an exponent", () => "1e3"],
    ["a sign", (id) => `+${id}`],
  ];

  it("the canonical spelling works on the web and in the API", async () => {
    const u = await apiUser("idok");
    const id = await insertPost(u.id, "canonical", Date.now());
    const page = await u.client.get(`/post/${id}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("canonical");
    const json = await u.api.get(`/posts/${id}`);
    expect(json.status).toBe(200);
    expect(json.body.body).toBe("canonical");
  });

  for (const [name, spell] of spellings) {
    it(`${name} is a 404 on the web and in the API, and writes nothing`, async () => {
      const u = await apiUser("idbad");
      const id = await insertPost(u.id, "spelled", Date.now());
      const raw = spell(id);
      expect((await u.client.get(`/post/${raw}`)).status, `/post/${raw}`).toBe(404);
      expect((await u.client.get(`/edit/${raw}`)).status, `/edit/${raw}`).toBe(404);
      const web = await u.client.post(`/post/${raw}/comments`, { body: "through a strange id" });
      expect(web.status, `/post/${raw}/comments`).toBe(404);
      const api = await u.api.get(`/posts/${raw}`);
      expect(api.status, `/api/v1/posts/${raw}`).toBe(404);
      expect(api.body.error).toBe("not found");
      expect((await u.api.post(`/posts/${raw}/comments/`, { body: "through a strange id" })).status).toBe(404);
      expect((await u.api.get(`/users/${spell(u.id)}`)).status).toBe(404);
      expect(await commentCount(id)).toBe(0);
    });
  }
});
