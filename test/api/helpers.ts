// API test helpers: an HTTP client that checks EVERY response it sees against the published OpenAPI
// document (the operation's documented status and response schema, via an independent JSON Schema
// validator), credentials builders, and confirmed users with tokens (the users themselves come from
// test/helpers/accounts.ts). Storage is per test file, so every helper makes unique users; each client
// also gets its own client IP so per-IP rate limits never couple tests.
import { SELF } from "cloudflare:test";
import { expect } from "vitest";
import { confirmedUser } from "../helpers/accounts";
import { ORIGIN } from "../helpers/client";
import { insertPost } from "../helpers/posts";
import { type Schema, validate } from "./json-schema";

export const API = `${ORIGIN}/api/v1`;

export const basic = (user: string, password: string) => `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${user}:${password}`)))}`;
export const bearer = (token: string) => `Bearer ${token}`;
/** Flasky's way: the token as the Basic username, empty password. */
export const tokenAsBasic = (token: string) => basic(token, "");

type Doc = {
  servers: { url: string }[];
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: { "application/json": { schema: Schema } } }> }>>;
  components: { schemas: Record<string, Schema>; responses: Record<string, { content?: { "application/json": { schema: Schema } } }> };
};

let docPromise: Promise<Doc> | null = null;
/** The document as served (fetched without credentials, as any client would). */
export function openApiDoc(): Promise<Doc> {
  docPromise ??= SELF.fetch(`${API}/openapi.json`, { headers: { "CF-Connecting-IP": "10.255.255.254" } }).then((r) => r.json() as Promise<Doc>);
  return docPromise;
}

export const resolveRef = (doc: Doc) => (ref: string) => {
  const name = ref.replace("#/components/schemas/", "");
  const schema = doc.components.schemas[name];
  if (!schema) throw new Error(`unresolvable $ref ${ref}`);
  return schema;
};

function templateRegex(template: string): RegExp {
  return new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[a-z_]+\}/g, "[0-9]+")}$`);
}

export type Seen = { method: string; path: string; status: number; body: unknown; operation: string | null };
/** Every response checked so far in this file (the OpenAPI test asserts on its coverage). */
export const seen: Seen[] = [];

/**
 * Checks one response against the document: a documented operation must list the status, and the
 * body must validate against that status's schema (no body when none is documented). Responses outside
 * any operation (unknown paths, 405) must be the Error schema.
 */
export async function expectDocumented(method: string, url: string, status: number, body: unknown): Promise<void> {
  const doc = await openApiDoc();
  const resolve = resolveRef(doc);
  const path = new URL(url).pathname.replace(/^\/api\/v1/, "");
  const entry = Object.entries(doc.paths).find(([template, ops]) => templateRegex(template).test(path) && ops[method.toLowerCase()]);
  let schema: Schema | undefined;
  if (entry) {
    const op = entry[1][method.toLowerCase()]!;
    const documented = op.responses[String(status)];
    expect(documented, `${method} ${entry[0]} answered ${status}, which the document does not list`).toBeDefined();
    const response = documented!.$ref ? doc.components.responses[documented!.$ref.replace("#/components/responses/", "")]! : documented!;
    schema = response.content?.["application/json"].schema;
    seen.push({ method, path, status, body, operation: `${method} ${entry[0]}` });
  } else {
    expect(status, `${method} ${path} is not in the document but answered ${status}`).toBeGreaterThanOrEqual(400);
    schema = { $ref: "#/components/schemas/Error" };
    seen.push({ method, path, status, body, operation: null });
  }
  if (!schema) {
    expect(body, `${method} ${path} ${status} documents no body`).toBeNull();
    return;
  }
  const errors = validate(schema, body, resolve);
  expect(errors, `${method} ${path} ${status}: ${JSON.stringify(body)}`).toEqual([]);
}

let ipSeq = 0;
export type ApiResponse<T = any> = { res: Response; status: number; body: T; headers: Headers };

export class ApiClient {
  readonly ip: string;
  constructor(public auth?: string) {
    ipSeq += 1;
    this.ip = `10.${(ipSeq >> 8) & 255}.${ipSeq & 255}.${Math.floor(Math.random() * 250) + 1}`;
  }

  /** Sends a request, parses JSON (null for an empty body) and checks it against the document. */
  async request<T = any>(
    method: string,
    path: string,
    init: { body?: unknown; raw?: BodyInit; headers?: Record<string, string>; auth?: string | null } = {},
  ): Promise<ApiResponse<T>> {
    const url = path.startsWith("http") ? path : `${API}${path}`;
    const headers: Record<string, string> = { Accept: "application/json", "CF-Connecting-IP": this.ip, ...init.headers };
    const auth = init.auth === undefined ? this.auth : init.auth;
    if (auth) headers.Authorization = auth;
    let body: BodyInit | undefined = init.raw;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers["Content-Type"] ??= "application/json";
    }
    const res = await SELF.fetch(url, { method, headers, body, redirect: "manual" });
    const text = await res.text();
    const parsed = text === "" ? null : JSON.parse(text);
    if (method !== "HEAD" && method !== "OPTIONS") await expectDocumented(method, url, res.status, parsed);
    return { res, status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = any>(path: string, init?: Parameters<ApiClient["request"]>[2]) {
    return this.request<T>("GET", path, init);
  }
  post<T = any>(path: string, body?: unknown, init: Parameters<ApiClient["request"]>[2] = {}) {
    return this.request<T>("POST", path, { ...init, body });
  }
  put<T = any>(path: string, body?: unknown, init: Parameters<ApiClient["request"]>[2] = {}) {
    return this.request<T>("PUT", path, { ...init, body });
  }
  delete<T = any>(path: string, init?: Parameters<ApiClient["request"]>[2]) {
    return this.request<T>("DELETE", path, init);
  }
}

/** Mints a token with password credentials. */
export async function getToken(identifier: string, password: string): Promise<string> {
  const r = await new ApiClient(basic(identifier, password)).post("/tokens/");
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.token as string;
}

/** A confirmed user with a token and an API client that uses it. */
export async function apiUser(prefix = "api") {
  const u = await confirmedUser(prefix);
  const token = await getToken(u.email, u.password);
  return { ...u, token, api: new ApiClient(bearer(token)), passwordApi: new ApiClient(basic(u.email, u.password)) };
}

/** A member's post and another member with an API token (`fan`), for likes and comments through both doors. */
export async function postWithApiFan(prefix: string) {
  const author = await confirmedUser(prefix);
  const fan = await apiUser(`${prefix}fan`);
  const postId = await insertPost(author.id, `${prefix} post`, Date.now());
  return { author, fan, postId };
}
