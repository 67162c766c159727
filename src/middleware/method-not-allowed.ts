// 405 with `Allow` for a path that exists with other methods (GET on a POST-only form action), for every
// route of an app at once, instead of a GET twin written beside each POST route.
import type { Env, Hono } from "hono";
import { PatternRouter } from "hono/router/pattern-router";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/**
 * Reads the app's routes once (on first use, after every route is registered) and answers, for a path,
 * the methods it has; empty when the path does not exist at all. Middleware (method ALL) is not a route.
 */
export function allowedMethodsOf<E extends Env>(app: Hono<E>): (path: string) => string[] {
  let router: PatternRouter<string> | null = null;
  return (path) => {
    if (!router) {
      router = new PatternRouter<string>();
      for (const route of app.routes) if (route.method !== "ALL") router.add(route.method, route.path, route.method);
    }
    const built = router;
    const methods: string[] = METHODS.filter((m) => built.match(m, path)[0].length > 0);
    if (methods.includes("GET")) methods.push("HEAD");
    return methods;
  };
}
