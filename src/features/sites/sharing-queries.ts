// SQL of a site's sharing: its read-only links (site_shares) and its public flag. Every statement that an
// owner runs carries the owner check itself, so another member's ids change nothing and read nothing.
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { insertWhere } from "../../db/insert-where";
import { siteShares, sites } from "../../db/schema";

export type ShareItem = { id: number; label: string; hasPassword: boolean; createdAt: number; lastUsedAt: number | null };
export type SharingSite = { id: number; name: string; isPublic: boolean };

const owned = (siteId: number, userId: number) => and(eq(sites.id, siteId), eq(sites.userId, userId));

export function sharingSiteQuery(db: Db, siteId: number, userId: number) {
  return db.select({ id: sites.id, name: sites.name, isPublic: sites.isPublic }).from(sites).where(owned(siteId, userId));
}

export function sharesQuery(db: Db, siteId: number, userId: number) {
  return db
    .select({
      id: siteShares.id,
      label: siteShares.label,
      hasPassword: sql<boolean>`${siteShares.passwordHash} IS NOT NULL`.mapWith(Boolean),
      createdAt: siteShares.createdAt,
      lastUsedAt: siteShares.lastUsedAt,
    })
    .from(siteShares)
    .innerJoin(sites, eq(sites.id, siteShares.siteId))
    .where(owned(siteId, userId))
    .orderBy(asc(siteShares.id));
}

/** Inserts only for the owner and while the site has fewer than `max` links. */
export function insertShareQuery(
  db: Db,
  s: { siteId: number; userId: number; tokenHash: string; label: string; passwordHash: string | null; createdAt: number },
  max: number,
) {
  const { siteId, tokenHash, label, passwordHash, createdAt } = s;
  return insertWhere(
    db,
    siteShares,
    { siteId, tokenHash, label, passwordHash, createdAt },
    sites,
    and(owned(siteId, s.userId), sql`(SELECT count(*) FROM site_shares WHERE site_id = ${siteId}) < ${max}`),
  ).returning({ id: siteShares.id });
}

export function deleteShareQuery(db: Db, siteId: number, userId: number, shareId: number) {
  return db
    .delete(siteShares)
    .where(and(eq(siteShares.id, shareId), eq(siteShares.siteId, siteId), sql`${siteShares.siteId} IN (SELECT id FROM sites WHERE user_id = ${userId})`))
    .returning({ id: siteShares.id, label: siteShares.label });
}

export function setPublicQuery(db: Db, siteId: number, userId: number, isPublic: boolean) {
  return db.update(sites).set({ isPublic }).where(owned(siteId, userId)).returning({ id: sites.id, isPublic: sites.isPublic });
}

/**
 * The link behind a token, marking it used (at most once a minute, to spare writes): one statement finds
 * and records. No row: never issued, or revoked.
 */
export function useShareQuery(db: Db, tokenHash: string, now: number) {
  return db
    .update(siteShares)
    .set({
      lastUsedAt: sql`CASE WHEN ${siteShares.lastUsedAt} IS NULL OR ${siteShares.lastUsedAt} < ${now - 60_000} THEN ${now} ELSE ${siteShares.lastUsedAt} END`,
    })
    .where(eq(siteShares.tokenHash, tokenHash))
    .returning({ id: siteShares.id, siteId: siteShares.siteId, passwordHash: siteShares.passwordHash });
}
