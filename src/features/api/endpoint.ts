// One declaration per endpoint: method, path, who may call it, what it reads and answers, and the thin
// handler. The same declarations register the Hono routes (with authentication, permission and input
// validation in front of the handler), produce the OpenAPI document, and tell 404 from 405.
import type { Hono } from "hono";
import type { z } from "zod";
import type { CurrentUser } from "../../env";
import { ID_PATTERN } from "../../lib/ids";
import { type PageRequest, parsePageRequest } from "../../lib/pagination";
import { can, Permission } from "../../lib/permissions";
import { type AuthMode, authenticate } from "./auth";
import type { ApiAuth, ApiContext, ApiEnv } from "./context";
import { ApiError, type ApiErrorStatus, describeZodError } from "./errors";
import { ListQuery } from "./schemas";
import type { Links } from "./serializers";

export type Method = "GET" | "POST" | "PUT" | "DELETE";
export type Tag = "Tokens" | "Posts" | "Comments" | "Users" | "Search" | "Stats" | "Documentation";
export type PermissionName = keyof typeof Permission;

export type ResponseDoc = {
  description: string;
  schema?: z.ZodType;
  /** Built from the site's links, so examples show this deployment's URLs. */
  example?: (links: Links) => unknown;
  /** Response headers worth documenting: name → description. */
  headers?: Record<string, string>;
};

/** Query parameters other than paging: an object of string fields (each documented as a parameter). */
export type QuerySchema = z.ZodObject<Record<string, z.ZodType<unknown, string | undefined>>>;

type Input<B, A extends AuthMode, Q> = {
  /** The caller (null only on public endpoints). */
  user: A extends "none" ? null : CurrentUser;
  auth: A extends "none" ? null : ApiAuth;
  /** The `{id}` path parameter, when the path has one. */
  id: number;
  body: B extends z.ZodType ? z.output<B> : undefined;
  /** The page asked for, on list endpoints. */
  page: PageRequest;
  /** The validated query parameters, on endpoints that declare `query`. */
  query: Q extends QuerySchema ? z.output<Q> : undefined;
};

/** What the OpenAPI document's index shows of an endpoint: `GET /posts/{id} getPost (Posts)`. */
type EndpointHead = {
  method: Method;
  /** Relative to /api/v1, OpenAPI style: `/posts/{id}`. `{id}` is a positive integer. */
  path: string;
  operationId: string;
  tag: Tag;
};

/** The rest of a declaration: its documentation, who may call it, what it reads and answers, the handler. */
type EndpointSpec<B extends z.ZodType | undefined, A extends AuthMode, Q extends QuerySchema | undefined> = {
  summary: string;
  description?: string;
  /** Defaults to "any": Basic (password or token) or Bearer token. */
  auth?: A;
  /** Role permission the caller needs (403 otherwise); object-level rules are the handler's. */
  permission?: PermissionName;
  /** JSON request body, validated before the handler runs (415 / 400 otherwise). */
  body?: B;
  bodyExample?: (links: Links) => unknown;
  /** A list endpoint: takes ?page / ?before / ?after. */
  paged?: boolean;
  /** Other query parameters, validated before the handler runs (400 otherwise). Not with `paged`. */
  query?: Q;
  responses: Record<number, ResponseDoc>;
  /** Error statuses this endpoint can answer beyond the ones implied by auth, body, paging and {id}. */
  errors?: ApiErrorStatus[];
  handler: (c: ApiContext, input: Input<B, A, Q>) => Response | Promise<Response>;
};

export type EndpointDef<
  B extends z.ZodType | undefined = z.ZodType | undefined,
  A extends AuthMode = AuthMode,
  Q extends QuerySchema | undefined = QuerySchema | undefined,
> = EndpointHead & EndpointSpec<B, A, Q>;

/** Any declaration, whatever its body and auth types (for lists of endpoints). */
export type AnyEndpoint = EndpointDef<any, any, any>;

/**
 * One declaration, its index line first (method, path, operation id, tag, as in the OpenAPI document's index);
 * TypeScript infers the body, auth and query types from the rest.
 * @example endpoint("GET", "/posts/{id}", "getPost", "Posts", { summary: "One post", responses: { 200: … }, handler: … })
 */
export function endpoint<B extends z.ZodType | undefined = undefined, A extends AuthMode = "any", Q extends QuerySchema | undefined = undefined>(
  method: Method,
  path: string,
  operationId: string,
  tag: Tag,
  spec: EndpointSpec<B, A, Q>,
): EndpointDef<B, A, Q> {
  return { method, path, operationId, tag, ...spec };
}

/**
 * A list endpoint: a public GET of one page (?page / ?before / ?after) answering `list`. Path, operation id and
 * tag come first, as in the OpenAPI document's index.
 */
export function listEndpoint(
  path: string,
  operationId: string,
  tag: Tag,
  def: Pick<EndpointSpec<undefined, "any", undefined>, "summary" | "description" | "handler"> & { list: ResponseDoc },
): EndpointDef<undefined, "any"> {
  const { list, ...rest } = def;
  return endpoint("GET", path, operationId, tag, { ...rest, paged: true, responses: { 200: list } });
}

/**
 * What an endpoint that creates something with a `url` (a post, a comment) declares: its JSON body and the
 * 201 answering it, with the new thing's URL in `Location` (answer with `created`).
 * @example ...creates("post", { body: PostInput, bodyExample: (l) => examples(l).postInput, schema: PostBody, example: (l) => examples(l).post })
 */
export function creates<B extends z.ZodType>(
  what: string,
  spec: { body: B; bodyExample: (links: Links) => unknown; schema: z.ZodType; example: (links: Links) => unknown },
): { body: B; bodyExample: (links: Links) => unknown; responses: Record<number, ResponseDoc> } {
  const { body, bodyExample, schema, example } = spec;
  const headers = { Location: `The new ${what}'s URL (the same as its \`url\`).` };
  return { body, bodyExample, responses: { 201: { description: `The new ${what}.`, schema, example, headers } } };
}

/** The answer of a `creates` endpoint: 201, the new thing's JSON, and its URL in `Location`. */
export function created<J extends { url: string }>(c: ApiContext, json: J): Response {
  c.header("Location", json.url);
  return c.json(json, 201);
}

/** `/posts/{id}` → Hono's `/posts/:id{<ID_PATTERN>}`: any other spelling never matches (so it is a 404). */
export const honoPath = (path: string) => path.replace(/\{id\}/g, `:id{${ID_PATTERN}}`);
const pathRegex = (prefix: string, path: string) => new RegExp(`^${prefix}${path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{id\}/g, ID_PATTERN)}$`);

export function authModeOf(def: AnyEndpoint): AuthMode {
  return def.auth ?? "any";
}

/** Media types accepted as JSON: application/json and any application/*+json, with parameters. */
function isJsonContentType(header: string | undefined): boolean {
  const type = (header ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

async function readJsonBody<S extends z.ZodType>(c: ApiContext, schema: S): Promise<z.output<S>> {
  if (!isJsonContentType(c.req.header("Content-Type"))) {
    throw new ApiError(415, "Send the request body as JSON, with Content-Type: application/json.");
  }
  const text = await c.req.text();
  if (text.trim() === "") throw new ApiError(400, "The request body is empty: send a JSON object.");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(400, "The request body is not valid JSON.");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError(400, describeZodError(parsed.error, "body"));
  return parsed.data;
}

function readPage(c: ApiContext): PageRequest {
  const parsed = ListQuery.safeParse(c.req.query());
  if (!parsed.success) throw new ApiError(400, describeZodError(parsed.error, "query"));
  const query = new Map(Object.entries(parsed.data));
  return parsePageRequest((name) => query.get(name));
}

function readQuery(c: ApiContext, schema: QuerySchema): unknown {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw new ApiError(400, describeZodError(parsed.error, "query"));
  return parsed.data;
}

export function registerEndpoints(app: Hono<ApiEnv>, endpoints: AnyEndpoint[]) {
  for (const def of endpoints) {
    app.on(def.method, honoPath(def.path), authenticate(authModeOf(def)), async (c) => {
      const user = c.get("user") ?? null;
      if (def.permission && !can(user, Permission[def.permission])) {
        throw new ApiError(403, "Insufficient permissions");
      }
      const input = {
        user,
        auth: authModeOf(def) === "none" ? null : c.get("apiAuth"),
        id: Number(c.req.param("id") ?? 0),
        body: def.body ? await readJsonBody(c, def.body) : undefined,
        page: def.paged ? readPage(c) : parsePageRequest(() => undefined),
        query: def.query ? readQuery(c, def.query) : undefined,
      };
      return def.handler(c, input);
    });
  }
}

/**
 * What a request for an unregistered method/path combination gets: 405 with `Allow` when the path exists
 * with other methods (OPTIONS answers 204 with `Allow`), otherwise 404, with a hint when only the
 * trailing slash is wrong (collections end in "/", single resources do not, as in Flasky).
 */
export function unmatched(endpoints: AnyEndpoint[], prefix: string) {
  const patterns = endpoints.map((def) => ({ def, re: pathRegex(prefix, def.path) }));
  return (c: ApiContext) => {
    const path = c.req.path;
    const methods = new Set<string>(patterns.filter((p) => p.re.test(path)).map((p) => p.def.method));
    if (methods.size > 0) {
      if (methods.has("GET")) methods.add("HEAD");
      const allow = [...methods, "OPTIONS"].join(", ");
      if (c.req.method === "OPTIONS") {
        c.header("Allow", allow);
        return c.body(null, 204);
      }
      throw new ApiError(405, `${c.req.method} is not allowed here. Allowed: ${allow}.`, { Allow: allow });
    }
    const other = path.endsWith("/") ? path.slice(0, -1) : `${path}/`;
    if (patterns.some((p) => p.re.test(other))) throw new ApiError(404, `No such endpoint. Did you mean ${other}?`);
    throw new ApiError(404, "No such endpoint. The API is described at /api and /api/v1/openapi.json.");
  };
}
