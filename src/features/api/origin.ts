// Browsers cache Basic credentials after the API's 401 challenge and send them with any request to this
// host, so a foreign page could otherwise make a visitor's browser follow, post or delete through the API
// (a cross-site form needs no CORS). An unsafe request that carries an Origin other than the site's own
// ("null" included: sandboxed frames, file pages) is refused before authentication. Clients that send no
// Origin (curl, scripts, server-side code) are not browsers acting for a foreign page, and pass.
import type { MiddlewareHandler } from "hono";
import { isOwnOrigin, SAFE_METHODS } from "../../middleware/csrf";
import type { ApiEnv } from "./context";
import { ApiError } from "./errors";

export const refuseForeignOrigin: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const origin = c.req.header("Origin");
  if (origin !== undefined && !SAFE_METHODS.has(c.req.method) && !isOwnOrigin(origin, c.req.url, c.get("config").baseUrl)) {
    throw new ApiError(
      403,
      "Cross-site request refused: this API does not act for pages on another site. Call it from a script or server (no Origin header), or from this site.",
    );
  }
  await next();
};
