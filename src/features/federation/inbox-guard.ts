// What an inbox POST passes before Fedify reads it (issue 13, safety): after the body limit (routes.ts), a
// blocked server is refused (403) and a server over its rate is told to wait (429, Retry-After), both decided
// from the headers and the claimed actor alone, so neither costs a key fetch from the remote server. After
// Fedify verified the signature and accepted the activity (2xx), the signer's server is counted in
// known_servers (the admin page's "servers Roost talks to"). Replays (same activity id) are Fedify's to drop:
// see the idempotency setting in federation.ts.
import type { MiddlewareHandler } from "hono";
import type { BaseEnv } from "../../env";
import { AppError } from "../../lib/errors";
import { type RateLimit, reserve } from "../../lib/rate-limit";
import { anyBlockedHost, hostOf, recordActivityFrom } from "./servers";

/**
 * Activities one remote server may deliver per minute, all inboxes together (the default of the var
 * RATE_INBOX_PER_MINUTE, `config.abuse.inboxPerServer`; the benchmark raises it). A large server delivers each
 * post once to our shared inbox, so this is far above a busy server's normal rate and far below a flood.
 */
export const INBOX_RATE_LIMIT: RateLimit = { max: 300, windowMs: 60_000 };

export const BLOCKED_SERVER = "This server does not accept activities from yours.";

/**
 * The signing key's id from either signature scheme: draft-cavage `Signature: keyId="…"` (Mastodon) or
 * RFC 9421 `Signature-Input: sig1=(…);keyid="…"`; null when neither carries one.
 */
export function signingKeyId(headers: Headers): string | null {
  const cavage = headers.get("Signature")?.match(/(?:^|,)\s*keyId\s*=\s*"([^"]+)"/i)?.[1];
  if (cavage) return cavage;
  return headers.get("Signature-Input")?.match(/;\s*keyid\s*=\s*"([^"]+)"/i)?.[1] ?? null;
}

/** The activity's claimed actor (a URL string or an object with an id); null when the body says none. */
export function claimedActor(body: string): string | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof json !== "object" || json === null || !("actor" in json)) return null;
  const actor = json.actor;
  if (typeof actor === "string") return actor;
  if (typeof actor === "object" && actor !== null && "id" in actor && typeof actor.id === "string") return actor.id;
  return null;
}

export const inboxGuard: MiddlewareHandler<BaseEnv> = async (c, next) => {
  if (c.req.method !== "POST") return next();
  const db = c.get("db");
  const keyId = signingKeyId(c.req.raw.headers);
  const signerHost = keyId ? hostOf(keyId) : null;
  // A clone: Fedify reads the original stream (the body limit already capped its size).
  const actor = claimedActor(await c.req.raw.clone().text());
  const actorHost = actor ? hostOf(actor) : null;
  const hosts = [signerHost, actorHost].filter((h) => h !== null);
  if (await anyBlockedHost(db, hosts)) throw new AppError(403, BLOCKED_SERVER);
  // Unsigned requests are refused by Fedify without any fetch; a signed one is counted against its signer.
  const server = signerHost ?? actorHost;
  if (server) {
    const slot = await reserve(db, "inbox", server, c.get("config").abuse.inboxPerServer);
    if (!slot.ok) {
      throw new AppError(429, "Too many activities from your server: try again later.", { "Retry-After": String(slot.retryAfterSeconds) });
    }
  }
  await next();
  if (signerHost && c.res.status >= 200 && c.res.status < 300) await recordActivityFrom(db, signerHost);
};
