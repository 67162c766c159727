// The notes of people elsewhere that a member follows (issue 13: remote_follows accepted → remote_posts, written by
// features/federation) as rows of the Followed feed. The posts feature merges them with local posts by time in
// the same statement; it cannot import federation (federation imports posts), hence this shared SQL, like
// db/blocks.ts.
import { type SQL, sql } from "drizzle-orm";
import type { KeysetQuery } from "../lib/pagination";

/**
 * Remote posts' ids in a merged feed are offset by this, so a feed's keyset (time, id) never ties a local post
 * with a remote one (local ids will not reach 10^12; cursors take 15 digits).
 */
export const REMOTE_FEED_ID_OFFSET = 1_000_000_000_000;

/** The columns a local row of a merged feed adds (none of it remote). */
export const LOCAL_ROW_REMOTE_COLUMNS = sql`, NULL AS remoteUrl, NULL AS remoteProfile`;

/**
 * The viewer's remote notes as feed rows, columns in the order of the posts list's SELECT plus
 * LOCAL_ROW_REMOTE_COLUMNS: the author is the remote actor (name, `@user@host` as the username, no local id,
 * avatar or like count; `commentCount` is the viewer's own replies to the note and `liked` their like), `remoteUrl` the original, `remoteProfile` the actor's profile page; none from a
 * blocked server. Walks remote_posts_actor_published per followed actor.
 */
export function followedRemotePostsQuery(viewerId: number): KeysetQuery {
  const id: SQL = sql`(rp.id + ${REMOTE_FEED_ID_OFFSET})`;
  return {
    select: sql`SELECT ${id} AS id, rp.content_html AS bodyHtml, rp.published_at AS createdAt, rp.updated_at AS updatedAt,
      0 AS authorId, ra.handle AS authorUsername, ra.name AS authorName, NULL AS authorAvatar, (SELECT count(*) FROM remote_replies r WHERE r.remote_post_id = rp.id AND r.user_id = ${viewerId}) AS commentCount, 0 AS likeCount, 0 AS boostCount,
      EXISTS (SELECT 1 FROM remote_post_likes l WHERE l.user_id = ${viewerId} AND l.remote_post_id = rp.id) AS liked,
      rp.url AS remoteUrl, coalesce(ra.url, ra.uri) AS remoteProfile
      FROM remote_follows rf JOIN remote_posts rp ON rp.remote_actor_id = rf.remote_actor_id JOIN remote_actors ra ON ra.id = rf.remote_actor_id`,
    // A blocked server's notes (its host or a parent domain listed, as features/federation's block list reads)
    // leave every feed at once; blocked_servers is small.
    where: sql`rf.user_id = ${viewerId} AND rf.accepted_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM blocked_servers b WHERE ra.host = b.host OR ra.host LIKE '%.' || b.host)`,
    ts: sql`rp.published_at`,
    id,
  };
}
