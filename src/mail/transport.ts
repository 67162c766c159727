// The HTTP mail API client: POSTs one mail as JSON (Resend-style) and classifies the outcome as sent,
// transient (worth retrying later) or permanent (retrying cannot help). It never throws for HTTP or
// network failures, so the queue consumer decides what each outcome means for the outbox row.
import { limits } from "../config";

export type MailApi = { url: string; apiKey: string };
export type MailPayload = { from: string; to: string; subject: string; text: string; html: string };

export type SendOutcome =
  | { kind: "sent"; status: number }
  | { kind: "transient"; error: string; retryAfterSeconds?: number }
  | { kind: "permanent"; error: string };

/** How much of an error response body is kept in `last_error`. */
const ERROR_BODY_CHARS = 500;

export async function postMail(api: MailApi, mail: MailPayload, idempotencyKey: string): Promise<SendOutcome> {
  let res: Response;
  try {
    res = await fetch(api.url, {
      method: "POST",
      headers: requestHeaders(api.apiKey, idempotencyKey),
      body: JSON.stringify(mail),
      signal: AbortSignal.timeout(limits.mailTimeoutMs),
    });
  } catch (err) {
    // The request may or may not have reached the API; the Idempotency-Key makes the retry safe.
    return { kind: "transient", error: describeFetchError(err) };
  }
  return classifyResponse(res);
}

function requestHeaders(apiKey: string, idempotencyKey: string): Record<string, string> {
  const headers: Record<string, string> = { "Content-Type": "application/json", "Idempotency-Key": idempotencyKey };
  if (apiKey) headers.Authorization = `Bearer ${apiKey}`;
  return headers;
}

function describeFetchError(err: unknown): string {
  if (err instanceof Error && err.name === "TimeoutError") return `timeout after ${limits.mailTimeoutMs} ms`;
  return `network error: ${err instanceof Error ? err.message : String(err)}`;
}

async function classifyResponse(res: Response): Promise<SendOutcome> {
  if (res.ok) {
    // The API's reply (the provider's message id) is not needed; release the connection.
    await res.body?.cancel().catch(() => {});
    return { kind: "sent", status: res.status };
  }
  const error = `HTTP ${res.status}: ${await errorBody(res)}`;
  if (!isTransientStatus(res.status)) return { kind: "permanent", error };
  const retryAfterSeconds = parseRetryAfter(res.headers.get("Retry-After"));
  return retryAfterSeconds === undefined ? { kind: "transient", error } : { kind: "transient", error, retryAfterSeconds };
}

/**
 * 429 and 5xx are the provider asking us to come back later. 408 is a timeout seen by the server, and 409 is
 * how idempotent APIs answer while a request with the same Idempotency-Key is still in flight.
 */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

async function errorBody(res: Response): Promise<string> {
  try {
    return (await res.text()).slice(0, ERROR_BODY_CHARS);
  } catch (err) {
    return `(unreadable body: ${err instanceof Error ? err.message : String(err)})`;
  }
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unparseable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
