// Sessions: the cookie holds a random token; KV holds the session under the token's SHA-256 (never the
// token). A session is valid only while its epoch equals the user's `session_epoch` in D1, so bumping the
// epoch revokes every session at once, despite KV's eventual consistency.
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { limits } from "../config";
import { getDb } from "../db";
import { loadCurrentUser, touchLastSeen } from "../db/current-user";
import type { WebEnv } from "../env";
import { looksLikeToken, randomToken, sha256Hex } from "../lib/tokens";

type StoredSession = {
  userId: number;
  epoch: number;
  persistent: boolean;
  createdAt: number;
  touchedAt: number;
};

/**
 * `__Host-` cookies must be Secure. Browsers treat http://localhost and http://127.0.0.1 as secure
 * contexts, so the same name works in development; any other plain-http host gets a plain name.
 */
export function sessionCookieName(c: Context): string {
  const url = new URL(c.req.url);
  const local = url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
  return url.protocol === "https:" || local ? "__Host-session" : "session";
}

function kvKey(tokenHash: string): string {
  return `session:${tokenHash}`;
}

function kvTtlSeconds(s: StoredSession, now: number): number {
  const idleEnd = now + limits.sessionIdleMs;
  const end = s.persistent ? Math.min(idleEnd, s.createdAt + limits.persistentCookieMs) : idleEnd;
  // KV's minimum TTL is 60 s.
  return Math.max(60, Math.ceil((end - now) / 1000));
}

/** Loads the current user from the session cookie; refreshes idle timers and last_seen off the response path. */
export const sessionMiddleware: MiddlewareHandler<WebEnv> = async (c, next) => {
  c.set("user", null);
  c.set("sessionKey", null);
  const token = getCookie(c, sessionCookieName(c));
  if (token && looksLikeToken(token)) {
    const key = kvKey(sha256Hex(token));
    const stored = await c.env.SESSIONS.get<StoredSession>(key, "json");
    const now = Date.now();
    if (stored && now - stored.touchedAt <= limits.sessionIdleMs) {
      const user = await loadCurrentUser(c.get("db"), stored.userId);
      if (user && user.sessionEpoch === stored.epoch) {
        c.set("user", user);
        c.set("sessionKey", key);
        if (now - stored.touchedAt > limits.sessionTouchMs) {
          const touched = { ...stored, touchedAt: now };
          c.executionCtx.waitUntil(c.env.SESSIONS.put(key, JSON.stringify(touched), { expirationTtl: kvTtlSeconds(touched, now) }));
        }
        // On an uncounted client: the write finishes off the response path, so it is not this page's cost.
        touchLastSeen(
          () => getDb(c.env.DB),
          user,
          (work) => c.executionCtx.waitUntil(work),
        );
      } else {
        // Revoked (epoch moved on) or the user is gone: forget the stale session.
        c.executionCtx.waitUntil(c.env.SESSIONS.delete(key));
      }
    }
  }
  await next();
};

/** Start a fresh session for `user` (a new token every time; the previous one is deleted). */
export async function startSession(c: Context<WebEnv>, user: { id: number; sessionEpoch: number }, persistent: boolean): Promise<void> {
  const old = c.get("sessionKey");
  if (old) await c.env.SESSIONS.delete(old);
  const token = randomToken();
  const key = kvKey(sha256Hex(token));
  const now = Date.now();
  const stored: StoredSession = { userId: user.id, epoch: user.sessionEpoch, persistent, createdAt: now, touchedAt: now };
  await c.env.SESSIONS.put(key, JSON.stringify(stored), { expirationTtl: kvTtlSeconds(stored, now) });
  c.set("sessionKey", key);
  setCookie(c, sessionCookieName(c), token, {
    path: "/",
    httpOnly: true,
    secure: sessionCookieName(c) === "__Host-session",
    sameSite: "Lax",
    ...(persistent ? { maxAge: Math.floor(limits.persistentCookieMs / 1000) } : {}),
  });
}

/** End this browser's session: KV entry deleted and cookie cleared. */
export async function endSession(c: Context<WebEnv>): Promise<void> {
  const key = c.get("sessionKey");
  if (key) await c.env.SESSIONS.delete(key);
  c.set("sessionKey", null);
  c.set("user", null);
  const name = sessionCookieName(c);
  deleteCookie(c, name, { path: "/", secure: name === "__Host-session" });
}
