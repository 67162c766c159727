// Sharing a site's report: read-only links (unguessable tokens stored as SHA-256, an optional password
// hashed like account passwords, revocable, with their last use) and the public page. A password, once
// given, opens the link for UNLOCK_MS through a cookie scoped to the link's path whose value is an HMAC keyed
// with the stored password hash: revoking the link (or a new link) makes every such cookie worthless, and no
// server-side state is kept for it.
import { hmac } from "@oslojs/crypto/hmac";
import { SHA256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { HOUR, MINUTE } from "../../config";
import type { Db } from "../../db";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "../../lib/password";
import { type RateLimit, reserve } from "../../lib/rate-limit";
import { looksLikeToken, randomToken, sha256Hex } from "../../lib/tokens";
import {
  deleteShareQuery,
  insertShareQuery,
  type ShareItem,
  type SharingSite,
  setPublicQuery,
  sharesQuery,
  sharingSiteQuery,
  useShareQuery,
} from "./sharing-queries";

export type { ShareItem, SharingSite };

/** Links per site: enough for every audience; stops a script from filling the table. */
export const MAX_SHARES_PER_SITE = 20;
export const UNLOCK_MS = 12 * HOUR;
/** Password guesses per link and network: PBKDF2 makes each one slow, this makes them few. */
export const SHARE_PASSWORD_LIMIT: RateLimit = { max: 10, windowMs: 15 * MINUTE };

export const sharePath = (token: string) => `/share/${token}`;

/** The site's sharing settings and links, owner only, in one round trip. */
export async function getSharing(db: Db, siteId: number, userId: number): Promise<{ site: SharingSite; shares: ShareItem[] } | null> {
  const [site, shares] = await db.batch([sharingSiteQuery(db, siteId, userId), sharesQuery(db, siteId, userId)]);
  return site[0] ? { site: site[0], shares } : null;
}

export type CreateShareResult = { ok: true; token: string } | { ok: false; reason: "not-found" | "limit" };

export async function createShare(
  db: Db,
  q: { siteId: number; userId: number; label: string; password: string | null },
  now = Date.now(),
): Promise<CreateShareResult> {
  const token = randomToken();
  const passwordHash = q.password ? await hashPassword(q.password) : null;
  const [site, inserted] = await db.batch([
    sharingSiteQuery(db, q.siteId, q.userId),
    insertShareQuery(
      db,
      { siteId: q.siteId, userId: q.userId, tokenHash: sha256Hex(token), label: q.label, passwordHash, createdAt: now },
      MAX_SHARES_PER_SITE,
    ),
  ]);
  if (!site[0]) return { ok: false, reason: "not-found" };
  return inserted[0] ? { ok: true, token } : { ok: false, reason: "limit" };
}

export async function revokeShare(db: Db, siteId: number, userId: number, shareId: number): Promise<{ label: string } | null> {
  const rows = await deleteShareQuery(db, siteId, userId, shareId);
  return rows[0] ?? null;
}

export async function setPublic(db: Db, siteId: number, userId: number, isPublic: boolean): Promise<boolean> {
  return (await setPublicQuery(db, siteId, userId, isPublic)).length > 0;
}

export type OpenedShare = { id: number; siteId: number; passwordHash: string | null };

/** The link for a token (recording its use), or null: malformed, never issued or revoked alike. */
export async function openShare(db: Db, token: string, now = Date.now()): Promise<OpenedShare | null> {
  if (!looksLikeToken(token)) return null;
  const rows = await useShareQuery(db, sha256Hex(token), now);
  return rows[0] ?? null;
}

// --- Password unlock --------------------------------------------------------------------------------

function unlockMac(share: OpenedShare, expires: number): string {
  const key = new TextEncoder().encode(share.passwordHash ?? "");
  return encodeHexLowerCase(hmac(SHA256, key, new TextEncoder().encode(`share:${share.id}:${expires}`)));
}

export function unlockCookieValue(share: OpenedShare, now = Date.now()): string {
  const expires = now + UNLOCK_MS;
  return `${expires}.${unlockMac(share, expires)}`;
}

/** Whether the link may be read: no password, or a cookie this link's password made and not yet expired. */
export function isUnlocked(share: OpenedShare, cookie: string | undefined, now = Date.now()): boolean {
  if (!share.passwordHash) return true;
  const m = /^(\d{13})\.([0-9a-f]{64})$/.exec(cookie ?? "");
  if (!m) return false;
  const expires = Number(m[1]);
  if (expires < now || expires > now + UNLOCK_MS) return false;
  const enc = new TextEncoder();
  return constantTimeEqual(enc.encode(m[2]!), enc.encode(unlockMac(share, expires)));
}

export type UnlockResult = { ok: true } | { ok: false; reason: "wrong" | "limit"; retryAfterSeconds?: number };

export async function tryPassword(db: Db, share: OpenedShare, password: string, network: string): Promise<UnlockResult> {
  if (!share.passwordHash) return { ok: true };
  const slot = await reserve(db, "share-password", `${share.id}:${network}`, SHARE_PASSWORD_LIMIT);
  if (!slot.ok) {
    await verifyAgainstDummy(password); // the same time either way
    return { ok: false, reason: "limit", retryAfterSeconds: slot.retryAfterSeconds };
  }
  return (await verifyPassword(password, share.passwordHash)).ok ? { ok: true } : { ok: false, reason: "wrong" };
}
