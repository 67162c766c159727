// Error answers of the web app, in the client's language: an HTML page in the site's look, or JSON
// (`{error, message}`, lib/errors.ts) for JSON clients. Unexpected errors are logged and reported.
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { WebEnv } from "../env";
import { t } from "../i18n";
import { AppError, ERROR_NAMES, type ErrorHeaders, type ErrorStatus, errorBody, INTERNAL_ERROR_MESSAGE, isErrorStatus } from "../lib/errors";
import { log } from "../lib/log";
import { reportError } from "../mail/error-report";
import { ErrorPage, errorTitle } from "../views/error-page";
import { renderPage } from "../views/render";

/** A JSON client is one that accepts JSON and not HTML (browsers and htmx send text/html). */
export function wantsJson(c: Context): boolean {
  const accept = c.req.header("Accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}

export function setErrorHeaders(c: Context, headers: ErrorHeaders): void {
  for (const [name, value] of Object.entries(headers)) {
    if (Array.isArray(value)) for (const v of value) c.header(name, v, { append: true });
    else c.header(name, value);
  }
}

export async function errorResponse(c: Context<WebEnv>, status: ErrorStatus, message: string, headers: ErrorHeaders = {}): Promise<Response> {
  setErrorHeaders(c, headers);
  if (wantsJson(c)) return c.json(errorBody(status, message), status);
  return renderPage(c, { title: errorTitle(status), status }, <ErrorPage status={status} message={message} />);
}

export const notFound: NotFoundHandler<WebEnv> = (c) => errorResponse(c, 404, t("error.noSuchPage"));

/** An unexpected error: the stack to the log, and a report mail to the operator off the response path. */
export function logAndReport(c: Context, err: unknown): void {
  const requestId = c.get("requestId");
  log("error", String(err), { requestId, stack: err instanceof Error ? err.stack : undefined });
  const report = reportError(c.env, err, { requestId, method: c.req.method, path: new URL(c.req.url).pathname }).catch((mailErr) =>
    log("error", "error report failed", { error: String(mailErr) }),
  );
  try {
    c.executionCtx.waitUntil(report);
  } catch {
    // No execution context (e.g. app.request in a unit test): the report still runs, unawaited.
  }
}

/** AppErrors and client-side HTTPExceptions (e.g. a malformed body) as they are; anything else as a 500. */
export function expectedError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException && err.status < 500 && isErrorStatus(err.status)) {
    return new AppError(err.status, err.message || ERROR_NAMES[err.status]);
  }
  return null;
}

export const onError: ErrorHandler<WebEnv> = (err, c) => {
  const known = expectedError(err);
  if (known) return errorResponse(c, known.status, known.message, known.headers);
  logAndReport(c, err);
  return errorResponse(c, 500, t("error.internal"));
};

/** JSON-only apps (the API, federation): `{error, message}` whatever the Accept header. */
export function jsonErrorResponse(c: Context, status: ErrorStatus, message: string, headers: ErrorHeaders = {}): Response {
  setErrorHeaders(c, headers);
  return c.json(errorBody(status, message), status);
}

export const jsonOnError: ErrorHandler = (err, c) => {
  const known = expectedError(err);
  if (known) return jsonErrorResponse(c, known.status, known.message, known.headers);
  // The operator hears about these failures the same way as the site's (mail/error-report.ts).
  logAndReport(c, err);
  return jsonErrorResponse(c, 500, INTERNAL_ERROR_MESSAGE);
};
