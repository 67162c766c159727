// The OpenAPI document and the /api page. The document must (1) describe every endpoint, (2) contain the
// very zod schemas the handlers validate with and answer in, (3) hold examples that validate, and
// (4) match every response the tests see: ApiClient checks each one in every test file; here a tour
// calls every operation and asserts that each was seen answering 2xx, and the validator is shown to fail
// on drifted shapes (so the check is real).
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { apiEndpoints } from "../../src/features/api/routes";
import { CommentBody, CommentInput, ErrorBody, FollowStatus, PostBody, PostInput, TokenBody, UserBody } from "../../src/features/api/schemas";
import { ORIGIN } from "../helpers/client";
import { insertComment } from "../helpers/posts";
import { addSite } from "../sites/helpers";
import { API, ApiClient, apiUser, basic, openApiDoc, resolveRef, seen } from "./helpers";
import { type Schema, validate } from "./json-schema";

const EXPECTED_OPERATIONS = [
  "GET /search",
  "POST /tokens/",
  "DELETE /tokens/",
  "GET /posts/",
  "POST /posts/",
  "GET /posts/{id}",
  "PUT /posts/{id}",
  "DELETE /posts/{id}",
  "POST /posts/{id}/like",
  "DELETE /posts/{id}/like",
  "GET /users/{id}",
  "GET /users/{id}/posts/",
  "GET /users/{id}/timeline/",
  "GET /users/{id}/followers/",
  "GET /users/{id}/following/",
  "POST /users/{id}/follow",
  "DELETE /users/{id}/follow",
  "GET /comments/",
  "GET /comments/{id}",
  "GET /posts/{id}/comments/",
  "POST /posts/{id}/comments/",
  "GET /sites/{id}/stats/aggregate",
  "GET /sites/{id}/stats/timeseries",
  "GET /sites/{id}/stats/breakdown",
  "GET /openapi.json",
];

type Op = {
  operationId: string;
  security: Record<string, string[]>[];
  requestBody?: { content: { "application/json": { schema: Schema; example?: unknown } } };
  responses: Record<string, { $ref?: string; content?: { "application/json": { schema: Schema; example?: unknown } } }>;
};

async function doc() {
  return (await openApiDoc()) as unknown as {
    openapi: string;
    servers: { url: string }[];
    paths: Record<string, Record<string, Op>>;
    components: {
      schemas: Record<string, Schema>;
      responses: Record<string, { content: { "application/json": { schema: Schema; example: unknown } } }>;
      securitySchemes: Record<string, Schema>;
    };
  };
}

const operations = async () =>
  Object.entries((await doc()).paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
  );

const withoutSchemaKey = (s: Record<string, unknown>) => {
  const { $schema: _, ...rest } = s;
  return rest;
};

describe("the document", () => {
  it("is OpenAPI 3.1, public and cacheable, with this deployment's server URL", async () => {
    const res = await SELF.fetch(`${API}/openapi.json`, { headers: { "CF-Connecting-IP": "10.240.0.1" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=300");
    const d = await doc();
    expect(d.openapi).toBe("3.1.0");
    expect(d.servers).toEqual([{ url: `${ORIGIN}/api/v1` }]);
    expect(Object.keys(d.components.securitySchemes).sort()).toEqual(["basicAuth", "bearerAuth"]);
  });

  it("lists exactly the API's endpoints, each with a unique operationId", async () => {
    const ops = await operations();
    expect(ops.map((o) => o.key).sort()).toEqual([...EXPECTED_OPERATIONS].sort());
    expect(new Set(ops.map((o) => o.op.operationId)).size).toBe(ops.length);
  });

  it("documents auth per operation: password only for POST /tokens/, none for the document, 401/403/429/500 where they can happen", async () => {
    for (const { key, op } of await operations()) {
      if (key === "GET /openapi.json") {
        expect(op.security).toEqual([]);
        expect(op.responses["401"]).toBeUndefined();
      } else {
        expect(op.responses["401"], key).toEqual({ $ref: "#/components/responses/Unauthorized" });
        expect(op.responses["403"], key).toBeDefined();
      }
      expect(op.responses["429"], key).toBeDefined();
      expect(op.responses["500"], key).toBeDefined();
      if (op.requestBody) for (const s of ["400", "413", "415"]) expect(op.responses[s], `${key} ${s}`).toBeDefined();
    }
    const d = await doc();
    expect(d.paths["/tokens/"]!.post!.security).toEqual([{ basicAuth: [] }]);
  });

  it("contains the same zod schemas the handlers validate requests with and answer in", async () => {
    const d = await doc();
    const components = d.components.schemas;
    const same: [string, z.ZodType][] = [
      ["PostInput", PostInput],
      ["CommentInput", CommentInput],
      ["Post", PostBody],
      ["Comment", CommentBody],
      ["User", UserBody],
      ["Token", TokenBody],
      ["Error", ErrorBody],
      ["FollowStatus", FollowStatus],
    ];
    for (const [name, schema] of same) expect(components[name], name).toEqual(withoutSchemaKey(z.toJSONSchema(schema) as Record<string, unknown>));
    // And the endpoints validate with exactly those objects.
    const byId = Object.fromEntries(apiEndpoints.map((e) => [e.operationId, e]));
    expect(byId.createPost!.body).toBe(PostInput);
    expect(byId.updatePost!.body).toBe(PostInput);
    expect(byId.createComment!.body).toBe(CommentInput);
    expect(d.paths["/posts/"]!.post!.requestBody!.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/PostInput" });
    expect(d.paths["/posts/{id}/comments/"]!.post!.requestBody!.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/CommentInput" });
    // Request limits are in the document as JSON Schema keywords.
    expect(components.PostInput).toMatchObject({
      additionalProperties: false,
      required: ["body"],
      properties: { body: { type: "string", maxLength: 5000, pattern: "\\S" } },
    });
  });

  it("every example (responses, request bodies, error components) validates against its schema", async () => {
    const d = await doc();
    const resolve = resolveRef(d as never);
    let checked = 0;
    for (const { key, op } of await operations()) {
      for (const [status, r] of Object.entries(op.responses)) {
        const media = r.content?.["application/json"];
        if (media?.example === undefined) continue;
        expect(validate(media.schema, media.example, resolve), `${key} ${status}`).toEqual([]);
        checked += 1;
      }
      const body = op.requestBody?.content["application/json"];
      if (body?.example !== undefined) {
        expect(validate(body.schema, body.example, resolve), `${key} request`).toEqual([]);
        checked += 1;
      }
    }
    for (const [name, r] of Object.entries(d.components.responses)) {
      expect(validate(r.content["application/json"].schema, r.content["application/json"].example, resolve), name).toEqual([]);
      checked += 1;
    }
    expect(checked).toBeGreaterThanOrEqual(EXPECTED_OPERATIONS.length);
  });

  it("the validator catches drift: extra, missing and mistyped fields, bad formats", async () => {
    const d = await doc();
    const resolve = resolveRef(d as never);
    const post = { $ref: "#/components/schemas/Post" };
    const u = await apiUser("drift");
    const real = (await u.api.post("/posts/", { body: "drift check" })).body as Record<string, unknown>;
    expect(validate(post, real, resolve)).toEqual([]);
    expect(validate(post, { ...real, author: "susan" }, resolve)).toEqual(['$: unexpected property "author"']);
    const { comment_count: _, ...missing } = real;
    expect(validate(post, missing, resolve)).toEqual(['$: missing required "comment_count"']);
    expect(validate(post, { ...real, comment_count: "0" }, resolve)[0]).toMatch(/^\$\.comment_count: expected integer/);
    expect(validate(post, { ...real, timestamp: "Tue, 01 May 2026 09:30:00 GMT" }, resolve).join()).toMatch(/timestamp/);
    expect(validate(post, { ...real, url: "/api/v1/posts/1" }, resolve).join()).toMatch(/url: not a valid uri/);
    const list = { $ref: "#/components/schemas/PostList" };
    expect(validate(list, { posts: [real], prev: null, next: null }, resolve)).toEqual(['$: missing required "count"']);
    expect(
      validate(
        { $ref: "#/components/schemas/Comment" },
        { ...(await u.api.post(`/posts/${real.url!.toString().split("/").pop()}/comments/`, { body: "x" })).body, disabled: "no" },
        resolve,
      )[0],
    ).toMatch(/disabled/);
  });
});

describe("every operation, seen answering as documented", () => {
  it("a tour of the API checks each answer against the document", async () => {
    const me = await apiUser("tour");
    const other = await apiUser("tourother");
    const api = me.api;
    const token = await new ApiClient(basic(me.email, me.password)).post("/tokens/");
    expect(token.status).toBe(200);
    const post = await api.post("/posts/", { body: "tour post" });
    const postId = Number(post.body.url.split("/").pop());
    await api.get("/posts/");
    await api.get(`/posts/${postId}`);
    await api.put(`/posts/${postId}`, { body: "tour post, edited" });
    await other.api.post(`/posts/${postId}/like`);
    await other.api.delete(`/posts/${postId}/like`);
    const comment = await other.api.post(`/posts/${postId}/comments/`, { body: "nice tour" });
    await insertComment(postId, other.id, "hidden", { disabled: true });
    await api.get(`/comments/${comment.body.url.split("/").pop()}`);
    await api.get("/comments/");
    await api.get(`/posts/${postId}/comments/`);
    await api.get(`/users/${me.id}`);
    await api.get(`/users/${me.id}/posts/`);
    await api.post(`/users/${other.id}/follow`);
    await api.get(`/users/${me.id}/timeline/`);
    await api.get(`/users/${other.id}/followers/`);
    await api.get(`/users/${me.id}/following/`);
    await api.delete(`/users/${other.id}/follow`);
    await api.get("/search?q=tour");
    const site = await addSite(me.client);
    await api.get(`/sites/${site.id}/stats/aggregate?period=7d&metrics=visitors,bounce_rate&compare=previous_period`);
    await api.get(`/sites/${site.id}/stats/timeseries?period=day`);
    await api.get(`/sites/${site.id}/stats/breakdown?property=event:page&filters=visit:country==DE`);
    await api.delete(`/posts/${postId}`);
    await new ApiClient(`Bearer ${token.body.token}`).delete("/tokens/");
    await new ApiClient().get("/openapi.json");

    const ok = new Set(seen.filter((s) => s.status < 300 && s.operation).map((s) => s.operation));
    const missing = EXPECTED_OPERATIONS.filter((op) => !ok.has(op));
    expect(missing).toEqual([]);
  });
});

describe("the /api page", () => {
  it("renders the document for people, in the site's layout", async () => {
    const res = await SELF.fetch(`${ORIGIN}/api`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(res.headers.get("Content-Security-Policy")).toContain("default-src 'self'");
    const html = await res.text();
    expect(html).toContain("<title>API · Roost</title>");
    expect(html).toMatch(/<nav aria-label="Main">/);
    expect(html).toContain('href="/api/v1/openapi.json"');
    for (const { key, op } of await operations()) {
      const [method, path] = key.split(" ");
      expect(html, key).toContain(`id="${op.operationId}"`);
      expect(html, key).toContain(`<span class="badge">${method}</span> <code>/api/v1${path}</code>`);
    }
    // Auth, permissions, schemas with their fields, examples and curl lines.
    expect(html).toContain("Permission: <code>WRITE</code>");
    expect(html).toContain("Password only (HTTP Basic with email or username)");
    expect(html).toContain('id="schema-Post"');
    expect(html).toContain("<code>body_html</code>");
    expect(html).toContain("at most 5000 characters");
    expect(html).toContain("curl -X POST");
    expect(html).toContain("Authorization: Bearer $TOKEN");
    expect(html).toContain("429");
    // The CSP allows no inline styles or scripts: the page has none.
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
  });

  it("shows the logged-in user's navigation (the page uses the session; the API does not)", async () => {
    const u = await apiUser("docsreader");
    const html = await (await u.client.get("/api")).text();
    expect(html).toContain(`href="/user/${u.username}"`);
  });

  it("is HTML at /api, while /api/ and deeper unknown paths are JSON", async () => {
    expect((await SELF.fetch(`${ORIGIN}/api`)).headers.get("Content-Type")).toMatch(/^text\/html/);
    expect((await SELF.fetch(`${ORIGIN}/api/`)).headers.get("Content-Type")).toMatch(/^application\/json/);
  });
});
