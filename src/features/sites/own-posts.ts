// Roost measures itself: views of a member's posts, counted by the same pipeline as any site (tracker.js or
// the <noscript> pixel → the beacon → the visits queue → ingest and rollups: no cookie, no IP stored, DNT/GPC
// and bots ignored by the beacon). Each author has one ordinary site row whose base URL is this Roost's
// `/post` (so their /sites list and full report show their posts' traffic, owner only as always); it is
// made when they publish (a post.created subscriber) or open "Your posts". Views read the `page` rollup
// (visit_dims) only. A post page embeds the tracker for its author's site, so edge-cached anonymous copies
// are counted when they are shown, not when they are rendered.
import { and, asc, desc, eq, gte, sql } from "drizzle-orm";
import { type Config, DAY } from "../../config";
import type { Db } from "../../db";
import { sites, visitDims } from "../../db/schema";
import type { EventContext, Reaction } from "../../events/commit";
import type { EventOf } from "../../events/types";
import { dayStart } from "./period";

/** The window of the counts the author sees: the last 30 UTC days, today included. */
export const POST_VIEW_DAYS = 30;
/** The most posts "Your posts" lists (the most viewed first); their ids stay under D1's 100 bound parameters. */
export const MAX_POST_ROWS = 50;

export const postsSiteBaseUrl = (config: Pick<Config, "baseUrl">) => `${config.baseUrl.replace(/\/+$/, "")}/post`;
const postPath = (postId: number) => `/post/${postId}`;
const since = (now: number) => dayStart(now) - (POST_VIEW_DAYS - 1) * DAY;

/** Makes the author's posts site unless they have it (the unique (user_id, base_url) index decides). */
const ensureQuery = (db: Db, config: Pick<Config, "baseUrl">, userId: number, now: number) =>
  db
    .insert(sites)
    .values({ userId, name: "Your posts on Roost", baseUrl: postsSiteBaseUrl(config), createdAt: now })
    .onConflictDoNothing();

/** post.created: the author's posts site exists from their first post on, in the post's own batch. */
export const ensurePostsSite = (ctx: EventContext, e: EventOf<"post.created">): Reaction => ({
  statements: [ensureQuery(ctx.db, ctx.config, e.authorId, ctx.now)],
});

export type PostPageAnalytics = {
  /** The author's posts site (the tracker's data-site), or null when they have none yet. */
  siteId: number | null;
  /** Views in the last POST_VIEW_DAYS days: only when the viewer is the author, else null. */
  views: number | null;
};

/**
 * What the post page needs, in ONE statement: the author's site id (for everyone: the tracker), and the
 * post's views only when the viewer is the author (the owner check is in the SQL, not only in the view).
 */
export async function postPageAnalytics(
  db: Db,
  config: Pick<Config, "baseUrl">,
  q: { postId: number; authorId: number; viewerId: number | null; now?: number },
): Promise<PostPageAnalytics> {
  const row = await db.$client
    .prepare(
      `SELECT s.id AS siteId, CASE WHEN s.user_id = ?3 THEN (SELECT coalesce(sum(d.n), 0) FROM visit_dims d
          WHERE d.site_id = s.id AND d.dim = 'page' AND d.day >= ?4 AND d.value = ?5) END AS views
        FROM sites s WHERE s.user_id = ?1 AND s.base_url = ?2`,
    )
    .bind(q.authorId, postsSiteBaseUrl(config), q.viewerId ?? -1, since(q.now ?? Date.now()), postPath(q.postId))
    .first<{ siteId: number; views: number | null }>();
  return { siteId: row?.siteId ?? null, views: row ? row.views : null };
}

/**
 * The member's posts with views in the last POST_VIEW_DAYS days, most viewed first (at most MAX_POST_ROWS),
 * in one round trip that also makes their posts site if they have none (so counting starts now).
 */
export async function ownPostViews(db: Db, config: Pick<Config, "baseUrl">, userId: number, now = Date.now()): Promise<{ postId: number; views: number }[]> {
  const views = sql<number>`sum(${visitDims.n})`.mapWith(Number);
  const [, rows] = await db.batch([
    ensureQuery(db, config, userId, now),
    db
      .select({ path: visitDims.value, views })
      .from(sites)
      .innerJoin(visitDims, and(eq(visitDims.siteId, sites.id), eq(visitDims.dim, "page"), gte(visitDims.day, since(now))))
      .where(and(eq(sites.userId, userId), eq(sites.baseUrl, postsSiteBaseUrl(config))))
      .groupBy(visitDims.value)
      .having(sql`${views} > 0`)
      .orderBy(desc(views), asc(visitDims.value))
      .limit(MAX_POST_ROWS * 2),
  ]);
  const out: { postId: number; views: number }[] = [];
  for (const r of rows) {
    const m = /^\/post\/(\d+)$/.exec(r.path);
    if (m && out.length < MAX_POST_ROWS) out.push({ postId: Number(m[1]), views: Number(r.views) });
  }
  return out;
}
