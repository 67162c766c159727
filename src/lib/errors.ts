// The one error type: a status and a message written for people. The web renders it as a page (or a form
// error), the API and the beacon as JSON `{"error": <the status in words>, "message": <what happened>}`.

/** The `error` name a JSON error body carries for each status. */
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
  503: "service unavailable",
} as const;

export type ErrorStatus = keyof typeof ERROR_NAMES;

/** Header values by name; a list is several header lines (e.g. WWW-Authenticate challenges). */
export type ErrorHeaders = Record<string, string | string[]>;

export class AppError extends Error {
  constructor(
    readonly status: ErrorStatus,
    message: string,
    readonly headers: ErrorHeaders = {},
  ) {
    super(message);
  }
}

export function isErrorStatus(status: number): status is ErrorStatus {
  return status in ERROR_NAMES;
}

/** The JSON body of an error answer. */
export function errorBody(status: ErrorStatus, message: string) {
  return { error: ERROR_NAMES[status], message };
}

export const INTERNAL_ERROR_MESSAGE = "Something went wrong on our side. It has been logged; please try again.";
