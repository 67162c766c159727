// Builds the Hono app: middleware in request order, each feature mounted at its prefix, error handlers.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "./env";
import { authRoutes } from "./features/auth/routes";
import { commentRoutes } from "./features/comments/routes";
import { devRoutes } from "./features/dev/routes";
import { postRoutes } from "./features/posts/routes";
import { userRoutes } from "./features/users/routes";
import { csrfProtection } from "./middleware/csrf";
import { errorResponse, notFound, onError } from "./middleware/errors";
import { requestContext } from "./middleware/request-context";
import { securityHeaders } from "./middleware/security-headers";
import { sessionMiddleware } from "./middleware/session";
import { unconfirmedGate } from "./middleware/unconfirmed";

/** Paths that never use the session cookie, so the cookie CSRF check does not apply. */
const isCookieless = (path: string) => path.startsWith("/api/");

export function createApp() {
  const app = new Hono<AppEnv>();
  app.use(requestContext);
  app.use(securityHeaders);
  app.use(bodyLimit({ maxSize: 64 * 1024, onError: (c) => errorResponse(c as never, 413, "That request is too large.") }));
  app.use(sessionMiddleware);
  app.use(csrfProtection(isCookieless));
  app.use(unconfirmedGate);

  app.get("/hello", (c) => c.text("hello"));
  app.route("/", postRoutes);
  app.route("/", userRoutes);
  app.route("/", commentRoutes);
  app.route("/auth", authRoutes);
  app.route("/dev", devRoutes);

  app.notFound(notFound);
  app.onError(onError);
  return app;
}
