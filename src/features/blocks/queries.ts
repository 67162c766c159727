// The blocks table, read and written for one member: every statement names the blocker (the logged-in
// member), so nobody can read or change anyone else's blocks. The filters other features put inside their own
// queries are in db/blocks.ts.
import { and, desc, eq, or, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { avatarSourceSql } from "../../db/avatar-source";
import { blockedBySql } from "../../db/blocks";
import { blocks, follows, users } from "../../db/schema";

/** The member named `username` and whether `me` has blocked them (one statement). */
export function targetQuery(db: Db, me: number, username: string) {
  return db
    .select({ id: users.id, username: users.username, blocked: sql<boolean>`${blockedBySql(sql`${me}`, sql`${users.id}`)}`.mapWith(Boolean) })
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username})`);
}

/** The block and the end of the follows both ways between the two: one batch, so no follow outlives a block. */
export function blockStatements(db: Db, me: number, other: number, now: number) {
  return {
    block: db.insert(blocks).values({ blockerId: me, blockedId: other, createdAt: now }).onConflictDoNothing(),
    unfollow: db
      .delete(follows)
      .where(or(and(eq(follows.followerId, me), eq(follows.followedId, other)), and(eq(follows.followerId, other), eq(follows.followedId, me)))),
  };
}

export function unblockStatement(db: Db, me: number, other: number) {
  return db
    .delete(blocks)
    .where(and(eq(blocks.blockerId, me), eq(blocks.blockedId, other)))
    .returning({ blockedId: blocks.blockedId });
}

export type BlockedItem = { id: number; username: string; name: string | null; avatar: string | null; since: number };

/** Everyone `me` has blocked, most recent first (the blocks primary key's range for `me`). */
export function blockedListQuery(db: Db, me: number) {
  return db
    .select({ id: users.id, username: users.username, name: users.name, avatar: avatarSourceSql("users"), since: blocks.createdAt })
    .from(blocks)
    .innerJoin(users, eq(users.id, blocks.blockedId))
    .where(eq(blocks.blockerId, me))
    .orderBy(desc(blocks.createdAt), desc(blocks.blockedId));
}

/** The member's own block list for their data export (a query builder, so it joins the export's batch). */
export function blocksExportQuery(db: Db, me: number) {
  return db
    .select({ username: users.username, since: blocks.createdAt })
    .from(blocks)
    .innerJoin(users, eq(users.id, blocks.blockedId))
    .where(eq(blocks.blockerId, me))
    .orderBy(desc(blocks.createdAt));
}
