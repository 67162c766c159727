// Read side of users: the profile header (user + every count in ONE statement) and the follower /
// followed lists (one statement per page). Users are found by lower(username), which the unique index
// users_username_lower_unique serves; the lists select by a username subquery so a page and its header
// can go to D1 together in one batch. The JSON API's reads by id (a user, their follow lists, their posts and
// timeline) are here too, each one statement; their posts come from the posts feature's page, to which this
// feature adds only "does the user exist".
import { and, desc, eq, inArray, ne, not, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { avatarSourceSql } from "../../db/avatar-source";
import { blockedBySql, blockedEitherWaySql, notHiddenFromSql, type ViewerId } from "../../db/blocks";
import { remoteFollowCountSql, remoteFollowRowsQuery } from "../../db/remote-follows";
import { follows, users } from "../../db/schema";
import { buildKeysetPage, keysetPageSql, type OwnedPage, type PageRequest, pageWithHeader } from "../../lib/pagination";
import { listAuthorPostsWithSource, listFollowedPostsWithSource, type PostWithSource, postCountSql } from "../posts";
import { isLastAdministrator } from "./admins";

export const FOLLOWERS_PER_PAGE = 50;

export type ProfileRow = {
  id: number;
  username: string;
  email: string;
  name: string | null;
  location: string | null;
  aboutMe: string | null;
  memberSince: number;
  lastSeen: number;
  /** lib/avatar.ts AvatarOwner.avatar */
  avatar: string | null;
  postCount: number;
  /** People following this user, not counting the self-follow every user has. */
  followerCount: number;
  /** People this user follows, not counting themselves. */
  followingCount: number;
  /** Confirmed accounts have a fediverse actor (features/federation). */
  confirmed: boolean;
  /** The fediverse sees this member: confirmed and not left it (features/federation, issue 13). */
  federated: boolean;
  /** The viewer follows this user (false for anonymous viewers). */
  viewerFollows: boolean;
  /** This user follows the viewer (false for anonymous viewers and on one's own profile). */
  followsViewer: boolean;
  /** The viewer has blocked this user (features/blocks). */
  viewerBlocks: boolean;
};

const userIdByName = (username: string) => sql`(SELECT id FROM users WHERE lower(username) = lower(${username}))`;
const byName = (username: string) => sql`lower(${users.username}) = lower(${username})`;
const count = (q: SQL) => sql<number>`(${q})`.mapWith(Number);
const exists = (q: SQL) => sql<boolean>`EXISTS (${q})`.mapWith(Boolean);

// Query builders rather than db.all(sql``): drizzle's D1 batch() cannot run raw statements with
// parameters, and these statements are batched.

/**
 * The whole profile header in one statement: each count is a subquery served by an index
 * (posts_author_created, follows_followed_follower, the follows primary key), so its cost does not
 * grow with the number of rows on the page.
 */
export function profileQuery(db: Db, username: string, viewerId: number | null) {
  // No viewer: an id no row has, so both EXISTS are false without a separate query shape.
  const viewer = viewerId ?? -1;
  const u = users.id;
  return db
    .select({
      id: users.id,
      username: users.username,
      email: users.email,
      name: users.name,
      location: users.location,
      aboutMe: users.aboutMe,
      memberSince: users.memberSince,
      lastSeen: users.lastSeen,
      avatar: avatarSourceSql("users"),
      postCount: sql<number>`${postCountSql(sql`${u}`)}`.mapWith(Number),
      // Local follows plus those of people elsewhere (issue 13; db/remote-follows.ts).
      followerCount: count(
        sql`SELECT (SELECT count(*) FROM follows f WHERE f.followed_id = ${u} AND f.follower_id != ${u}) + ${remoteFollowCountSql("followers", sql`${u}`)}`,
      ),
      followingCount: count(
        sql`SELECT (SELECT count(*) FROM follows f WHERE f.follower_id = ${u} AND f.followed_id != ${u}) + ${remoteFollowCountSql("following", sql`${u}`)}`,
      ),
      confirmed: users.confirmed,
      federated: sql<boolean>`(${users.confirmed} = 1 AND ${users.leftFediverseAt} IS NULL)`.mapWith(Boolean),
      viewerFollows: exists(sql`SELECT 1 FROM follows f WHERE f.follower_id = ${viewer} AND f.followed_id = ${u}`),
      followsViewer: exists(sql`SELECT 1 FROM follows f WHERE f.follower_id = ${u} AND f.followed_id = ${viewer} AND ${u} != ${viewer}`),
      // Only the viewer's own blocks: whether this user blocked the viewer is never read for a page.
      viewerBlocks: sql<boolean>`${blockedBySql(sql`${viewer}`, sql`${u}`)}`.mapWith(Boolean),
    })
    .from(users)
    .where(byName(username));
}

export function toProfile(rows: ProfileRow[]): ProfileRow | null {
  return rows[0] ?? null;
}

/** `remoteUrl`: someone elsewhere (their profile on their server; `username` is their `@user@host`), null for a member here. */
export type FollowListItem = {
  id: number;
  username: string;
  name: string | null;
  avatar: string | null;
  since: number;
  remoteUrl: string | null;
  /** Someone elsewhere: their remote_actors id (a member's Block of a remote follower names it); null for a member. */
  remoteActorId: number | null;
};
export type FollowListKind = "followers" | "following";

/**
 * One page of a user's followers (who follow them) or following (whom they follow), newest first,
 * without the self-follow, nor anyone `viewerId` blocked or who blocked `viewerId` (features/blocks). Offset
 * pagination: these lists are small per user and page numbers are what people expect here.
 */
export function followListQuery(db: Db, kind: FollowListKind, username: string, page: number, perPage: number, viewerId: number | null = null) {
  // followers: rows pointing at the user, listing the follower; following: the reverse.
  const [mine, other] = kind === "followers" ? [follows.followedId, follows.followerId] : [follows.followerId, follows.followedId];
  const local = db
    .select({
      id: users.id,
      username: users.username,
      name: users.name,
      avatar: sql<string | null>`${avatarSourceSql("users")}`.as("avatar"),
      since: sql<number>`${follows.createdAt}`.as("since"),
      remoteUrl: sql<string | null>`NULL`.as("remoteUrl"),
      remoteActorId: sql<number | null>`NULL`.as("remoteActorId"),
    })
    .from(follows)
    .innerJoin(users, eq(users.id, other))
    .where(and(eq(mine, userIdByName(username)), ne(follows.followerId, follows.followedId), notHiddenFromSql(viewerId, sql`${other}`, true)));
  // People elsewhere in the same list, by the time they followed (issue 13; remote rows have id 0).
  return local
    .unionAll(remoteFollowRowsQuery(db, kind, userIdByName(username)))
    .orderBy(desc(sql`since`), desc(sql`id`))
    .limit(perPage)
    .offset((page - 1) * perPage);
}

/**
 * Follow the user named `username`; nothing happens if the row exists (a repeat, a race, oneself) or if either
 * of the two has blocked the other (the rule is in the INSERT's own WHERE, so a block and a follow racing
 * cannot both win).
 */
export function followInsert(db: Db, followerId: number, username: string, now: number) {
  // The WHERE clause also keeps SQLite from reading ON CONFLICT as a join constraint.
  return db
    .insert(follows)
    .select(
      db
        .select({ followerId: sql<number>`${followerId}`.as("follower_id"), followedId: users.id, createdAt: sql<number>`${now}`.as("created_at") })
        .from(users)
        .where(and(byName(username), not(blockedEitherWaySql(sql`${users.id}`, sql`${followerId}`)))),
    )
    .onConflictDoNothing()
    .returning({ followedId: follows.followedId });
}

/**
 * The self-follow every user has (their own posts are in their feed), for the batch that creates the
 * account with this address: it reads the new row by email, so it must come after that row's INSERT.
 */
export function selfFollowStatement(db: Db, email: string, now: number) {
  return db.insert(follows).select(
    db
      .select({ followerId: users.id, followedId: users.id, createdAt: sql<number>`${now}`.as("created_at") })
      .from(users)
      .where(eq(users.email, email)),
  );
}

/** Unfollow; never deletes the self-follow (own posts stay in one's feed, unlike Flasky issue #570). */
export function followDelete(db: Db, followerId: number, username: string) {
  return db
    .delete(follows)
    .where(and(eq(follows.followerId, followerId), eq(follows.followedId, userIdByName(username)), ne(follows.followedId, followerId)))
    .returning({ followedId: follows.followedId });
}

export function userByNameQuery(db: Db, username: string) {
  return db.select({ id: users.id, username: users.username, name: users.name }).from(users).where(byName(username));
}

/** A member's public identity by name (case-insensitive): what a feed or an actor document shows. */
export type PublicMember = { id: number; username: string; name: string | null; aboutMe: string | null; memberSince: number; avatar: string | null };

/**
 * By name (case-insensitive) or by id; with `federatedOnly`, only members the fediverse may see: confirmed,
 * and not left the fediverse (issue 13).
 */
export async function getPublicMember(db: Db, who: { username: string } | { id: number }, federatedOnly = false): Promise<PublicMember | undefined> {
  const where = "id" in who ? sql`u.id = ${who.id}` : sql`lower(u.username) = lower(${who.username})`;
  const rows = await db.all<PublicMember>(sql`SELECT u.id, u.username, u.name, u.about_me AS aboutMe, u.member_since AS memberSince,
    ${avatarSourceSql("u")} AS avatar FROM users u WHERE ${where}${federatedOnly ? sql` AND u.confirmed = 1 AND u.left_fediverse_at IS NULL` : sql``}`);
  return rows[0];
}

/** How many follow the user (followers) or the user follows (following), the self-follow left out. */
export async function followCount(db: Db, kind: FollowListKind, userId: number): Promise<number> {
  const mine = kind === "followers" ? sql`followed_id` : sql`follower_id`;
  const row = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM follows WHERE ${mine} = ${userId} AND follower_id != followed_id`);
  return row?.n ?? 0;
}

/** The user named `username` and whether a block stands between them and `viewerId` (either way): one statement. */
export function userWithBlockQuery(db: Db, username: string, viewerId: number) {
  return db
    .select({ id: users.id, username: users.username, blocked: exists(sql`SELECT 1 WHERE ${blockedEitherWaySql(sql`${users.id}`, sql`${viewerId}`)}`) })
    .from(users)
    .where(byName(username));
}

/** The profile's follower count (local and remote, as profileQuery counts it), after a follow or unfollow. */
export function followerCountQuery(db: Db, username: string) {
  const user = userIdByName(username);
  return db
    .select({ n: sql<number>`count(*) + ${remoteFollowCountSql("followers", user)}`.mapWith(Number) })
    .from(follows)
    .where(and(eq(follows.followedId, user), ne(follows.followerId, follows.followedId)));
}

// --- By id, for the JSON API ----------------------------------------------------------------------

export type PublicUser = { id: number; username: string; memberSince: number; lastSeen: number; postCount: number };

const PUBLIC_COLUMNS = sql`u.id, u.username, u.member_since AS memberSince, u.last_seen AS lastSeen, ${postCountSql(sql`u.id`)} AS postCount`;
/** Whether user `id` exists: the `found` of a list that belongs to a user. */
const userExistsSql = (id: number) => sql`EXISTS (SELECT 1 FROM users WHERE id = ${id})`;

export async function getPublicUser(db: Db, id: number): Promise<PublicUser | undefined> {
  const rows = await db.all<PublicUser>(sql`SELECT ${PUBLIC_COLUMNS} FROM users u WHERE u.id = ${id}`);
  return rows[0];
}

/**
 * Followers (who follow the user) or following (whom the user follows), most recent first, without the
 * self-follow every user has, plus the total (the public count, as on the profile). Keyset on (follow time,
 * other user's id). Nobody the caller blocked or who blocked the caller is listed (features/blocks).
 */
export async function listFollowPage(db: Db, kind: FollowListKind, userId: number, req: PageRequest, caller: ViewerId = null): Promise<OwnedPage<PublicUser>> {
  const [mine, other] = kind === "followers" ? [sql`f.followed_id`, sql`f.follower_id`] : [sql`f.follower_id`, sql`f.followed_id`];
  const total = sql`(SELECT count(*) FROM follows f WHERE ${mine} = ${userId} AND f.follower_id != f.followed_id)`;
  const select = sql`SELECT ${PUBLIC_COLUMNS}, f.created_at AS since FROM follows f JOIN users u ON u.id = ${other}`;
  const where = sql`${mine} = ${userId} AND f.follower_id != f.followed_id AND ${notHiddenFromSql(caller, other, true)}`;
  const page = keysetPageSql({ select, where, ts: sql`f.created_at`, id: other }, req, FOLLOWERS_PER_PAGE);
  const r = await pageWithHeader<PublicUser & { since: number }>(
    db,
    { found: userExistsSql(userId), total },
    page,
    (dir) => sql`l.since ${dir}, l.id ${dir}`,
    req,
  );
  const built = buildKeysetPage(req, r.rows, FOLLOWERS_PER_PAGE, (u) => ({ ts: u.since, id: u.id }));
  return { ...built, items: built.items.map(({ since: _s, ...u }) => u), found: r.found, total: r.total };
}

/** The user's posts with their total (found: false when there is no such user), as the caller is shown them (blocks). */
export function listUserPostsWithSource(db: Db, userId: number, req: PageRequest, callerId: number | null = null): Promise<OwnedPage<PostWithSource>> {
  return listAuthorPostsWithSource(db, userId, req, userExistsSql(userId), callerId);
}

/** Posts of everyone the user follows, their own included, as the caller is shown them (blocks); no total. */
export function listTimelineWithSource(db: Db, userId: number, req: PageRequest, callerId: number | null = null): Promise<OwnedPage<PostWithSource>> {
  return listFollowedPostsWithSource(db, userId, req, userExistsSql(userId), callerId);
}

// --- The account's data export and deletion -------------------------------------------------------

/** The account row as its owner may download it, with the role's name. */
export function accountExportQuery(db: Db, userId: number) {
  return db
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
      avatarVersion: users.avatarVersion,
      useGravatar: users.useGravatar,
      // The language setting (issue 12): "en", "es" or null for automatic.
      locale: users.locale,
      role: sql<string>`(SELECT name FROM roles WHERE id = ${users.roleId})`,
    })
    .from(users)
    .where(eq(users.id, userId));
}

/** Everyone the user follows (`following`) or who follows them (`followers`), without the self-follow, by username. */
export function followsExportQuery(db: Db, kind: FollowListKind, userId: number) {
  const [mine, other] = kind === "followers" ? [follows.followedId, follows.followerId] : [follows.followerId, follows.followedId];
  return db
    .select({ username: users.username, since: follows.createdAt })
    .from(follows)
    .innerJoin(users, eq(users.id, other))
    .where(and(eq(mine, userId), ne(other, userId)));
}

/** Deletes the account; foreign keys cascade to everything that is theirs (posts, comments, follows, tokens, sites). */
/**
 * Deletes the user (their rows go by cascade), unless they are the last Administrator: the rule sits in the
 * DELETE's own WHERE, so concurrent deletions cannot remove every Administrator. False when nothing was deleted.
 */
export async function deleteUser(db: Db, userId: number): Promise<boolean> {
  const deleted = await db
    .delete(users)
    .where(and(eq(users.id, userId), not(isLastAdministrator)))
    .returning({ id: users.id });
  return deleted.length > 0;
}

/** The usernames of these ids, as a batch statement (the edge cache's purge turns ids into profile URLs). */
export function usernamesQuery(db: Db, ids: number[]) {
  return db.select({ id: users.id, username: users.username }).from(users).where(inArray(users.id, ids));
}
