// Everything under /api: the human documentation page (/api), the JSON API (/api/v1/...), and JSON 404s
// and 500s for any other /api/* path. app.ts mounts this before the cookie-based middleware, so no
// /api/v1 request ever reads the session cookie (only the documentation page does, for the site's nav).
// Order for /api/v1: no-store → foreign-origin refusal (origin.ts) → rate limit → 64 KiB body limit → route (auth → permission → input →
// handler) or 404/405.
import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { getConfig } from "../../config";
import { onError } from "../../middleware/errors";
import { sessionMiddleware } from "../../middleware/session";
import { renderPage } from "../../views/render";
import { rateLimit } from "./auth";
import type { ApiEnv } from "./context";
import { ApiDocsPage } from "./docs";
import { type AnyEndpoint, endpoint, registerEndpoints, unmatched } from "./endpoint";
import { apiErrorResponse, apiOnError } from "./errors";
import { openApiDocument } from "./openapi";
import { refuseForeignOrigin } from "./origin";
import { commentEndpoints } from "./resources/comments";
import { postEndpoints } from "./resources/posts";
import { tokenEndpoints } from "./resources/tokens";
import { userEndpoints } from "./resources/users";

const documentEndpoint = endpoint({
  method: "GET",
  path: "/openapi.json",
  operationId: "getOpenApiDocument",
  tag: "Documentation",
  summary: "This API's OpenAPI 3.1 document",
  description: "Public: no credentials needed. The page /api shows the same document for people.",
  auth: "none",
  responses: { 200: { description: "The document.", schema: z.looseObject({ openapi: z.literal("3.1.0") }) } },
  handler: (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.json(openApiDocument(apiEndpoints, getConfig(c.env).baseUrl));
  },
});

export const apiEndpoints: AnyEndpoint[] = [...tokenEndpoints, ...postEndpoints, ...commentEndpoints, ...userEndpoints, documentEndpoint];

/** Answers are per caller: never stored by caches unless a handler says otherwise. */
const noStore: MiddlewareHandler<ApiEnv> = async (c, next) => {
  await next();
  if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
};

const MAX_BODY = 64 * 1024;

const v1 = new Hono<ApiEnv>();
v1.use(noStore);
v1.use(refuseForeignOrigin);
v1.use(rateLimit);
v1.use(bodyLimit({ maxSize: MAX_BODY, onError: (c) => apiErrorResponse(c, 413, "The request body is larger than 64 KiB.") }));
registerEndpoints(v1, apiEndpoints);
v1.all("*", unmatched(apiEndpoints, "/api/v1"));
v1.onError(apiOnError);

export const apiRoutes = new Hono<ApiEnv>();

apiRoutes.get("/", sessionMiddleware as unknown as MiddlewareHandler<ApiEnv>, (c) =>
  renderPage(c as never, { title: "API" }, <ApiDocsPage doc={openApiDocument(apiEndpoints, getConfig(c.env).baseUrl)} />),
);
apiRoutes.route("/v1", v1);
apiRoutes.all("*", (c) => apiErrorResponse(c, 404, "No such endpoint. The API lives under /api/v1/ and is described at /api."));
// The documentation page is HTML, so its errors are too; every other /api path answers JSON.
apiRoutes.onError((err, c) => (c.req.path === "/api" ? onError(err, c as never) : apiOnError(err, c)));
