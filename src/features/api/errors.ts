// Error answers of the JSON API: always `{"error": <name>, "message": <what happened>}`, whatever the
// client's Accept header, for every path under /api/ (the site's HTML error pages never appear here).
// 500s log the error with the request id, mail the operator (as the site's 500s do) and tell the client
// nothing about the internals.
import type { ZodError } from "zod";
import { AppError, type ErrorStatus, INTERNAL_ERROR_MESSAGE, ERROR_NAMES as NAMES } from "../../lib/errors";
import { jsonErrorResponse, jsonOnError } from "../../middleware/errors";

/** The statuses the API answers with an error body, and the `error` name each one carries. */
export type ApiErrorStatus = Exclude<ErrorStatus, 422 | 503>;
// The API never answers 422 (bad input is 400 there) nor 503, so its table and OpenAPI responses leave them out.
const { 422: _unprocessable, 503: _unavailable, ...apiNames } = NAMES;
export const ERROR_NAMES: Readonly<Record<ApiErrorStatus, string>> = apiNames;
/** Every API error status, ascending (object keys are strings; the guard gives them back their type). */
export const API_ERROR_STATUSES: readonly ApiErrorStatus[] = Object.keys(apiNames)
  .map(Number)
  .filter((s): s is ApiErrorStatus => s in apiNames);

/** The API throws the app's one error type; `apiOnError` turns it into the JSON answer. */
export { AppError as ApiError, INTERNAL_ERROR_MESSAGE };

/** The 404s of paths that name a post or a user by id (several resources answer them). */
export const NO_POST = "There is no post with that id.";
export const NO_USER = "There is no user with that id.";

export const apiErrorResponse = jsonErrorResponse;
export const apiOnError = jsonOnError;

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
