// The SQL conditions for blocks (features/blocks), used INSIDE each page's or write's existing statement, so a
// block costs no extra round trip and no query per row: feeds, comments, search, notifications, follows,
// comments' and messages' writes all read the blocks table through these. Each is one lookup on the blocks
// primary key (blocker_id, blocked_id), whichever side is given.
import { type SQL, sql } from "drizzle-orm";

/** Who is looking: a member's id, or null for a visitor (nothing is hidden from visitors). */
export type ViewerId = number | null;

/** True when `blocker` has blocked `blocked` (both SQL expressions: a column or a bound id). */
export function blockedBySql(blocker: SQL, blocked: SQL): SQL {
  return sql`EXISTS (SELECT 1 FROM blocks bk WHERE bk.blocker_id = ${blocker} AND bk.blocked_id = ${blocked})`;
}

/** True when member `blocker` has blocked the remote actor `remoteActor` (remote_blocks' primary key; issue 13). */
export function remoteBlockedBySql(blocker: SQL, remoteActor: SQL): SQL {
  return sql`EXISTS (SELECT 1 FROM remote_blocks rbk WHERE rbk.user_id = ${blocker} AND rbk.remote_actor_id = ${remoteActor})`;
}

/** True when either of `a` and `b` has blocked the other: what refuses a follow or a message both ways. */
export function blockedEitherWaySql(a: SQL, b: SQL): SQL {
  return sql`(${blockedBySql(a, b)} OR ${blockedBySql(b, a)})`;
}

/**
 * The filter a viewer's list adds for rows written by `author`: nothing for anonymous visitors, else "not
 * someone the viewer blocked" (`both`: nor someone who blocked the viewer, as search hides blockers).
 */
export function notHiddenFromSql(viewerId: ViewerId, author: SQL, both = false): SQL {
  if (viewerId === null) return sql`1 = 1`;
  const viewer = sql`${viewerId}`;
  return sql`NOT ${both ? blockedEitherWaySql(viewer, author) : blockedBySql(viewer, author)}`;
}
