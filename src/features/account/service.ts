// Data rights: everything Roost holds about a user as one JSON document, and deleting the account.
// Deleting the user row cascades (foreign keys) to their posts, comments, follows, tokens, sites and
// visits; sessions die with the row, because a session is only valid for an existing user.
import { and, asc, eq, ne, not, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { comments, follows, posts, users } from "../../db/schema";
import { verifyPassword } from "../../lib/password";
import { isLastAdministrator } from "../users/admins";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export async function exportUserData(db: Db, userId: number, extra: Record<string, unknown> = {}) {
  const [[user], userPosts, userComments, following, followers] = await db.batch([
    db
      .select({
        id: users.id,
        email: users.email,
        username: users.username,
        name: users.name,
        location: users.location,
        aboutMe: users.aboutMe,
        confirmed: users.confirmed,
        memberSince: users.memberSince,
        lastSeen: users.lastSeen,
        role: sql<string>`(SELECT name FROM roles WHERE id = ${users.roleId})`,
      })
      .from(users)
      .where(eq(users.id, userId)),
    db.select().from(posts).where(eq(posts.authorId, userId)).orderBy(asc(posts.createdAt)),
    db.select().from(comments).where(eq(comments.authorId, userId)).orderBy(asc(comments.createdAt)),
    db
      .select({ username: users.username, since: follows.createdAt })
      .from(follows)
      .innerJoin(users, eq(users.id, follows.followedId))
      .where(and(eq(follows.followerId, userId), ne(follows.followedId, userId))),
    db
      .select({ username: users.username, since: follows.createdAt })
      .from(follows)
      .innerJoin(users, eq(users.id, follows.followerId))
      .where(and(eq(follows.followedId, userId), ne(follows.followerId, userId))),
  ]);
  if (!user) return null;
  return {
    exported_at: new Date().toISOString(),
    account: { ...user, memberSince: iso(user.memberSince), lastSeen: iso(user.lastSeen) },
    posts: userPosts.map((p) => ({ id: p.id, body: p.body, body_html: p.bodyHtml, created_at: iso(p.createdAt), updated_at: iso(p.updatedAt) })),
    comments: userComments.map((c) => ({ id: c.id, post_id: c.postId, body: c.body, disabled: c.disabled, created_at: iso(c.createdAt) })),
    following: following.map((f) => ({ username: f.username, since: iso(f.since) })),
    followers: followers.map((f) => ({ username: f.username, since: iso(f.since) })),
    ...extra,
  };
}

export type DeleteResult = "deleted" | "bad-password" | "last-admin";

/**
 * Deletes the account when `password` is right, unless it is the last Administrator (checked inside the
 * DELETE, so it holds under concurrent deletions). Nothing changes unless the result is "deleted".
 */
export async function deleteAccount(db: Db, userId: number, password: string): Promise<DeleteResult> {
  const row = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId)).get();
  if (!row || !(await verifyPassword(password, row.hash)).ok) return "bad-password";
  const deleted = await db
    .delete(users)
    .where(and(eq(users.id, userId), not(isLastAdministrator)))
    .returning({ id: users.id });
  return deleted.length ? "deleted" : "last-admin";
}
