// First middleware of every sub-app: what every handler needs (request id, config, the counted database) and,
// on the way out, the Server-Timing header and one JSON log line.
import type { MiddlewareHandler } from "hono";
import { getConfig } from "../config";
import { getDb, newDbStats } from "../db";
import type { BaseEnv } from "../env";
import { log } from "../lib/log";

export const requestContext: MiddlewareHandler<BaseEnv> = async (c, next) => {
  const started = performance.now();
  const requestId = c.req.header("cf-ray") ?? crypto.randomUUID();
  const stats = newDbStats();
  c.set("requestId", requestId);
  c.set("dbStats", stats);
  c.set("config", getConfig(c.env));
  // The plain binding; the web app's D1 session middleware replaces it with a session-bound one.
  c.set("db", getDb(c.env.DB, stats));
  await next();
  const total = performance.now() - started;
  c.res.headers.set("X-Request-Id", requestId);
  c.res.headers.append(
    "Server-Timing",
    `d1;dur=${stats.ms.toFixed(1)};desc="${stats.queries} queries", d1rows;desc="${stats.rowsRead} rows read", total;dur=${total.toFixed(1)}`,
  );
  log(c.res.status >= 500 ? "error" : "info", "request", {
    requestId,
    method: c.req.method,
    path: new URL(c.req.url).pathname,
    route: c.req.routePath,
    status: c.res.status,
    ms: Math.round(total),
    d1Queries: stats.queries,
    d1Ms: Math.round(stats.ms),
    userId: c.get("user")?.id ?? null,
  });
};
