// The API app's routes: the JSON API (/api/v1/...) and JSON 404s and 500s for any other /api/ path; it
// never reads the session cookie. The human documentation page (/api) is a page of the web app
// (`apiDocsRoutes`), with the site's nav.
// Order for /api/v1: no-store → foreign-origin refusal (origin.ts) → rate limit → 64 KiB body limit → route (auth → permission → input →
// handler) or 404/405.
import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import type { WebEnv } from "../../env";
import { t } from "../../i18n";
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
import { searchEndpoints } from "./resources/search";
import { statsEndpoints } from "./resources/stats";
import { tokenEndpoints } from "./resources/tokens";
import { userEndpoints } from "./resources/users";

const documentEndpoint = endpoint("GET", "/openapi.json", "getOpenApiDocument", "Documentation", {
  summary: "This API's OpenAPI 3.1 document",
  description: "Public: no credentials needed. The page /api shows the same document for people.",
  auth: "none",
  responses: { 200: { description: "The document.", schema: z.looseObject({ openapi: z.literal("3.1.0") }) } },
  handler: (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.json(openApiDocument(apiEndpoints, c.get("config").baseUrl));
  },
});

export const apiEndpoints: AnyEndpoint[] = [
  ...tokenEndpoints,
  ...postEndpoints,
  ...commentEndpoints,
  ...userEndpoints,
  ...searchEndpoints,
  ...statsEndpoints,
  documentEndpoint,
];

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
apiRoutes.route("/v1", v1);
apiRoutes.all("*", (c) => apiErrorResponse(c, 404, "No such endpoint. The API lives under /api/v1/ and is described at /api."));
apiRoutes.onError(apiOnError);

/** The reference for people, at /api: a page of the web app. */
export const apiDocsRoutes = new Hono<WebEnv>();
apiDocsRoutes.get("/", (c) => renderPage(c, { title: t("api.docs.title") }, <ApiDocsPage doc={openApiDocument(apiEndpoints, c.get("config").baseUrl)} />));
