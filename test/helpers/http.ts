// Low-level HTTP helpers: raw requests with exact headers, Set-Cookie parsing, htmx request headers, the
// Server-Timing query count, polling.
import { SELF } from "cloudflare:test";
import { ORIGIN } from "./client";

export const SESSION_COOKIE = "__Host-session";

/** The headers htmx 4 sends when it asks for a fragment. */
export const HX = { "HX-Request": "true", "HX-Request-Type": "partial" };

/** D1 round trips the app reports: N from `Server-Timing: d1;dur=…;desc="N queries"`. */
export function d1Queries(res: Response): number {
  const m = (res.headers.get("Server-Timing") ?? "").match(/(?:^|,\s*)d1;dur=\d+(?:\.\d+)?;desc="(\d+) queries"/);
  if (!m) throw new Error(`no d1 Server-Timing on ${res.url}: ${res.headers.get("Server-Timing")}`);
  return Number(m[1]);
}

/** D1's own count of rows read for the request (Server-Timing `d1-rows`, what the bench prints). */
export function d1RowsRead(res: Response): number {
  const m = /d1-rows;desc="(\d+) rows read"/.exec(res.headers.get("Server-Timing") ?? "");
  if (!m) throw new Error(`no d1-rows Server-Timing on ${res.url}: ${res.headers.get("Server-Timing")}`);
  return Number(m[1]);
}

/** All Set-Cookie lines of a response (workerd implements getSetCookie; the bundled type predates it). */
export function setCookies(res: Response): string[] {
  return (res.headers as unknown as { getSetCookie(): string[] }).getSetCookie();
}

export type ParsedCookie = { name: string; value: string; attrs: Map<string, string> };

/** Parses one Set-Cookie line; attribute names are lower-cased, flag attributes map to "". */
export function parseSetCookie(line: string): ParsedCookie {
  const [pair, ...rest] = line.split(";");
  const eq = pair!.indexOf("=");
  const attrs = new Map<string, string>();
  for (const raw of rest) {
    const a = raw.trim();
    if (!a) continue;
    const i = a.indexOf("=");
    if (i < 0) attrs.set(a.toLowerCase(), "");
    else attrs.set(a.slice(0, i).trim().toLowerCase(), a.slice(i + 1).trim());
  }
  return { name: pair!.slice(0, eq).trim(), value: pair!.slice(eq + 1).trim(), attrs };
}

/** The session cookie a response sets, if any. */
export function sessionSetCookie(res: Response): ParsedCookie | undefined {
  return setCookies(res)
    .map(parseSetCookie)
    .find((c) => c.name === SESSION_COOKIE);
}

/** A POST with exactly the given headers (no Origin added), form-encoded unless a body is given. */
export function rawPost(path: string, headers: Record<string, string> = {}, form: Record<string, string> = {}): Promise<Response> {
  return SELF.fetch(new URL(path, ORIGIN).toString(), {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form),
  });
}

/** A GET carrying only the given session token (or none). */
export function getWithSession(path: string, token: string | undefined, headers: Record<string, string> = {}): Promise<Response> {
  const h: Record<string, string> = { ...headers };
  if (token !== undefined) h.Cookie = `${SESSION_COOKIE}=${token}`;
  return SELF.fetch(new URL(path, ORIGIN).toString(), { redirect: "manual", headers: h });
}

/** SHA-256 hex computed independently of src/lib/tokens (WebCrypto). */
export async function sha256HexWebCrypto(value: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Re-evaluates `read` until `done` holds or the time runs out; returns the last value. */
export async function poll<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 3000, stepMs = 25): Promise<T> {
  const end = Date.now() + timeoutMs;
  let v = await read();
  while (!done(v) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, stepMs));
    v = await read();
  }
  return v;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
