// Every D1 table and index: the single source of truth for the data model.
// Timestamps are epoch milliseconds (UTC) in INTEGER columns everywhere.
import { sql } from "drizzle-orm";
import { type AnySQLiteColumn, check, index, integer, primaryKey, type SQLiteColumnBuilderBase, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { visitDataColumns } from "./visit-fields";

/** A row's owner (user, post, site): required, and deleted with it. */
const cascadeRef = (column: string, parent: () => AnySQLiteColumn) => integer(column).notNull().references(parent, { onDelete: "cascade" });
/** A rollup's count: starts at 0, and upserts add to it. */
const counter = (column: string) => integer(column).notNull().default(0);
/** A surrogate key: SQLite's rowid, never reused once deleted (AUTOINCREMENT), so old links cannot point at new rows. */
const autoId = () => integer("id").primaryKey({ autoIncrement: true });
/** When the row was written, in epoch milliseconds. */
const createdAt = () => integer("created_at").notNull();

export const roles = sqliteTable("roles", {
  id: autoId(),
  name: text("name").notNull().unique(),
  isDefault: integer("is_default", { mode: "boolean" }).notNull().default(false),
  permissions: integer("permissions").notNull(),
});

export const users = sqliteTable(
  "users",
  {
    id: autoId(),
    email: text("email").notNull().unique(),
    username: text("username").notNull(),
    passwordHash: text("password_hash").notNull(),
    roleId: integer("role_id")
      .notNull()
      .references(() => roles.id),
    confirmed: integer("confirmed", { mode: "boolean" }).notNull().default(false),
    name: text("name"),
    location: text("location"),
    aboutMe: text("about_me"),
    memberSince: integer("member_since").notNull(),
    lastSeen: integer("last_seen").notNull(),
    avatarHash: text("avatar_hash").notNull(),
    // Avatars (issue 15): the version (upload time, ms) of a picture in the AVATARS bucket, NULL for none;
    // use_gravatar is the member's opt-in to show Gravatar (which reveals avatar_hash) instead of the default.
    avatarVersion: integer("avatar_version"),
    useGravatar: integer("use_gravatar", { mode: "boolean" }).notNull().default(false),
    sessionEpoch: counter("session_epoch"),
    // Left the fediverse (issue 13): when set, the member's actor, outbox and collections answer 410 Gone and
    // WebFinger does not find them; clearing it (rejoining) serves them again. Local pages are unaffected.
    leftFediverseAt: integer("left_fediverse_at"),
    // Issue 12: the member's language ("en", "es"); NULL is "automatic" (Accept-Language, else English).
    locale: text("locale"),
  },
  (t) => [uniqueIndex("users_username_lower_unique").on(sql`lower(${t.username})`)],
);

export const follows = sqliteTable(
  "follows",
  {
    followerId: cascadeRef("follower_id", () => users.id),
    followedId: cascadeRef("followed_id", () => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.followerId, t.followedId] }), index("follows_followed_follower").on(t.followedId, t.followerId)],
);

/** What posts and comments both are: an author's Markdown and its sanitized HTML, rendered once on write. */
const writing = () => ({
  authorId: cascadeRef("author_id", () => users.id),
  body: text("body").notNull(),
  bodyHtml: text("body_html").notNull(),
  createdAt: createdAt(),
});

/** Posts: Markdown source and the sanitized HTML rendered once, on write. */
export const posts = sqliteTable(
  "posts",
  {
    id: autoId(),
    ...writing(),
    updatedAt: integer("updated_at").notNull(),
    /**
     * How many post_likes rows point here, plus remote likes (remote_reactions, kind like): kept by triggers
     * (migrations/0008 and inbound_notes), so lists read it for free.
     */
    likeCount: counter("like_count"),
    /** Boosts from the fediverse (remote_reactions, kind announce), kept by triggers like like_count. */
    boostCount: counter("boost_count"),
  },
  // SQLite appends the rowid (id) to every index key, so both serve keyset order (created_at, id).
  (t) => [index("posts_author_created").on(t.authorId, t.createdAt), index("posts_created").on(t.createdAt)],
);

/** Comments on posts. A moderator can disable one: its text is then never sent to browsers. */
export const comments = sqliteTable(
  "comments",
  {
    id: autoId(),
    postId: cascadeRef("post_id", () => posts.id),
    /** The member who wrote it; NULL for a reply from another server (then remote_actor_id is set). */
    authorId: integer("author_id").references(() => users.id, { onDelete: "cascade" }),
    body: text("body").notNull(),
    bodyHtml: text("body_html").notNull(),
    createdAt: createdAt(),
    disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
    /** A reply from the fediverse (features/federation, issue 13): its author and its Note's id (once each). */
    remoteActorId: integer("remote_actor_id").references((): AnySQLiteColumn => remoteActors.id, { onDelete: "cascade" }),
    noteUri: text("note_uri").unique(),
  },
  // (post_id, created_at) serves a post's comment pages and its count; (created_at) the moderation list.
  (t) => [
    index("comments_post_created").on(t.postId, t.createdAt),
    index("comments_created").on(t.createdAt),
    index("comments_author").on(t.authorId),
    index("comments_remote_actor").on(t.remoteActorId).where(sql`remote_actor_id IS NOT NULL`),
    // Exactly one author: a member or a remote actor.
    check("comments_one_author", sql`(author_id IS NULL) != (remote_actor_id IS NULL)`),
  ],
);

/**
 * Single-use mailed tokens (confirm, reset, change email, undo email) and API tokens ("api": reusable until
 * they expire, are revoked or the password changes). Only the SHA-256 of the token is stored.
 * `new_email` is the address a mailed link was sent to: the new address for change_email, the old one (to
 * restore) for undo_email, the account's address for confirm and reset. Using a link mailed to ADMIN_EMAIL
 * is what grants the Administrator role.
 */
export const authTokens = sqliteTable(
  "auth_tokens",
  {
    id: autoId(),
    tokenHash: text("token_hash").notNull().unique(),
    userId: cascadeRef("user_id", () => users.id),
    purpose: text("purpose", { enum: ["confirm", "reset", "change_email", "undo_email", "api"] }).notNull(),
    newEmail: text("new_email"),
    createdAt: createdAt(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("auth_tokens_user").on(t.userId)],
);

/** Timestamped events for exact sliding-window rate limits (login failures, mail requests). */
export const rateEvents = sqliteTable(
  "rate_events",
  {
    id: autoId(),
    bucket: text("bucket").notNull(),
    key: text("key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("rate_events_bucket_key_time").on(t.bucket, t.key, t.createdAt)],
);

export const mailOutbox = sqliteTable(
  "mail_outbox",
  {
    id: autoId(),
    to: text("to").notNull(),
    kind: text("kind").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    /** pending → sending → sent | captured (development) | failed */
    status: text("status", { enum: ["pending", "sending", "sent", "captured", "failed"] })
      .notNull()
      .default("pending"),
    attempts: counter("attempts"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    /** Set when a consumer claims the row; a stale claim can be taken over. */
    lockedAt: integer("locked_at"),
    sentAt: integer("sent_at"),
  },
  (t) => [index("mail_outbox_status_created").on(t.status, t.createdAt)],
);

export type UserRow = typeof users.$inferSelect;
export type RoleRow = typeof roles.$inferSelect;
export type PostRow = typeof posts.$inferSelect;
export type CommentRow = typeof comments.$inferSelect;

// --- Site analytics (features/sites) ----------------------------------------------------------------
// Raw visits are written only by the visits queue consumer, together with the rollups that reports read,
// in one db.batch per message batch (see docs/architecture.md, "Analytics"). Days and hours are UTC, as
// epoch ms of their first millisecond.

/** A member's website. base_url is canonical (lower-case host, no trailing slash, query or fragment). */
export const sites = sqliteTable(
  "sites",
  {
    id: autoId(),
    userId: cascadeRef("user_id", () => users.id),
    name: text("name").notNull(),
    baseUrl: text("base_url").notNull(),
    createdAt: createdAt(),
    /** IANA zone the reports count days and hours in (lib/zoned-days.ts); rollups stay UTC, so a change applies to the past. */
    timeZone: text("time_zone").notNull().default("UTC"),
    /** The read-only report is open to anyone at /sites/<id>/public. */
    isPublic: integer("is_public", { mode: "boolean" }).notNull().default(false),
    /** Summary mails to the owner (features/sites/mail-report.ts); off until the owner turns them on. */
    reportWeekly: integer("report_weekly", { mode: "boolean" }).notNull().default(false),
    reportMonthly: integer("report_monthly", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [uniqueIndex("sites_user_base_url").on(t.userId, t.baseUrl)],
);

/**
 * Read-only links to a site's report (/share/<token>): only the token's SHA-256 is kept, so the owner sees a
 * link once; revoking deletes the row. An optional password is stored as lib/password.ts hashes it.
 */
export const siteShares = sqliteTable(
  "site_shares",
  {
    id: autoId(),
    siteId: siteRef(),
    tokenHash: text("token_hash").notNull(),
    label: text("label").notNull(),
    passwordHash: text("password_hash"),
    createdAt: createdAt(),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [uniqueIndex("site_shares_token_hash").on(t.tokenHash), index("site_shares_site").on(t.siteId)],
);

/**
 * Summary mails already written for a site's period (kind weekly|monthly, period = its first local day):
 * inserted in the same batch as the mail's outbox row, so a period is mailed once however often cron runs.
 */
export const siteReportMails = sqliteTable(
  "site_report_mails",
  {
    siteId: siteRef(),
    kind: text("kind", { enum: ["weekly", "monthly"] }).notNull(),
    period: text("period").notNull(),
    outboxId: integer("outbox_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.kind, t.period] })],
);

/** A row of a site's (its analytics, shares, mails): deleted with the site. */
function siteRef() {
  return cascadeRef("site_id", () => sites.id);
}

/** A visitor (their id for the day) and that UTC day: what visitor_days and goal_visitor_days are kept per. */
const visitorDay = () => ({
  day: integer("day").notNull(),
  visitor: text("visitor").notNull(),
});

/** The columns a site's goals and funnels start with: their id, and their site (deleted with it). */
const siteItem = () => ({ id: autoId(), siteId: siteRef() });

/**
 * A site's goals (features/sites/goals.ts): a custom event's name (kind "event") or a pageview of a path
 * pattern (kind "page": `/pricing`, `/blog/*`; `*` is the only wildcard and the pattern holds no other GLOB
 * character, so it is matched with GLOB as it is). Reports count them from the period's visits.
 */
export const siteGoals = sqliteTable(
  "site_goals",
  {
    ...siteItem(),
    kind: text("kind", { enum: ["event", "page"] }).notNull(),
    value: text("value").notNull(),
    createdAt: createdAt(),
    /**
     * The first instant (a UTC midnight) goal_hourly covers: the goal's rollup was backfilled from the visits
     * since then when it was created. NULL only inside the batch that creates (or rebuilds) it.
     */
    rollupFrom: integer("rollup_from"),
  },
  (t) => [uniqueIndex("site_goals_site_kind_value").on(t.siteId, t.kind, t.value)],
);

/** A row of a goal's rollups: deleted with the goal. */
function goalRef() {
  return cascadeRef("goal_id", () => siteGoals.id);
}

/** A goal's rollup table (goal_hourly, goal_daily; as siteRollup for a site): its goal, then `columns`; keyed by the goal and `bucket`. */
function goalRollup<TName extends string, T extends Record<string, SQLiteColumnBuilderBase>>(name: TName, columns: T, bucket: keyof T & string) {
  return sqliteTable(name, { goalId: goalRef(), ...columns }, (t) => [primaryKey({ columns: [t.goalId, t[bucket]] })]);
}

/**
 * Per goal and quarter hour (as visit_hourly): conversions, and converting visitors counted twice over,
 * once in the bucket of their first conversion of the (UTC) day and once in that of their last. A period's
 * partial last UTC day sums first_visitors, its partial first day (a local midnight inside a UTC day)
 * last_visitors, and its whole days come from goal_daily: exactly the visitors with a conversion in it.
 */
export const goalHourly = goalRollup(
  "goal_hourly",
  {
    hour: integer("hour").notNull(),
    conversions: counter("conversions"),
    firstVisitors: counter("first_visitors"),
    lastVisitors: counter("last_visitors"),
  },
  "hour",
);

/**
 * Per goal and UTC day: conversions and converting visitors (each visitor's day once). What a period's whole
 * UTC days are summed from; goal_hourly serves only its partial first and last day.
 */
export const goalDaily = goalRollup("goal_daily", { day: integer("day").notNull(), conversions: counter("conversions"), visitors: counter("visitors") }, "day");

/** A visitor's UTC day with their first and last conversion of a goal that day. */
const goalVisitorDay = () => ({
  ...visitorDay(),
  firstTs: integer("first_ts").notNull(),
  lastTs: integer("last_ts").notNull(),
});

/**
 * Each converting visitor's first and last conversion of a goal on a UTC day: what the consumer needs to move
 * them in goal_hourly as more hits arrive. Pruned with visitor_days.
 */
export const goalVisitorDays = sqliteTable(
  "goal_visitor_days",
  {
    goalId: goalRef(),
    ...goalVisitorDay(),
  },
  (t) => [primaryKey({ columns: [t.goalId, t.day, t.visitor] }), index("goal_visitor_days_day").on(t.day)],
);

/** The consumer's per-batch scratch for goal_visitor_days (like visit_staging): this batch's and the stored first and last. */
export const goalStaging = sqliteTable(
  "goal_staging",
  {
    goalId: integer("goal_id").notNull(),
    ...goalVisitorDay(),
    oldFirst: integer("old_first"),
    oldLast: integer("old_last"),
  },
  (t) => [primaryKey({ columns: [t.goalId, t.day, t.visitor] })],
);

/**
 * A site's funnels: a name and 2 to 8 goal ids in order (`steps`, a JSON array). Deleting a goal deletes the
 * funnels that use it (goals.ts does both in one batch), so a funnel never points at a missing goal.
 */
export const siteFunnels = sqliteTable(
  "site_funnels",
  {
    ...siteItem(),
    name: text("name").notNull(),
    steps: text("steps").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("site_funnels_site_name").on(t.siteId, t.name)],
);

/** One row per recorded beacon hit. No IP and no user agent: only what was derived from them. */
export const visits = sqliteTable(
  "visits",
  {
    id: integer("id").primaryKey(),
    /** Random id given by the beacon; UNIQUE, so a redelivered queue message is not stored twice. */
    uid: text("uid").notNull(),
    siteId: siteRef(),
    // ts, path, referrer host, event, browser, os, device, location, visitor: see features/sites/fields.ts.
    ...visitDataColumns(),
  },
  // (site_id, ts) serves the raw table's keyset pages, the CSV, "last 5 minutes" and the site cascade;
  // (site_id, country, ts, id, path) lets a filtered report that the segment rollups cannot answer (two filters,
  // one of them a country) read only that country's rows, and test a page filter in the index before looking a
  // row up; `id` before `path` keeps the rows in (ts, id) order, so the filtered visits table and CSV still read
  // newest first without a sort (docs/architecture.md, "Filtered reports at scale");
  // (site_id, ts) of the hits that carry custom properties only (partial: pageviews never do) lets a filtered
  // report's property lists read those hits instead of every matching visit (features/sites/props.ts).
  (t) => [
    uniqueIndex("visits_uid").on(t.uid),
    index("visits_site_ts").on(t.siteId, t.ts),
    index("visits_site_country_ts_id_path").on(t.siteId, t.country, t.ts, t.id, t.path),
    index("visits_site_props_ts").on(t.siteId, t.ts).where(sql`props IS NOT NULL`),
  ],
);

/** The consumer's scratch table: filled, used and emptied inside one db.batch (one transaction). */
export const visitStaging = sqliteTable("visit_staging", {
  uid: text("uid").primaryKey(),
  siteId: integer("site_id").notNull(),
  ...visitDataColumns(),
  /** 1 on a visitor's first hit of the day not counted before: what visitor counts are made of. */
  newVisitor: counter("new_visitor"),
});

/**
 * A site's rollup table (visit_hourly, visit_dims, and the two per segment): its site, then `columns`; the
 * primary key is the site and the `key` columns in that order, so an upsert adds to the one row of a bucket.
 */
function siteRollup<TName extends string, T extends Record<string, SQLiteColumnBuilderBase>>(name: TName, columns: T, key: Array<keyof T & string>) {
  return sqliteTable(name, { siteId: siteRef(), ...columns }, (t) => [primaryKey({ columns: [t.siteId, ...key.map((k) => t[k])] })]);
}

/** A quarter hour's counts: visit_hourly's for a whole site, visit_hourly_by's for one segment of it. */
const quarterHourCounts = () => ({
  hour: integer("hour").notNull(),
  pageviews: counter("pageviews"),
  visitors: counter("visitors"),
});

/**
 * Per site and UTC quarter hour (`hour` is the quarter's first ms; the table kept its name when its buckets
 * shrank from hours): pageviews, and visitors counted in the quarter of their first hit of the UTC day.
 * Quarter hours, because every zone's offset is a multiple of 15 minutes: local days and hours of any zone
 * (Asia/Kathmandu +5:45 too) are whole sums of these rows.
 */
export const visitHourly = siteRollup("visit_hourly", quarterHourCounts(), ["hour"]);

/** A panel's count of one value on one day: visit_dims's for a whole site, visit_pairs's for one segment of it. */
const dimCounts = () => ({
  dim: text("dim").notNull(),
  day: integer("day").notNull(),
  /** "" stands for none / unknown (no referrer, no country). */
  value: text("value").notNull(),
  n: integer("n").notNull(),
});

/**
 * Per site, dimension, UTC day and value: a count. page and event count hits; referrer, country, browser,
 * os and device count visitors (each visitor once a day, by their first hit that day); entry and exit count
 * visits (a visitor's day) by their first and last pageview; session counts visits ("visits") and visits
 * with one pageview ("bounces").
 */
export const visitDims = siteRollup("visit_dims", dimCounts(), ["dim", "day", "value"]);

/** A segment: the visitors whose visitor-level field `fdim` (country, browser, os, device) is `fvalue`. */
const segment = () => ({
  fdim: text("fdim").notNull(),
  fvalue: text("fvalue").notNull(),
});

/**
 * visit_hourly per segment: the same quarter hours for the visitors whose `fdim` (a visitor-level field:
 * country, browser, os, device; see features/sites/segments.ts) is `fvalue`. What a report filtered by one
 * `is` on such a field reads instead of raw visits.
 */
export const visitHourlyBy = siteRollup("visit_hourly_by", { ...segment(), ...quarterHourCounts() }, ["fdim", "fvalue", "hour"]);

/** visit_dims per segment (see visit_hourly_by): every panel's counts for the visitors of one segment. */
export const visitPairs = siteRollup("visit_pairs", { ...segment(), ...dimCounts() }, ["fdim", "fvalue", "dim", "day", "value"]);

/**
 * Visitors already counted for a site's day, with their day's visit so far (pageviews, last page): what the
 * consumer needs to move the exit page and the bounce count as more hits arrive. Pruned once the day's salt
 * is gone.
 */
export const visitorDays = sqliteTable(
  "visitor_days",
  {
    siteId: siteRef(),
    ...visitorDay(),
    pageviews: counter("pageviews"),
    exitPath: text("exit_path"),
    exitTs: integer("exit_ts"),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.day, t.visitor] })],
);

/** One random salt per UTC day for visitor ids; deleted after two days so ids cannot be recomputed. */
export const visitSalts = sqliteTable("visit_salts", {
  day: integer("day").primaryKey(),
  salt: text("salt").notNull(),
  createdAt: createdAt(),
});

export type SiteRow = typeof sites.$inferSelect;
export type VisitRow = typeof visits.$inferSelect;

/**
 * The #hashtags of each post (lower-cased), so /tags/<tag> is one indexed query: (tag, created_at, post_id)
 * walks a tag's posts newest first. `created_at` copies the post's (which never changes). Written by the
 * posts service in the same batch as the post; deleted with it.
 */
export const postTags = sqliteTable(
  "post_tags",
  {
    postId: cascadeRef("post_id", () => posts.id),
    tag: text("tag").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.tag] }), index("post_tags_tag_created").on(t.tag, t.createdAt, t.postId)],
);

/** Who liked which post (once each); posts.like_count follows it through triggers. */
export const postLikes = sqliteTable(
  "post_likes",
  {
    postId: cascadeRef("post_id", () => posts.id),
    userId: cascadeRef("user_id", () => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.userId] }), index("post_likes_post_created").on(t.postId, t.createdAt), index("post_likes_user").on(t.userId)],
);

// --- Notifications (features/notifications) ---------------------------------------------------------
// Written by subscribers of the domain events (INSERT … SELECT, so a vanished row writes nothing). Events
// about the same thing group while unread: one row per (recipient, kind, subject), its actors beside it.

/**
 * One notification, or one group of them while unread ("alice and 3 others commented on your post"): a new
 * event for an unread (user, kind, subject) updates that row (latest actor, time) instead of adding one.
 * `subject_id` is what groups (the post for comments, the comment for moderation, 0 for follows); `post_id`
 * and `comment_id` are what it links to, and delete the notification with them. The latest actor is a member
 * (`actor_id`) or someone on another server (`remote_actor_id`, issue 13): exactly one of the two; a server
 * block or the actor's Delete removes their notifications with their remote_actors row. `url`: a remote
 * mention's note (on its own server), the only thing such a line can link to.
 */
export const notifications = sqliteTable(
  "notifications",
  {
    id: autoId(),
    userId: cascadeRef("user_id", () => users.id),
    kind: text("kind").notNull(),
    subjectId: counter("subject_id"),
    /** The latest actor of the group, when a member. */
    actorId: integer("actor_id").references(() => users.id, { onDelete: "cascade" }),
    postId: integer("post_id").references(() => posts.id, { onDelete: "cascade" }),
    commentId: integer("comment_id").references(() => comments.id, { onDelete: "cascade" }),
    /** The latest event's time: the list's sort key. */
    createdAt: createdAt(),
    readAt: integer("read_at"),
    /** The latest actor of the group, when someone on another server. */
    remoteActorId: integer("remote_actor_id").references((): AnySQLiteColumn => remoteActors.id, { onDelete: "cascade" }),
    url: text("url"),
  },
  (t) => [
    // The list's keyset order; (the rowid id is appended by SQLite).
    index("notifications_user_created").on(t.userId, t.createdAt),
    // The group an event joins (the upsert's conflict target), unread only.
    uniqueIndex("notifications_unread_group").on(t.userId, t.kind, t.subjectId).where(sql`read_at IS NULL`),
    // The nav badge's count and mark-all-read: SQLite's planner prefers notifications_user_created over the
    // three-column partial index above and then reads every notification the member ever had; this one it picks.
    index("notifications_unread").on(t.userId).where(sql`read_at IS NULL`),
    // Cascades from users, posts, comments and remote actors look these up (SQLite scans a child table without them).
    index("notifications_actor").on(t.actorId),
    index("notifications_post").on(t.postId).where(sql`post_id IS NOT NULL`),
    index("notifications_comment").on(t.commentId).where(sql`comment_id IS NOT NULL`),
    index("notifications_remote_actor").on(t.remoteActorId).where(sql`remote_actor_id IS NOT NULL`),
    check("notifications_one_actor", sql`(actor_id IS NULL) != (remote_actor_id IS NULL)`),
  ],
);

/**
 * Everyone who acted in a notification's group (filled by a trigger on notifications): its "and 3 others".
 * A member or a remote actor, once each per notification (the two unique indexes; NULLs never collide).
 */
export const notificationActors = sqliteTable(
  "notification_actors",
  {
    notificationId: cascadeRef("notification_id", () => notifications.id),
    actorId: integer("actor_id").references(() => users.id, { onDelete: "cascade" }),
    remoteActorId: integer("remote_actor_id").references((): AnySQLiteColumn => remoteActors.id, { onDelete: "cascade" }),
  },
  (t) => [
    uniqueIndex("notification_actors_member").on(t.notificationId, t.actorId),
    uniqueIndex("notification_actors_remote").on(t.notificationId, t.remoteActorId),
    index("notification_actors_actor").on(t.actorId),
    index("notification_actors_remote_actor").on(t.remoteActorId).where(sql`remote_actor_id IS NOT NULL`),
    check("notification_actors_one_actor", sql`(actor_id IS NULL) != (remote_actor_id IS NULL)`),
  ],
);

/** Which kinds a member also gets by mail (bits of features/notifications/kinds.ts; 0 = none, the default). */
export const notificationSettings = sqliteTable("notification_settings", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  mailKinds: counter("mail_kinds"),
  /** Notifications before this time (ms) have been mailed or were before mail was chosen. */
  digestThrough: counter("digest_through"),
});

// --- Private messages (features/messages) ------------------------------------------------------------

/**
 * One conversation per pair of members, stored once: user_low < user_high. It carries what the list and
 * the nav's unread count need (the latest message's time and sender, when each side last read it), so
 * neither has to read messages.
 */
export const conversations = sqliteTable(
  "conversations",
  {
    id: autoId(),
    userLow: cascadeRef("user_low", () => users.id),
    userHigh: cascadeRef("user_high", () => users.id),
    lastAt: integer("last_at").notNull(),
    lastSenderId: integer("last_sender_id").notNull(),
    lowReadAt: counter("low_read_at"),
    highReadAt: counter("high_read_at"),
  },
  (t) => [
    uniqueIndex("conversations_pair").on(t.userLow, t.userHigh),
    index("conversations_low").on(t.userLow, t.lastAt),
    index("conversations_high").on(t.userHigh, t.lastAt),
  ],
);

/** A message: plain text (at most 2,000 characters), shown with links made clickable, only to the pair. */
export const messages = sqliteTable(
  "messages",
  {
    id: autoId(),
    conversationId: cascadeRef("conversation_id", () => conversations.id),
    senderId: cascadeRef("sender_id", () => users.id),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("messages_conversation_created").on(t.conversationId, t.createdAt), index("messages_sender").on(t.senderId)],
);

// --- Blocks (features/blocks) ------------------------------------------------------------------------

/**
 * Who blocked whom. Private: only the blocker ever sees a row (their list on the account page, their export).
 * The primary key (blocker_id, blocked_id) answers "did the viewer block this author?"; blocks_blocked serves
 * the other direction ("did this author block the viewer?") and the cascade when the blocked account goes.
 * The filters that read it are SQL fragments in db/blocks.ts, used inside each page's existing query.
 */
export const blocks = sqliteTable(
  "blocks",
  {
    blockerId: cascadeRef("blocker_id", () => users.id),
    blockedId: cascadeRef("blocked_id", () => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.blockerId, t.blockedId] }), index("blocks_blocked").on(t.blockedId)],
);

// --- Federation (features/federation) -----------------------------------------------------------------
// One RSA key pair per member, made on first need (the actor document, a signed delivery) and kept for good:
// remote servers cache the public key by its id. The private key never leaves the Worker (JWK text here).
export const actorKeys = sqliteTable("actor_keys", {
  userId: cascadeRef("user_id", () => users.id).primaryKey(),
  publicKeyJwk: text("public_key_jwk").notNull(),
  privateKeyJwk: text("private_key_jwk").notNull(),
  createdAt: createdAt(),
});

// Remote actors Roost knows (issue 13, remote followers): what their actor document said when last fetched,
// reduced to plain text (no remote HTML is stored). `host` is the actor URI's host (server blocks, the list of
// servers).
export const remoteActors = sqliteTable(
  "remote_actors",
  {
    id: autoId(),
    uri: text("uri").notNull().unique(),
    inbox: text("inbox").notNull(),
    sharedInbox: text("shared_inbox"),
    handle: text("handle").notNull(),
    name: text("name").notNull(),
    iconUrl: text("icon_url"),
    url: text("url"),
    host: text("host").notNull(),
    fetchedAt: integer("fetched_at").notNull(),
  },
  (t) => [index("remote_actors_host").on(t.host)],
);

// Inboxes whose deliveries kept failing for about a day (features/federation/delivery.ts): deliveries skip
// them until an actor using that inbox is heard from again (a new Follow clears the mark).
export const deadInboxes = sqliteTable("dead_inboxes", {
  inbox: text("inbox").primaryKey(),
  since: integer("since").notNull(),
  lastError: text("last_error").notNull(),
});

// Remote followers of a member: one row per (member, remote actor), with the Follow's id (its Undo names it).
export const remoteFollowers = sqliteTable(
  "remote_followers",
  {
    userId: cascadeRef("user_id", () => users.id),
    remoteActorId: cascadeRef("remote_actor_id", () => remoteActors.id),
    followActivityId: text("follow_activity_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.remoteActorId] }), index("remote_followers_actor").on(t.remoteActorId)],
);
// Members' follows of remote actors (issue 13, "Follow someone elsewhere"): pending (accepted_at NULL) until the
// remote server's Accept, removed by its Reject or the member's Unfollow. The Follow's id is what Accept/Reject name.
export const remoteFollows = sqliteTable(
  "remote_follows",
  {
    userId: cascadeRef("user_id", () => users.id),
    remoteActorId: cascadeRef("remote_actor_id", () => remoteActors.id),
    followActivityId: text("follow_activity_id").notNull().unique(),
    acceptedAt: integer("accepted_at"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.remoteActorId] }), index("remote_follows_actor").on(t.remoteActorId)],
);

// Public notes of remote actors a member follows (issue 13): shown in the Followed feed of their followers here.
// content_html went through lib/remote-html.ts (our Markdown allowlist) before it was stored; uri is the
// Note's id (Create/Update/Delete name it: idempotent), url the original's page. published_at is never later
// than when it arrived (a note cannot sit at the top of a feed by claiming the future).
export const remotePosts = sqliteTable(
  "remote_posts",
  {
    id: autoId(),
    uri: text("uri").notNull().unique(),
    remoteActorId: cascadeRef("remote_actor_id", () => remoteActors.id),
    contentHtml: text("content_html").notNull(),
    url: text("url"),
    publishedAt: integer("published_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("remote_posts_actor_published").on(t.remoteActorId, t.publishedAt, t.id)],
);

// What members do to remote notes in their Followed feed (issue 13, outbound): a like per (member, note), named
// by the Like's id (its Undo names it); the rows go with the note (a deleted note needs no Undo).
export const remotePostLikes = sqliteTable(
  "remote_post_likes",
  {
    userId: cascadeRef("user_id", () => users.id),
    remotePostId: cascadeRef("remote_post_id", () => remotePosts.id),
    activityId: text("activity_id").notNull().unique(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.remotePostId] }), index("remote_post_likes_post").on(t.remotePostId)],
);

// Members' replies to remote notes (issue 13, outbound): their own text (Markdown, rendered as a comment is),
// sent as Create(Note) inReplyTo the note; the Note's id is <BASE_URL>/users/<member>/replies/<id>. Kept beside
// the note (not as a post): see docs/architecture.md "Liking and replying to notes from elsewhere".
export const remoteReplies = sqliteTable(
  "remote_replies",
  {
    id: autoId(),
    userId: cascadeRef("user_id", () => users.id),
    remotePostId: cascadeRef("remote_post_id", () => remotePosts.id),
    body: text("body").notNull(),
    bodyHtml: text("body_html").notNull(),
    createdAt: createdAt(),
    // Set by an edit (the Note's `updated`, and the Update activity's id); null until then.
    updatedAt: integer("updated_at"),
  },
  (t) => [index("remote_replies_post_user").on(t.remotePostId, t.userId, t.createdAt), index("remote_replies_user").on(t.userId)],
);

// --- Federation safety (features/federation, issue 13) -------------------------------------------------
// Remote servers an Administrator blocked, by host name (no port): a block covers every subdomain too
// (example.com blocks a.example.com). Nothing from a blocked host reaches the inbox; nothing is fetched from it.
export const blockedServers = sqliteTable("blocked_servers", {
  host: text("host").primaryKey(),
  reason: text("reason"),
  createdAt: createdAt(),
});

// Remote servers whose signed activities the inbox accepted: first and last seen, and how many. Written by
// the inbox after Fedify verified the signature, so an unsigned request cannot add a host here.
export const knownServers = sqliteTable(
  "known_servers",
  {
    host: text("host").primaryKey(),
    firstSeen: integer("first_seen").notNull(),
    lastSeen: integer("last_seen").notNull(),
    activities: counter("activities"),
  },
  (t) => [index("known_servers_last_seen").on(t.lastSeen)],
);

// Actor ids of deleted accounts: their actor URLs answer 410 Gone for good (ids are never reused: users.id is
// AUTOINCREMENT). Written on the user.deleted event; no foreign key, the user row is gone by then.
export const goneActors = sqliteTable("gone_actors", {
  userId: integer("user_id").primaryKey(),
  deletedAt: integer("deleted_at").notNull(),
});

// Likes and boosts (Announce) of our posts from the fediverse (features/federation, issue 13): one per (post,
// actor, kind), named by its activity's id (an Undo names that). Triggers keep posts.like_count and
// posts.boost_count, so every list shows local + remote likes without another query.
export const remoteReactions = sqliteTable(
  "remote_reactions",
  {
    postId: cascadeRef("post_id", () => posts.id),
    remoteActorId: cascadeRef("remote_actor_id", () => remoteActors.id),
    kind: text("kind", { enum: ["like", "announce"] }).notNull(),
    activityUri: text("activity_uri").notNull(),
    createdAt: createdAt(),
  },
  // An Undo names the activity: its id is looked up (activity_uri); a deleted actor's rows by the actor.
  (t) => [
    primaryKey({ columns: [t.postId, t.remoteActorId, t.kind] }),
    index("remote_reactions_actor").on(t.remoteActorId),
    index("remote_reactions_activity").on(t.activityUri),
  ],
);

// A member's blocks of remote actors (issue 13): their follow of the member ended, their replies on the
// member's posts hidden, their Follow / reply / Like / Announce to the member dropped, their notifications gone.
export const remoteBlocks = sqliteTable(
  "remote_blocks",
  {
    userId: cascadeRef("user_id", () => users.id),
    remoteActorId: cascadeRef("remote_actor_id", () => remoteActors.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.remoteActorId] }), index("remote_blocks_actor").on(t.remoteActorId)],
);
