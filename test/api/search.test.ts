// GET /api/v1/search?q=: posts and people as on /search (same ranking, same safe queries, numbered pages),
// every answer checked against the OpenAPI document by the ApiClient; bad input is a clear 400, never a 500.
import { describe, expect, it } from "vitest";
import type { OpenApiOperation } from "../../src/features/api/openapi";
import { insertPost } from "../helpers/posts";
import { API, ApiClient, apiUser, openApiDoc } from "./helpers";

describe("GET /api/v1/search", () => {
  it("finds posts (highlighted snippet, like_count-free hit) and people, with the query echoed", async () => {
    const u = await apiUser("asearch");
    const word = `zorbl${Date.now().toString(36)}`;
    const postId = await insertPost(u.id, `all about ${word} & <friends>`, Date.now());
    const r = await u.api.get(`/search?q=${encodeURIComponent(`${word}!`)}`);
    expect(r.status).toBe(200);
    expect(r.body.query).toBe(`${word}!`);
    expect(r.body.type).toBe("all");
    expect(r.body.posts).toEqual([expect.objectContaining({ url: `${API}/posts/${postId}`, author_url: `${API}/users/${u.id}`, author_username: u.username })]);
    expect(r.body.posts[0].snippet_html).toBe(`all about <mark>${word}</mark> &amp; &lt;friends&gt;`);
    expect(r.body.people).toEqual([]);
    expect(r.body.prev).toBeNull();
    expect(r.body.next).toBeNull();
    const people = await u.api.get(`/search?q=${u.username}&type=people`);
    expect(people.status).toBe(200);
    expect(people.body.people.map((p: { url: string }) => p.url)).toEqual([`${API}/users/${u.id}`]);
    expect(people.body.posts).toEqual([]);
  });

  it("pages by number with prev/next links", async () => {
    const u = await apiUser("asearchpg");
    const word = `pagy${Date.now().toString(36)}`;
    for (let i = 0; i < 21; i++) await insertPost(u.id, `${word} number ${i}`, Date.now() + i);
    const first = await u.api.get(`/search?q=${word}`);
    expect(first.body.posts).toHaveLength(20);
    expect(first.body.next).toBe(`${API}/search?q=${word}&page=2`);
    const second = await u.api.get(first.body.next);
    expect(second.status).toBe(200);
    expect(second.body.posts).toHaveLength(1);
    expect(second.body.prev).toBe(`${API}/search?q=${word}`);
    expect(second.body.next).toBeNull();
  });

  const hostile = ["!!!", '"unbalanced', "AND OR NOT", "title:x*", "a".repeat(1000), "NEAR(a b)", "((("];
  it.each(hostile)("a query like %s answers 200 with results or none, never an FTS error", async (q) => {
    const u = await apiUser("asearchh");
    const r = await u.api.get(`/search?q=${encodeURIComponent(q)}`);
    expect(r.status).toBe(200);
    expect(Array.isArray(r.body.posts)).toBe(true);
  });

  const bad: [string, string][] = [
    ["", "q: is required: the words to search for"],
    ["?q=", "q: must not be empty: give the words to search for"],
    ["?q=%20%20", "q: must not be empty: give the words to search for"],
    ["?q=x&page=0", "page: must be a whole number from 1 to 999999"],
    ["?q=x&page=abc", "page: must be a whole number from 1 to 999999"],
    ["?q=x&type=robots", 'type: must be "all" or "people"'],
  ];
  it.each(bad)("/search%s is a 400 saying why", async (query, message) => {
    const u = await apiUser("asearchbad");
    const r = await u.api.get(`/search${query}`);
    expect(r.status).toBe(400);
    expect(r.body.message).toBe(message);
  });

  it("needs credentials; a page past the last answers empty", async () => {
    expect((await new ApiClient().get("/search?q=x")).status).toBe(401);
    const u = await apiUser("asearchdeep");
    const r = await u.api.get("/search?q=x&page=999");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ posts: [], people: [], next: null });
  });
});

describe("its OpenAPI entry", () => {
  it("documents q (required), type, page and before as query parameters, and a 400", async () => {
    // The served document, read as the OpenAPI shapes this module builds.
    const op = (await openApiDoc()).paths["/search"]!.get! as unknown as OpenApiOperation;
    const params = (op.parameters ?? []).map((p) => [p.name, p.in, p.required]);
    expect(params).toEqual([
      ["q", "query", true],
      ["type", "query", false],
      ["page", "query", false],
      ["before", "query", false],
    ]);
    expect(op.responses["400"]).toBeDefined();
    expect(op.tags).toEqual(["Search"]);
  });
});
