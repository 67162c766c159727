// Builds the Hono app: middleware in request order, each feature mounted at its prefix, error handlers.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "./env";
import { accountRoutes } from "./features/account/routes";
import { apiRoutes } from "./features/api/routes";
import { authRoutes } from "./features/auth/routes";
import { commentRoutes } from "./features/comments/routes";
import { devRoutes } from "./features/dev/routes";
import { postRoutes } from "./features/posts/routes";
import { beaconRoutes, isBeaconPath } from "./features/sites/beacon";
import { siteRoutes } from "./features/sites/routes";
import { userRoutes } from "./features/users/routes";
import { csrfProtection } from "./middleware/csrf";
import { d1Session } from "./middleware/d1-session";
import { errorResponse, notFound, onError } from "./middleware/errors";
import { formBody } from "./middleware/form-body";
import { requestContext } from "./middleware/request-context";
import { requireSecretKey } from "./middleware/secret-key";
import { securityHeaders } from "./middleware/security-headers";
import { sessionMiddleware } from "./middleware/session";
import { unconfirmedGate } from "./middleware/unconfirmed";

/** Paths that never use the session cookie, so the cookie CSRF check does not apply. */
const isCookieless = (path: string) => path.startsWith("/api/") || isBeaconPath(path);

export function createApp() {
  const app = new Hono<AppEnv>();
  app.use(requestContext);
  // Before anything else answers (the beacon and the API included): no real SECRET_KEY, no service.
  app.use(requireSecretKey);
  // The analytics beacon (cross-origin, cookie-less) answers before everything cookie-based below: no
  // session lookup, no cookie read or set; it has its own headers and 4 KB body limit (features/sites/beacon.ts).
  app.route("/sites", beaconRoutes);
  app.use(securityHeaders);
  // /api/*: the JSON API authenticates with Basic/Bearer credentials only, so it answers before the
  // session, CSRF and unconfirmed-account middleware below ever run; it has its own body limit and JSON
  // 404/405/500 answers for every /api/* path (features/api/routes.tsx).
  app.route("/api", apiRoutes);
  app.use(bodyLimit({ maxSize: 64 * 1024, onError: (c) => errorResponse(c as never, 413, "That request is too large.") }));
  app.use(d1Session);
  app.use(sessionMiddleware);
  app.use(csrfProtection(isCookieless));
  app.use(unconfirmedGate);
  // Every web POST's body is read here: a malformed one is a 400 before any route sees it.
  app.use(formBody);

  app.get("/hello", (c) => c.text("hello"));
  app.route("/", postRoutes);
  app.route("/", userRoutes);
  app.route("/", commentRoutes);
  app.route("/auth", authRoutes);
  app.route("/account", accountRoutes);
  app.route("/dev", devRoutes);
  app.route("/sites", siteRoutes);

  app.notFound(notFound);
  app.onError(onError);
  return app;
}
