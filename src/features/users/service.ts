// User rules: profiles, profile edits (own and admin), follow / unfollow and follower lists. Other
// features use these exported functions, never the tables directly. Every page here costs a fixed
// number of D1 round trips: related statements go together in one db.batch().
import { and, asc, eq, ne, not, or, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { avatarSourceSql } from "../../db/avatar-source";
import { roles, users } from "../../db/schema";
import { type EventContext, publish } from "../../events/commit";
import { t } from "../../i18n";
import { avatarHash } from "../../lib/avatar";
import { Permission } from "../../lib/permissions";
import { isUniqueViolation } from "../../lib/sql-errors";
import { isLastAdministrator } from "./admins";
import {
  FOLLOWERS_PER_PAGE,
  type FollowListItem,
  type FollowListKind,
  followDelete,
  followerCountQuery,
  followInsert,
  followListQuery,
  type ProfileRow,
  profileQuery,
  toProfile,
  userByNameQuery,
  userWithBlockQuery,
} from "./queries";
import type { AdminEditInput, ProfileInput } from "./schemas";

export type { FollowListItem, FollowListKind, ProfileRow };

/** Usernames that cannot exist (registration's pattern, at most 64) are answered without a query. */
const POSSIBLE_USERNAME = /^[A-Za-z][A-Za-z0-9_.]{0,63}$/;
export const isPossibleUsername = (name: string) => POSSIBLE_USERNAME.test(name);

// ---------------------------------------------------------------------------------------------------
// Lookups

export type PublicUser = { id: number; username: string; name: string | null };

/** The profile header (user, counts, follow relations with the viewer) in one query. */
export async function getProfile(db: Db, username: string, viewerId: number | null): Promise<ProfileRow | null> {
  if (!isPossibleUsername(username)) return null;
  return toProfile(await profileQuery(db, username, viewerId));
}

// ---------------------------------------------------------------------------------------------------
// Follow / unfollow

/** A follow refused by a block, either way: the same words whoever blocked whom (features/blocks). */
export const FOLLOW_BLOCKED = "You can't follow this member.";

export type FollowOutcome = "followed" | "already-following" | "unfollowed" | "not-following" | "self" | "blocked";
export type FollowResult = { outcome: "unknown-user" } | { outcome: FollowOutcome; user: { id: number; username: string }; followerCount: number };

/**
 * One round trip: the lookup, the write and the new follower count run in one batch (one transaction),
 * so the count matches the write. The write's own row count decides the outcome, so a repeat or a
 * concurrent duplicate is "already following", never an error; only a new follow is announced.
 */
export async function followUser(ctx: EventContext, followerId: number, username: string): Promise<FollowResult> {
  if (!isPossibleUsername(username)) return { outcome: "unknown-user" };
  const { db } = ctx;
  const [found, inserted, count] = await db.batch([
    userWithBlockQuery(db, username, followerId),
    followInsert(db, followerId, username, ctx.now),
    followerCountQuery(db, username),
  ]);
  const user = found[0];
  if (!user) return { outcome: "unknown-user" };
  // Following oneself: the self-follow row already exists, so this is "already following". A block either
  // way refused the insert (its WHERE); the answer does not say who blocked whom.
  const outcome = inserted.length === 1 ? "followed" : user.blocked ? "blocked" : "already-following";
  if (outcome === "followed") await publish(ctx, [{ type: "user.followed", followerId, followedId: user.id }]);
  return { outcome, user: { id: user.id, username: user.username }, followerCount: count[0]?.n ?? 0 };
}

/** Same shape as followUser. The self-follow is never removed (the DELETE itself excludes it). */
export async function unfollowUser(ctx: EventContext, followerId: number, username: string): Promise<FollowResult> {
  if (!isPossibleUsername(username)) return { outcome: "unknown-user" };
  const { db } = ctx;
  const [found, deleted, count] = await db.batch([userByNameQuery(db, username), followDelete(db, followerId, username), followerCountQuery(db, username)]);
  const user = found[0];
  if (!user) return { outcome: "unknown-user" };
  const outcome = user.id === followerId ? "self" : deleted.length === 1 ? "unfollowed" : "not-following";
  if (outcome === "unfollowed") await publish(ctx, [{ type: "user.unfollowed", followerId, followedId: user.id }]);
  return { outcome, user: { id: user.id, username: user.username }, followerCount: count[0]?.n ?? 0 };
}

// ---------------------------------------------------------------------------------------------------
// Follower lists

export type FollowListPage = {
  user: ProfileRow;
  items: FollowListItem[];
  page: number;
  totalPages: number;
  total: number;
};

/**
 * A page of followers or following plus the user's header, in one round trip; null for unknown users. The
 * list leaves out whoever a block hides from `viewerId` (either way); the total is the profile's public count.
 */
export async function listFollows(
  db: Db,
  kind: FollowListKind,
  username: string,
  page: number,
  viewerId: number | null = null,
): Promise<FollowListPage | null> {
  if (!isPossibleUsername(username)) return null;
  const [header, items] = await db.batch([profileQuery(db, username, null), followListQuery(db, kind, username, page, FOLLOWERS_PER_PAGE, viewerId)]);
  const user = toProfile(header);
  if (!user) return null;
  const total = kind === "followers" ? user.followerCount : user.followingCount;
  return { user, items, page, total, totalPages: Math.max(1, Math.ceil(total / FOLLOWERS_PER_PAGE)) };
}

// ---------------------------------------------------------------------------------------------------
// Editing profiles

export type EditableProfile = {
  name: string | null;
  location: string | null;
  aboutMe: string | null;
  useGravatar: boolean;
  /** The language setting, null for automatic. */
  locale: string | null;
  /** lib/avatar.ts AvatarOwner.avatar: the picture shown now. */
  avatar: string | null;
  hasUpload: boolean;
};

export async function getEditableProfile(db: Db, userId: number): Promise<EditableProfile | null> {
  const row = await db
    .select({
      name: users.name,
      location: users.location,
      aboutMe: users.aboutMe,
      useGravatar: users.useGravatar,
      locale: users.locale,
      avatar: avatarSourceSql("users"),
      avatarVersion: users.avatarVersion,
    })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!row) return null;
  const { avatarVersion, ...rest } = row;
  return { ...rest, hasUpload: avatarVersion !== null };
}

export async function updateProfile(ctx: EventContext, userId: number, input: ProfileInput): Promise<void> {
  await ctx.db
    .update(users)
    .set({ name: input.name, location: input.location, aboutMe: input.about_me, useGravatar: input.gravatar, locale: input.locale })
    .where(eq(users.id, userId));
  await publish(ctx, [{ type: "user.profile_updated", userId }]);
}

export type RoleOption = { id: number; name: string };
export type AdminEditable = {
  id: number;
  email: string;
  username: string;
  confirmed: boolean;
  roleId: number;
  name: string | null;
  location: string | null;
  aboutMe: string | null;
};

const adminColumns = {
  id: users.id,
  email: users.email,
  username: users.username,
  confirmed: users.confirmed,
  roleId: users.roleId,
  name: users.name,
  location: users.location,
  aboutMe: users.aboutMe,
};

const rolesQuery = (db: Db) => db.select({ id: roles.id, name: roles.name }).from(roles).orderBy(asc(roles.permissions), asc(roles.id));

/** The user to edit and the roles to choose from, in one round trip; null for an unknown id. */
export async function getUserForAdmin(db: Db, userId: number): Promise<{ user: AdminEditable; roles: RoleOption[] } | null> {
  const [found, roleList] = await db.batch([db.select(adminColumns).from(users).where(eq(users.id, userId)), rolesQuery(db)]);
  const user = found[0];
  return user ? { user, roles: roleList } : null;
}

export type AdminUpdateResult =
  | { ok: true; username: string }
  | { ok: false; notFound: true }
  | { ok: false; notFound: false; errors: Record<string, string>; roles: RoleOption[]; currentUsername: string };

function uniqueViolation(err: unknown): "email" | "username" | null {
  return isUniqueViolation(err, "users.email") ? "email" : isUniqueViolation(err, "username") ? "username" : null;
}

/**
 * The admin editor's save: the same uniqueness rules as registration (email, and username
 * case-insensitively, among the other users); a new email gets its avatar hash recomputed. The checks
 * are one batch; a concurrent change that slips past them is caught by the UNIQUE indexes.
 */
export async function adminUpdateUser(db: Db, userId: number, input: AdminEditInput): Promise<AdminUpdateResult> {
  const [target, roleList, taken, newRole] = await db.batch([
    db.select({ id: users.id, username: users.username }).from(users).where(eq(users.id, userId)),
    rolesQuery(db),
    db
      .select({ email: users.email, username: users.username })
      .from(users)
      .where(and(ne(users.id, userId), or(eq(users.email, input.email), sql`lower(${users.username}) = lower(${input.username})`))),
    db.select({ permissions: roles.permissions }).from(roles).where(eq(roles.id, input.role)),
  ]);
  const current = target[0];
  if (!current) return { ok: false, notFound: true };
  const fail = (errors: Record<string, string>) => ({
    ok: false as const,
    notFound: false as const,
    errors,
    roles: roleList,
    currentUsername: current.username,
  });
  const errors: Record<string, string> = {};
  if (taken.some((u) => u.email === input.email)) errors.email = t("auth.emailTaken");
  if (taken.some((u) => u.username.toLowerCase() === input.username.toLowerCase())) errors.username = t("auth.usernameTaken");
  if (!roleList.some((r) => r.id === input.role)) errors.role = t("users.v.roleFromList");
  if (Object.keys(errors).length) return fail(errors);
  // Saving a confirmed Administrator can never leave nobody to moderate; anything else must not touch
  // the last one (checked in the UPDATE itself, so concurrent edits cannot both demote).
  const staysAdmin = input.confirmed && ((newRole[0]?.permissions ?? 0) & Permission.ADMIN) !== 0;
  try {
    const updated = await db
      .update(users)
      .set({
        email: input.email,
        username: input.username,
        confirmed: input.confirmed,
        roleId: input.role,
        name: input.name,
        location: input.location,
        aboutMe: input.about_me,
        avatarHash: await avatarHash(input.email),
      })
      .where(and(eq(users.id, userId), staysAdmin ? undefined : not(isLastAdministrator)))
      .returning({ username: users.username });
    if (!updated[0]) {
      // Deleted between the check and the write, or the last Administrator.
      const still = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
      return still[0] ? fail({ role: t("users.lastAdminOther") }) : { ok: false, notFound: true };
    }
    return { ok: true, username: updated[0].username };
  } catch (err) {
    const field = uniqueViolation(err);
    if (field === "email") return fail({ email: t("auth.emailTaken") });
    if (field === "username") return fail({ username: t("auth.usernameTaken") });
    throw err;
  }
}
