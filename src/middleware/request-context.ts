// First middleware: request id, D1 round-trip accounting, Server-Timing header and one JSON log line.
import type { MiddlewareHandler } from "hono";
import { newDbStats } from "../db";
import type { AppEnv } from "../env";

export const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = performance.now();
  const requestId = c.req.header("cf-ray") ?? crypto.randomUUID();
  const stats = newDbStats();
  c.set("requestId", requestId);
  c.set("dbStats", stats);
  await next();
  const total = performance.now() - started;
  c.res.headers.set("X-Request-Id", requestId);
  c.res.headers.append("Server-Timing", `d1;dur=${stats.ms.toFixed(1)};desc="${stats.queries} queries", total;dur=${total.toFixed(1)}`);
  console.log(
    JSON.stringify({
      level: c.res.status >= 500 ? "error" : "info",
      requestId,
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      route: c.req.routePath,
      status: c.res.status,
      ms: Math.round(total),
      d1Queries: stats.queries,
      d1Ms: Math.round(stats.ms),
      userId: c.get("user")?.id ?? null,
    }),
  );
};
