// Error answers of the JSON API: always `{"error": <name>, "message": <what happened>}`, whatever the
// client's Accept header, for every path under /api/ (the site's HTML error pages never appear here).
// 500s log the error with the request id, mail the operator (as the site's 500s do) and tell the client
// nothing about the internals.
import type { Context, ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";

import { ERROR_NAMES as NAMES, logAndReport } from "../../middleware/errors";

/** The statuses the API answers with an error body, and the `error` name each one carries. */
export type ApiErrorStatus = Exclude<keyof typeof NAMES, 422>;
// The API never answers 422 (bad input is 400 there), so its table and its OpenAPI responses leave it out.
export const ERROR_NAMES = Object.fromEntries(Object.entries(NAMES).filter(([status]) => status !== "422")) as Readonly<
  Record<ApiErrorStatus, string>
>;


/** Thrown by handlers and middleware; turned into the JSON error answer by `apiOnError`. */
export class ApiError extends Error {
  constructor(
    readonly status: ApiErrorStatus,
    message: string,
    readonly headers: Record<string, string | string[]> = {},
  ) {
    super(message);
  }
}

export function apiErrorResponse(c: Context, status: ApiErrorStatus, message: string, headers: Record<string, string | string[]> = {}): Response {
  // A list is several header lines (WWW-Authenticate challenges); a string replaces what a helper set before.
  for (const [name, value] of Object.entries(headers)) {
    if (Array.isArray(value)) for (const v of value) c.header(name, v, { append: true });
    else c.header(name, value);
  }
  return c.json({ error: ERROR_NAMES[status], message }, status);
}

export const INTERNAL_ERROR_MESSAGE = "Something went wrong on our side. It has been logged; please try again.";

export const apiOnError: ErrorHandler = (err, c) => {
  if (err instanceof ApiError) return apiErrorResponse(c, err.status, err.message, err.headers);
  if (err instanceof HTTPException && err.status in ERROR_NAMES && err.status < 500) {
    return apiErrorResponse(c, err.status as ApiErrorStatus, err.message || ERROR_NAMES[err.status as ApiErrorStatus]);
  }
  // The operator hears about API failures the same way as the site's (mail/error-report.ts).
  logAndReport(c, err);
  return apiErrorResponse(c, 500, INTERNAL_ERROR_MESSAGE);
};

/**
 * One sentence naming every offending field, e.g. `body: must be a string; unexpected field "junk"`.
 * Field paths are dotted (`items.0.name`); `where` names the part of the request (body or query).
 */
export function describeZodError(error: ZodError, where: "body" | "query"): string {
  const parts = error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.map((k) => `"${k}"`).join(", ");
      return `unexpected ${where === "query" ? "query parameter" : "field"}${issue.keys.length > 1 ? "s" : ""} ${keys}`;
    }
    const path = issue.path.map(String).join(".");
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  return parts.join("; ");
}
