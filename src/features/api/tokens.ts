// API tokens: rows of auth_tokens with purpose "api". The client gets 20 random bytes (base32); only
// their SHA-256 is stored. A token is valid until it expires (1 hour), is revoked (DELETE /tokens/) or
// its owner's password changes (the auth service deletes the user's API tokens in the same batch).
import { and, eq, gt, isNull, lte } from "drizzle-orm";
import type { Db } from "../../db";
import { type CurrentUser, currentUserColumns } from "../../db/current-user";
import { authTokens, roles, users } from "../../db/schema";
import { randomToken, sha256Hex } from "../../lib/tokens";

export const API_TOKEN_TTL_SECONDS = 3600;

/**
 * Mints a token for `userId`. The user's expired API tokens are deleted in the same batch, so the table
 * holds at most the tokens minted in the last hour.
 */
export async function issueApiToken(db: Db, userId: number, now = Date.now()): Promise<{ token: string; expiration: number }> {
  const token = randomToken();
  await db.batch([
    db.delete(authTokens).where(and(eq(authTokens.userId, userId), eq(authTokens.purpose, "api"), lte(authTokens.expiresAt, now))),
    db.insert(authTokens).values({
      tokenHash: sha256Hex(token),
      userId,
      purpose: "api",
      createdAt: now,
      expiresAt: now + API_TOKEN_TTL_SECONDS * 1000,
    }),
  ]);
  return { token, expiration: API_TOKEN_TTL_SECONDS };
}

/** The user (with role) a live token belongs to, in one round trip; null for unknown or expired tokens. */
export async function userForApiToken(db: Db, tokenHash: string, now = Date.now()): Promise<CurrentUser | null> {
  const row = await db
    .select(currentUserColumns)
    .from(authTokens)
    .innerJoin(users, eq(users.id, authTokens.userId))
    .innerJoin(roles, eq(roles.id, users.roleId))
    .where(and(eq(authTokens.tokenHash, tokenHash), eq(authTokens.purpose, "api"), isNull(authTokens.usedAt), gt(authTokens.expiresAt, now)))
    .get();
  return row ?? null;
}

/** Revokes one token (by its hash); false when it was already gone. */
export async function revokeApiToken(db: Db, tokenHash: string): Promise<boolean> {
  const rows = await db
    .delete(authTokens)
    .where(and(eq(authTokens.tokenHash, tokenHash), eq(authTokens.purpose, "api")))
    .returning({ id: authTokens.id });
  return rows.length === 1;
}
