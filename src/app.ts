// Builds the Worker's HTTP side: three apps, each with its own middleware stack, and a dispatcher that sends
// every request to exactly one of them by path, so no app's middleware ever runs for another's requests.
//   beacon  /sites/<id>/visit  cookie-less, open CORS, 4 KB bodies; answers JSON errors
//   api     /api/...           Basic/Bearer credentials, never the session cookie; JSON errors
//   federation  /.well-known/{webfinger,host-meta,nodeinfo}, /nodeinfo/2.1, /users/..., /inbox, and
//              /user/<name> or /post/<id> asked for as ActivityPub JSON: Fedify, JSON errors, no cookies
//   web     everything else    session cookie, CSRF, CSP; HTML pages and htmx fragments
import { Hono } from "hono";
import type { BaseEnv, WebEnv } from "./env";
import { setSubscribers } from "./events/commit";
import { accountRoutes } from "./features/account";
import { apiDocsRoutes, apiRoutes } from "./features/api";
import { authRoutes } from "./features/auth";
import { blockRoutes } from "./features/blocks";
import { commentRoutes } from "./features/comments";
import { devRoutes } from "./features/dev";
import { federationRoutes, federationWebRoutes, isFederationRequest, isNegotiatedPath } from "./features/federation";
import { feedRoutes } from "./features/feeds";
import { messageRoutes } from "./features/messages";
import { notificationRoutes } from "./features/notifications";
import { pageRoutes } from "./features/pages";
import { postRoutes } from "./features/posts";
import { searchRoutes } from "./features/search";
import { beaconRoutes, isBeaconPath, sharingRoutes, siteRoutes } from "./features/sites";
import { userRoutes } from "./features/users";
import { t } from "./i18n";
import { webBodyLimit } from "./middleware/body-limit";
import { csrfProtection } from "./middleware/csrf";
import { d1Session } from "./middleware/d1-session";
import { edgeCache } from "./middleware/edge-cache";
import { errorResponse, notFound, onError } from "./middleware/errors";
import { formBody } from "./middleware/form-body";
import { memberLocale, readerLocale } from "./middleware/locale";
import { allowedMethodsOf } from "./middleware/method-not-allowed";
import { requestContext } from "./middleware/request-context";
import { requireSecretKey } from "./middleware/secret-key";
import { pageSecurity, securityHeaders } from "./middleware/security-headers";
import { sessionMiddleware } from "./middleware/session";
import { unconfirmedGate } from "./middleware/unconfirmed";
import { subscribers } from "./subscribers";

setSubscribers(subscribers);

export function createBeaconApp() {
  const app = new Hono<BaseEnv>();
  // No real SECRET_KEY outside development: no service, in every app (middleware/secret-key.ts).
  app.use(requestContext, requireSecretKey);
  // Its own headers, CORS and body limit: features/sites/beacon.ts.
  app.route("/sites", beaconRoutes);
  return app;
}

export function createApiApp() {
  const app = new Hono<BaseEnv>();
  app.use(requestContext, requireSecretKey, securityHeaders);
  // Rate limits, body limit, authentication per endpoint and JSON errors: features/api/routes.tsx.
  app.route("/api", apiRoutes);
  return app;
}

export function createFederationApp() {
  const app = new Hono<BaseEnv>();
  app.use(requestContext, requireSecretKey, securityHeaders);
  // Fedify's routes, host-meta, the negotiated profile URL, inbox body limits and JSON errors:
  // features/federation/routes.ts.
  app.route("/", federationRoutes);
  return app;
}

export function createWebApp() {
  const app = new Hono<WebEnv>();
  app.use(requestContext, requireSecretKey, securityHeaders, pageSecurity);
  // The reader's language from Accept-Language, before the edge cache that keys pages by it (middleware/locale.ts).
  app.use(readerLocale);
  // Public pages for visitors without a session; a hit skips everything below (middleware/edge-cache.ts).
  app.use(edgeCache({ refresh: (req, env, ctx) => app.fetch(req, env, ctx) }));
  // 64 KiB, larger only for the listed upload routes (middleware/body-limit.ts).
  app.use(webBodyLimit);
  // formBody reads every unsafe request's form: a malformed one is a 400 before any route sees it.
  // memberLocale: the signed-in member's own language setting wins over Accept-Language.
  app.use(d1Session, sessionMiddleware, memberLocale, csrfProtection, unconfirmedGate, formBody);

  app.get("/hello", (c) => c.text("hello"));
  app.route("/", feedRoutes);
  app.route("/", postRoutes);
  app.route("/", userRoutes);
  app.route("/", commentRoutes);
  app.route("/", searchRoutes);
  app.route("/", blockRoutes);
  // /admin/servers (remote server blocks) and /account/fediverse (leaving the fediverse).
  app.route("/", federationWebRoutes);
  app.route("/", pageRoutes);
  app.route("/auth", authRoutes);
  app.route("/account", accountRoutes);
  app.route("/api", apiDocsRoutes);
  app.route("/dev", devRoutes);
  app.route("/sites", siteRoutes);
  app.route("/notifications", notificationRoutes);
  app.route("/messages", messageRoutes);
  app.route("/", sharingRoutes);

  const allowedMethods = allowedMethodsOf(app);
  app.notFound((c) => {
    const allow = allowedMethods(c.req.path);
    if (allow.length === 0) return notFound(c);
    return errorResponse(c, 405, t("error.method", { method: c.req.method }), { Allow: allow.join(", ") });
  });
  app.onError(onError);
  return app;
}

export function createApp() {
  const beacon = createBeaconApp();
  const api = createApiApp();
  const web = createWebApp();
  const federation = createFederationApp();
  const appFor = (req: Request, path: string) => {
    if (isBeaconPath(path)) return beacon;
    if (path.startsWith("/api/")) return api;
    return isFederationRequest(req, path) ? federation : web;
  };

  const app = new Hono<{ Bindings: Env }>();
  app.all("*", async (c) => {
    let ctx: Parameters<typeof web.fetch>[2];
    try {
      ctx = c.executionCtx;
    } catch {
      // app.request() in a unit test without an execution context.
    }
    const res = await appFor(c.req.raw, c.req.path).fetch(c.req.raw, c.env, ctx);
    // The profile and post URLs answer ActivityPub clients with JSON (the federation app): caches must key on Accept.
    if (isNegotiatedPath(c.req.path)) res.headers.append("Vary", "Accept");
    return res;
  });
  return app;
}
