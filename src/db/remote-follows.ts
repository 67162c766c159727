// Remote follows on the HTML profile (issue 13): the people elsewhere who follow a member (remote_followers,
// written by features/federation when their server's Follow arrives) and those the member follows (remote_follows,
// accepted), as counts and list rows beside the local ones. The users feature composes them into its profile
// statement and follow-list pages; it cannot import federation (federation imports users), hence this shared
// SQL, like db/blocks.ts. Both lookups are served by the tables' primary keys (user_id first).
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "./index";
import { remoteActors, remoteFollowers, remoteFollows } from "./schema";

export type RemoteFollowKind = "followers" | "following";

/** How many people elsewhere follow the member `user` (followers) or the member follows, accepted (following). */
export function remoteFollowCountSql(kind: RemoteFollowKind, user: SQL): SQL<number> {
  return kind === "followers"
    ? sql<number>`(SELECT count(*) FROM remote_followers rf WHERE rf.user_id = ${user})`
    : sql<number>`(SELECT count(*) FROM remote_follows rf WHERE rf.user_id = ${user} AND rf.accepted_at IS NOT NULL)`;
}

/**
 * The member's remote followers or follows as follow-list rows (columns of the users feature's local list:
 * id 0, the `@user@host` handle as the username, no local avatar, since; plus `remoteUrl`, their profile on
 * their own server, and `remoteActorId`, what a member's block of them names): a builder to UNION ALL with the
 * local rows.
 */
export function remoteFollowRowsQuery(db: Db, kind: RemoteFollowKind, user: SQL) {
  const table = kind === "followers" ? remoteFollowers : remoteFollows;
  const accepted = kind === "followers" ? sql`1 = 1` : sql`${remoteFollows.acceptedAt} IS NOT NULL`;
  return db
    .select({
      id: sql<number>`0`.as("id"),
      username: sql<string>`${remoteActors.handle}`.as("username"),
      name: sql<string | null>`${remoteActors.name}`.as("name"),
      avatar: sql<string | null>`NULL`.as("avatar"),
      since: sql<number>`${table.createdAt}`.as("since"),
      remoteUrl: sql<string | null>`coalesce(${remoteActors.url}, ${remoteActors.uri})`.as("remoteUrl"),
      remoteActorId: sql<number | null>`${table.remoteActorId}`.as("remoteActorId"),
    })
    .from(table)
    .innerJoin(remoteActors, sql`${remoteActors.id} = ${table.remoteActorId}`)
    .where(sql`${table.userId} = ${user} AND ${accepted}`);
}
