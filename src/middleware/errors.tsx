// Error answers in the client's language: an HTML page in the site's look, or JSON for JSON clients.
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../env";
import { reportError } from "../mail/error-report";
import { renderPage } from "../views/render";
import { ErrorPage } from "../views/error-page";

/** The `error` name JSON error bodies carry for each status (shared with the API's errors). */
export const ERROR_NAMES = {
  400: "bad request",
  401: "unauthorized",
  403: "forbidden",
  404: "not found",
  405: "method not allowed",
  409: "conflict",
  413: "payload too large",
  415: "unsupported media type",
  422: "unprocessable entity",
  429: "too many requests",
  500: "internal server error",
} as const;
const JSON_ERRORS: Record<number, string> = ERROR_NAMES;

/** A JSON client is one that accepts JSON and not HTML (browsers and htmx send text/html). */
export function wantsJson(c: Context): boolean {
  const accept = c.req.header("Accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 429 | 500;

export async function errorResponse(c: Context<AppEnv>, status: ErrorStatus, message: string): Promise<Response> {
  if (wantsJson(c)) return c.json({ error: JSON_ERRORS[status], message }, status);
  return renderPage(c, { title: JSON_ERRORS[status] ?? "Error", status }, <ErrorPage status={status} message={message} />);
}

export const notFound: NotFoundHandler<AppEnv> = (c) => errorResponse(c, 404, "That page does not exist.");

/** An unexpected error: the stack to the log, and a report mail to the operator off the response path. */
export function logAndReport(c: Context, err: unknown): void {
  console.error(
    JSON.stringify({ level: "error", requestId: c.get("requestId"), msg: String(err), stack: err instanceof Error ? err.stack : undefined }),
  );
  const report = reportError(c.env, err, { requestId: c.get("requestId"), method: c.req.method, path: new URL(c.req.url).pathname }).catch(
    (mailErr) => console.error(JSON.stringify({ level: "error", msg: "error report failed", error: String(mailErr) })),
  );
  try {
    c.executionCtx.waitUntil(report);
  } catch {
    // No execution context (e.g. app.request in a unit test): the report still runs, unawaited.
  }
}

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof HTTPException && err.status < 500) {
    const status = ([400, 401, 403, 404, 405, 409, 413, 415, 429] as const).find((s) => s === err.status) ?? 400;
    return errorResponse(c, status, err.message || JSON_ERRORS[status]!);
  }
  logAndReport(c, err);
  return errorResponse(c, 500, "Something went wrong on our side. It has been logged; please try again.");
};
