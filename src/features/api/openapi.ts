// The OpenAPI 3.1 document, generated from the endpoint declarations and the very zod schemas that
// validate requests and type responses (zod 4's z.toJSONSchema emits JSON Schema 2020-12, which is
// OpenAPI 3.1's dialect). Built once per isolate and BASE_URL.
import { z } from "zod";
import type { AuthMode } from "./auth";
import { type AnyEndpoint, authModeOf } from "./endpoint";
import { API_ERROR_STATUSES, type ApiErrorStatus } from "./errors";
import { errorExamples } from "./examples";
import { API_RATE_LIMITS } from "./rate-limit";
import { apiRegistry, ListQuery } from "./schemas";
import { apiLinks } from "./serializers";
import { API_TOKEN_TTL_SECONDS } from "./tokens";

export type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  security: Record<string, string[]>[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, OpenApiResponse>;
    securitySchemes: Record<string, JsonSchema>;
  };
};
export type OpenApiResponse = {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: { "application/json": { schema: JsonSchema; example?: unknown } };
};
export type OpenApiParameter = { name: string; in: "path" | "query"; required: boolean; description: string; schema: JsonSchema };
export type OpenApiOperation = {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  security: Record<string, string[]>[];
  parameters?: OpenApiParameter[];
  requestBody?: { required: true; content: { "application/json": { schema: JsonSchema; example?: unknown } } };
  responses: Record<string, OpenApiResponse | { $ref: string }>;
  /** Roost extensions, for readers (and the /api page): how to authenticate and the role permission needed. */
  "x-auth": string;
  "x-permission"?: string;
};

const SCHEMA_REF = (id: string) => `#/components/schemas/${id}`;

/** Error responses are shared components, named after their status. */
export const ERROR_RESPONSE_NAMES: Record<ApiErrorStatus, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  409: "Conflict",
  413: "PayloadTooLarge",
  415: "UnsupportedMediaType",
  429: "TooManyRequests",
  500: "InternalServerError",
};

const ERROR_DESCRIPTIONS: Record<ApiErrorStatus, string> = {
  400: "The JSON body or query string is invalid; the message names the field.",
  401: "No credentials, or wrong ones. The WWW-Authenticate header names the schemes accepted.",
  403: "An unconfirmed account, a cross-site request (an Origin other than this site's), or not allowed: the role lacks the permission, or the resource is someone else's.",
  404: "No such resource.",
  405: "The path exists but not with this method; see the Allow header.",
  409: "The request conflicts with the current state (for example, following someone already followed).",
  413: "The request body is larger than 64 KiB.",
  415: "The request body is not JSON (Content-Type must be application/json).",
  429: "Too many requests, or too many failed passwords for the account. Wait for Retry-After seconds.",
  500: "Something failed on the server. The answer says nothing more; the error is logged with the request id.",
};

function stripMeta(schema: JsonSchema): JsonSchema {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

/** A registered schema becomes a $ref; any other is inlined. */
function schemaRef(schema: z.ZodType): JsonSchema {
  const id = apiRegistry.get(schema)?.id;
  return id ? { $ref: SCHEMA_REF(id) } : stripMeta(z.toJSONSchema(schema));
}

function errorComponent(status: ApiErrorStatus): OpenApiResponse {
  const headers: OpenApiResponse["headers"] = {};
  if (status === 401)
    headers["WWW-Authenticate"] = { description: 'Basic realm="Roost API", charset="UTF-8" and Bearer realm="Roost API".', schema: { type: "string" } };
  if (status === 405) headers.Allow = { description: "The methods this path accepts.", schema: { type: "string" } };
  if (status === 429) headers["Retry-After"] = { description: "Seconds to wait before retrying.", schema: { type: "integer" } };
  return {
    description: ERROR_DESCRIPTIONS[status],
    ...(Object.keys(headers).length ? { headers } : {}),
    content: { "application/json": { schema: { $ref: SCHEMA_REF("Error") }, example: errorExamples[status] } },
  };
}

const SECURITY: Record<AuthMode, Record<string, string[]>[]> = {
  any: [{ basicAuth: [] }, { bearerAuth: [] }],
  password: [{ basicAuth: [] }],
  token: [{ bearerAuth: [] }, { basicAuth: [] }],
  none: [],
};

const AUTH_TEXT = {
  any: "Password or token",
  password: "Password only (HTTP Basic with email or username)",
  token: "Token only",
  none: "None",
} as const;

/** The error statuses an endpoint can answer, from what it declares. */
export function errorStatusesOf(def: AnyEndpoint): ApiErrorStatus[] {
  const mode = authModeOf(def);
  const set = new Set<ApiErrorStatus>(def.errors ?? []);
  const implied: ApiErrorStatus[] = [...(mode !== "none" ? ([401, 403] as const) : []), ...(def.body ? ([400, 413, 415] as const) : [])];
  for (const s of implied) set.add(s);
  if (def.paged || def.query) set.add(400);
  if (def.path.includes("{id}")) set.add(404);
  set.add(429);
  set.add(500);
  return [...set].sort((a, b) => a - b);
}

function operation(def: AnyEndpoint, links: ReturnType<typeof apiLinks>): OpenApiOperation {
  const mode = authModeOf(def);
  const parameters: OpenApiParameter[] = [];
  if (def.path.includes("{id}")) {
    parameters.push({ name: "id", in: "path", required: true, description: "Numeric id.", schema: { type: "integer", minimum: 1 } });
  }
  const queryShapes = [...(def.paged ? [ListQuery.shape] : []), ...(def.query ? [def.query.shape] : [])];
  for (const shape of queryShapes) {
    for (const [name, schema] of Object.entries<z.ZodType>(shape)) {
      const json = stripMeta(z.toJSONSchema(schema, { io: "input" }));
      const { description, ...rest } = json;
      parameters.push({ name, in: "query", required: !schema.safeParse(undefined).success, description: String(description ?? ""), schema: rest });
    }
  }
  const responses: OpenApiOperation["responses"] = {};
  for (const [status, doc] of Object.entries(def.responses)) {
    const headers = doc.headers
      ? Object.fromEntries(Object.entries(doc.headers).map(([name, description]) => [name, { description, schema: { type: "string" } }]))
      : undefined;
    responses[status] = {
      description: doc.description,
      ...(headers ? { headers } : {}),
      ...(doc.schema ? { content: { "application/json": { schema: schemaRef(doc.schema), ...(doc.example ? { example: doc.example(links) } : {}) } } } : {}),
    };
  }
  for (const status of errorStatusesOf(def)) responses[String(status)] = { $ref: `#/components/responses/${ERROR_RESPONSE_NAMES[status]}` };
  return {
    operationId: def.operationId,
    tags: [def.tag],
    summary: def.summary,
    ...(def.description ? { description: def.description } : {}),
    security: SECURITY[mode].map((s) => ({ ...s })),
    ...(parameters.length ? { parameters } : {}),
    ...(def.body
      ? {
          requestBody: {
            required: true as const,
            content: { "application/json": { schema: schemaRef(def.body), ...(def.bodyExample ? { example: def.bodyExample(links) } : {}) } },
          },
        }
      : {}),
    responses,
    "x-auth": AUTH_TEXT[mode],
    ...(def.permission ? { "x-permission": def.permission } : {}),
  };
}

const DESCRIPTION = `Roost's JSON API (Flasky's API, compatible where Flasky was right).

**Authentication** on every request except this document: HTTP Basic with your email or username and password,
or a token: \`Authorization: Bearer <token>\`, or Basic with the token as username and an empty password.
Get a token with \`POST /tokens/\` (password only); it lasts ${API_TOKEN_TTL_SECONDS / 60} minutes, until revoked
(\`DELETE /tokens/\`) or until the password changes. The session cookie of the web site is never accepted.
Unconfirmed accounts get 403. So does a POST, PUT, PATCH or DELETE that carries an \`Origin\` other than this
site's (a page on another site acting with credentials the browser cached); clients that send no Origin pass.

**Rate limits**: ${API_RATE_LIMITS.token.limit} requests per minute per token; ${API_RATE_LIMITS.ip.limit} per minute per client network
(IPv4 address or IPv6 /64) for everything else (passwords, no credentials, and failed tokens). Failed passwords
also count in the failed-login windows shared with the web site (per 15 minutes: 10 per account and network,
100 per account, 50 per network). Over a limit: 429 with Retry-After.

**Lists** are newest first: \`{"<items>": [...], "prev": url|null, "next": url|null, "count": n|null}\`. Follow
\`next\` until it is null; links carry keyset cursors, so deep pages cost what the first one does.

**Blocks** (made on the web site) hide both ways, as on the site: lists leave out the posts, comments and
follows of members you blocked or who blocked you, comment counts leave out their comments, and a post of a
member who blocked you is 404.

**Errors** are JSON everywhere under /api/: \`{"error": "...", "message": "..."}\`.`;

function build(endpoints: AnyEndpoint[], baseUrl: string): OpenApiDocument {
  const links = apiLinks(baseUrl);
  const generated = z.toJSONSchema(apiRegistry, { uri: SCHEMA_REF });
  const schemas = Object.fromEntries(Object.entries(generated.schemas).map(([id, s]) => [id, stripMeta(s)]));
  const paths: OpenApiDocument["paths"] = {};
  for (const def of endpoints) {
    const byMethod = paths[def.path] ?? {};
    byMethod[def.method.toLowerCase()] = operation(def, links);
    paths[def.path] = byMethod;
  }
  const responses = Object.fromEntries(API_ERROR_STATUSES.map((s) => [ERROR_RESPONSE_NAMES[s], errorComponent(s)]));
  return {
    openapi: "3.1.0",
    info: { title: "Roost API", version: "1", description: DESCRIPTION },
    servers: [{ url: links.root }],
    security: SECURITY.any.map((s) => ({ ...s })),
    tags: [
      { name: "Tokens", description: "Trade a password for a token, and revoke it." },
      { name: "Posts", description: "Blog posts: Markdown source and sanitized HTML." },
      { name: "Comments", description: "Comments on posts. Disabled comments are listed without their text." },
      { name: "Users", description: "Public profiles, their posts and timelines, followers and follows." },
      { name: "Search", description: "Posts and people, as the site's /search finds them." },
      { name: "Stats", description: "Your sites' analytics: the report's totals, chart and top lists (Plausible's Stats API v1 names)." },
      { name: "Documentation", description: "This document." },
    ],
    paths,
    components: {
      schemas,
      responses,
      securitySchemes: {
        basicAuth: {
          type: "http",
          scheme: "basic",
          description: "Email or username and password; or a token as the username with an empty password.",
        },
        bearerAuth: { type: "http", scheme: "bearer", description: "A token from POST /tokens/." },
      },
    },
  };
}

const cache = new Map<string, OpenApiDocument>();

export function openApiDocument(endpoints: AnyEndpoint[], baseUrl: string): OpenApiDocument {
  let doc = cache.get(baseUrl);
  if (!doc) {
    doc = build(endpoints, baseUrl);
    cache.set(baseUrl, doc);
  }
  return doc;
}
