// The API's zod schemas: request bodies and query strings (which the handlers validate with) and response
// bodies (which serializers.ts produces). openapi.ts turns these same objects into the OpenAPI document,
// so the document cannot drift from what is validated. Response objects are strict (no extra fields),
// which lets the tests check every response they see against the published document.
import { z } from "zod";
import { MAX_QUERY_CHARS } from "../../lib/fts";
import { MAX_COMMENT_LENGTH, MAX_POST_LENGTH } from "../../lib/markdown";
import { CURSOR_PATTERN } from "../../lib/pagination";
import { SEARCH_WINDOW } from "../search";
import { AGGREGATE_METRICS, GOAL_METRICS, MAX_BREAKDOWN_ROWS, STATS_FILTER_NAMES, STATS_PERIODS, STATS_PROPERTIES, TIMESERIES_METRICS } from "../sites";
import { ERROR_NAMES } from "./errors";

/** Named schemas: each becomes `#/components/schemas/<id>` in the OpenAPI document. */
export const apiRegistry = z.registry<{ id: string }>();

function named<T extends z.ZodType>(id: string, schema: T): T {
  apiRegistry.add(schema, { id });
  return schema;
}

/** A named strict object (no fields beyond its shape), described: what nearly every named schema here is. */
function namedObject<T extends z.core.$ZodLooseShape>(id: string, what: string, shape: T, params?: z.core.$ZodObjectParams) {
  return named(id, z.strictObject(shape, params).describe(what));
}

// --- Requests -----------------------------------------------------------------------------------

/** Messages complete the field name: "body: is required", "body: must be a string". */
const markdownText = (max: number, what: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
    .regex(/\S/, "must not be empty")
    .max(max, `must be at most ${max.toLocaleString("en")} characters`)
    .describe(`${what} in Markdown (at most ${max.toLocaleString("en")} characters, not blank).`);

const jsonObject = { error: (issue: { code: string }) => (issue.code === "invalid_type" ? "the request body must be a JSON object" : undefined) };

export const PostInput = namedObject("PostInput", "A new post, or a post's new text.", { body: markdownText(MAX_POST_LENGTH, "The post") }, jsonObject);

export const CommentInput = namedObject("CommentInput", "A new comment.", { body: markdownText(MAX_COMMENT_LENGTH, "The comment") }, jsonObject);

/** Cursors are `<created_at ms>.<id>`, as produced by lib/pagination (the client copies them from links). */
const cursor = z.string().regex(CURSOR_PATTERN, "must be a cursor from a prev/next link");

export const ListQuery = z
  .object({
    page: z
      .string()
      .regex(/^[1-9]\d{0,5}$/, "must be a whole number from 1 to 999999")
      .optional()
      .describe("Page number (1 = newest). With a cursor it only labels the page; alone it is an offset."),
    before: cursor.optional().describe("Cursor: items older than this one (what `next` links carry)."),
    after: cursor.optional().describe("Cursor: items newer than this one (what `prev` links carry)."),
  })
  .refine((q) => !(q.before && q.after), { message: "use before or after, not both", path: ["after"] })
  // lib/pagination ignores a cursor on page 1, which would silently restart the list: say so instead.
  .refine((q) => !(q.before || q.after) || Number(q.page ?? 1) >= 2, {
    message: "must be 2 or more with a cursor (follow the prev/next links as they are)",
    path: ["page"],
  });

const pageNumber = z.string().regex(/^[1-9]\d{0,5}$/, "must be a whole number from 1 to 999999");

/**
 * GET /search: `q` is required and not blank (an empty search is a mistake worth saying); past that, the
 * site's rules: text beyond MAX_QUERY_CHARS is ignored, and text without words (only punctuation) finds
 * nothing rather than failing.
 */
export const SearchQuery = z.object({
  q: z
    .string({ error: "is required: the words to search for" })
    .transform((q) => q.slice(0, MAX_QUERY_CHARS).trim())
    .refine((q) => q !== "", "must not be empty: give the words to search for")
    .describe(`The words to look for (only the first ${MAX_QUERY_CHARS} characters count; the last word is a prefix). Not blank.`),
  type: z
    .enum(["all", "people"], { error: 'must be "all" or "people"' })
    .optional()
    .describe('"all" (default): posts, and on page 1 the best few people too; "people": a page of people only.'),
  page: pageNumber.optional().describe("Page number within the window of matches (1 = best matches); pages past the last answer empty lists."),
  before: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, "must be a post id (a whole number from 1)")
    .optional()
    .describe(
      `Posts only: rank the matches older than this post id (as the \`next\` link sets it after a window's last page). Matches are ranked a window at a time: the newest ${SEARCH_WINDOW} (below \`before\`), best first.`,
    ),
});

/**
 * The stats endpoints' query (Plausible's Stats API v1 names). Only the shapes are checked here; what the
 * values mean (a real date range, a known metric, a filter the report can apply) is the sites feature's
 * to judge (features/sites/stats.ts), with a 400 naming the parameter. Unknown parameters are ignored, so a
 * Plausible client's `site_id` does no harm.
 */
const statsText = (what: string) => z.string({ error: "must be given once" }).max(2000, "must be at most 2,000 characters").optional().describe(what);
const statsBase = {
  period: statsText(`One of ${STATS_PERIODS.join(", ")} (default 30d). Days are the site's time zone's.`),
  date: statsText(
    "With day, 7d, 30d or month: the day the period ends on (7d, 30d), is (day) or falls in (month), YYYY-MM-DD; default today. With custom: `first,last`, e.g. 2026-11-01,2026-11-30 (at most 366 days, not in the future).",
  ),
  filters: statsText(
    `Expressions joined by ";" (all must hold): \`name==value\`, \`name!=value\`, \`name~text\` (contains, pages only), \`name==*text*\` (contains). Names: ${STATS_FILTER_NAMES.join(", ")}. A missing country is the empty value. \`event:props:plan==pro\` filters by a custom property (== and != only). \`event:goal==signup\` (a custom event goal) or \`event:goal==Visit /blog/*\` (a page goal, "Visit " and its pattern) selects one of the site's goals: allowed in aggregate (metrics ${GOAL_METRICS.join(", ")}) and in a breakdown by event:goal; a goal the site does not have is a 400 that lists its goals.`,
  ),
};
export const StatsAggregateQuery = z.object({
  ...statsBase,
  metrics: statsText(
    `Comma-separated, from ${AGGREGATE_METRICS.join(", ")} (default visitors); events counts every hit, pageviews included. With an event:goal filter: ${GOAL_METRICS.join(", ")} (the goal's converting visitors, conversions, and the percent of the period's visitors who converted).`,
  ),
  compare: statsText('"previous_period": each metric also gets its change in percent from the period before, of the same length.'),
});
export const StatsTimeseriesQuery = z.object({
  ...statsBase,
  metrics: statsText(`Comma-separated, from ${TIMESERIES_METRICS.join(", ")} (default visitors).`),
});
export const StatsBreakdownQuery = z.object({
  ...statsBase,
  property: z
    .string({ error: "is required" })
    .describe(
      `Required: one of ${STATS_PROPERTIES.join(", ")}. visit:source is the referrer's host name. event:goal lists every goal of the site (zeros included) by name; event:props:<key> lists a custom property's values.`,
    ),
  metrics: statsText(
    `The list's own metric, which is the only one it has: pageviews for event:page, events for event:name and event:props:<key> (custom events that carried the key), visits for entry and exit pages, visitors for the rest (the default). For event:goal: any of ${GOAL_METRICS.join(", ")} (default visitors), the list ordered by the first.`,
  ),
  limit: z
    .string()
    .regex(/^([1-9]\d{0,2}|1000)$/, "must be a whole number from 1 to 1000")
    .optional()
    .describe("Rows per page (default 100, at most 1000)."),
  page: pageNumber.optional().describe(`Page number (default 1); page × limit at most ${MAX_BREAKDOWN_ROWS.toLocaleString("en")}.`),
});

// --- Responses ----------------------------------------------------------------------------------

const url = (what: string) => z.url().describe(what);
const timestamp = (what: string) => z.iso.datetime().describe(`${what} (ISO 8601, UTC).`);
const count = (what: string) => z.int().min(0).describe(what);

export const ErrorBody = namedObject("Error", "Every error answer under /api/.", {
  error: z.enum(Object.values(ERROR_NAMES)).describe("The HTTP status, in words."),
  message: z.string().describe("What went wrong, naming the offending field when there is one."),
});

export const TokenBody = namedObject("Token", "A new API token.", {
  token: z
    .string()
    .regex(/^[a-z2-7]{32}$/)
    .describe("Send as `Authorization: Bearer <token>`, or as the Basic username with an empty password."),
  expiration: z.int().min(1).describe("Seconds until the token expires."),
});

export const PostBody = namedObject("Post", "A blog post.", {
  url: url("This post."),
  body: z.string().describe("Markdown source."),
  body_html: z.string().describe("The sanitized HTML rendered from `body`."),
  timestamp: timestamp("When the post was published"),
  author_url: url("The author."),
  comments_url: url("The post's comments."),
  comment_count: count("Comments on the post, disabled ones included."),
  like_count: count("People who like the post (its author included, if they do)."),
});

export const UserBody = namedObject("User", "A member's public profile. No email address: it is private.", {
  url: url("This user."),
  username: z.string(),
  member_since: timestamp("Registration time"),
  last_seen: timestamp("Last activity"),
  posts_url: url("The user's posts."),
  followed_posts_url: url("The user's timeline: posts of everyone they follow, their own included."),
  followers_url: url("Who follows this user."),
  following_url: url("Whom this user follows."),
  post_count: count("Posts written by the user."),
});

export const CommentBody = namedObject("Comment", "A comment on a post.", {
  url: url("This comment."),
  post_url: url("The post commented on."),
  body: z.string().nullable().describe("Markdown source; null when a moderator disabled the comment."),
  body_html: z.string().nullable().describe("Sanitized HTML; null when a moderator disabled the comment."),
  timestamp: timestamp("When the comment was written"),
  author_url: url("The author: a member, or for a reply from another server their profile there."),
  disabled: z.boolean().describe("Hidden by a moderator: its text is never sent."),
});

const listFields = {
  prev: url("The newer page, or null on the first page.").nullable(),
  next: url("The older page, or null on the last page.").nullable(),
  count: z.int().min(0).nullable().describe("Items in the whole list, or null where counting would read every row (see the list's description)."),
};

export const PostList = namedObject("PostList", "A page of posts, newest first.", { posts: z.array(PostBody), ...listFields });
export const CommentList = namedObject("CommentList", "A page of comments, newest first.", { comments: z.array(CommentBody), ...listFields });
export const UserList = namedObject("UserList", "A page of users, most recently followed first.", { users: z.array(UserBody), ...listFields });

export const FollowStatus = namedObject("FollowStatus", "The outcome of a follow or unfollow.", {
  user_url: url("The user followed or unfollowed."),
  following: z.boolean().describe("Whether you follow them now."),
  follower_count: count("Their followers now, not counting themselves."),
});

export const LikeStatus = namedObject("LikeStatus", "The outcome of a like or unlike (both are idempotent: liking twice is one like).", {
  post_url: url("The post liked or unliked."),
  liked: z.boolean().describe("Whether you like it now."),
  like_count: count("Its likes now."),
});

export const SearchPostHit = namedObject("SearchPostHit", "A post that matches the search.", {
  url: url("The post."),
  timestamp: timestamp("When the post was published"),
  author_url: url("The author."),
  author_username: z.string(),
  snippet_html: z.string().describe("A few words around the matches: escaped text, matches in <mark>."),
});

const markedHtml = (what: string) => z.string().nullable().describe(`${what}: escaped text, matches in <mark> (null when empty).`);

export const SearchPersonHit = namedObject("SearchPersonHit", "A person whose username, name, location or about me matches the search.", {
  url: url("The user."),
  username: z.string(),
  username_html: z.string().describe("The username, matches in <mark>."),
  name_html: markedHtml("Their name"),
  location_html: markedHtml("Their location"),
  about_html: markedHtml("A few words of their about me around the matches"),
});

export const SearchResults = namedObject("SearchResults", "A page of search results, best matches first.", {
  query: z.string().describe("The text searched for, as it was used (trimmed, cut at its length limit)."),
  type: z.enum(["all", "people"]),
  people: z.array(SearchPersonHit).describe('Best first: up to 5 on page 1 of "all" (none on later pages), 20 a page for "people".'),
  posts: z.array(SearchPostHit).describe('Best first, 20 a page; always empty for "people".'),
  more_people: url('All matching people (type=people), when "all" shows only some of them.').nullable(),
  prev: url("The previous page, or null on the first.").nullable(),
  next: url("The next page, or null on the last.").nullable(),
});

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const StatsPeriod = namedObject("StatsPeriod", "The period a stats answer covers.", {
  from: isoDay.describe("The first day (YYYY-MM-DD, in the site's time zone)."),
  to: isoDay.describe("The last day, included."),
  time_zone: z.string().describe("The site's IANA time zone, which the days are counted in."),
  interval: z.enum(["hour", "day"]).describe("The timeseries buckets: hours for a one-day period, else days."),
});

const statsValue = z
  .strictObject({
    value: z.number().nullable().describe("The figure; null where it has no meaning (a bounce rate without visits)."),
    change: z.int().nullable().optional().describe("With compare=previous_period: the change in whole percent, null when the previous period had nothing."),
  })
  .optional();

/** A stats answer: the site and period, then the endpoint's own fields. */
const statsAnswer = <T extends z.ZodRawShape>(id: string, fields: T, what: string) =>
  namedObject(id, what, { site_id: z.int().min(1), period: StatsPeriod, ...fields });

export const StatsAggregate = statsAnswer(
  "StatsAggregate",
  {
    results: z
      .strictObject({
        visitors: statsValue.describe(
          "Unique visitors (a visitor's id lasts one UTC day, so a visitor on two days counts twice); with an event:goal filter, the goal's converting visitors.",
        ),
        pageviews: statsValue.describe("Pageviews."),
        bounce_rate: statsValue.describe("Visits (a visitor's day) with one pageview, in whole percent."),
        views_per_visit: statsValue.describe("Pageviews per visitor, two decimals."),
        events: statsValue.describe("Every hit: pageviews and custom events; with an event:goal filter, the goal's conversions. Never with compare."),
        conversion_rate: statsValue.describe(
          "With an event:goal filter: the percent of the period's visitors (other filters applied) who converted, one decimal.",
        ),
      })
      .describe("The metrics asked for."),
  },
  "Totals over the period: the numbers on the report's cards.",
);

export const StatsTimeseries = statsAnswer(
  "StatsTimeseries",
  {
    results: z
      .array(
        z.strictObject({
          date: z.string().describe("The bucket: YYYY-MM-DD, or YYYY-MM-DD HH:MM:SS for hours, in the site's time zone."),
          visitors: z.int().min(0).optional(),
          pageviews: z.int().min(0).optional(),
          views_per_visit: z.number().nullable().optional(),
        }),
      )
      .describe("Every bucket of the period in order, zeros included: the report's chart."),
  },
  "The metrics per hour or day.",
);

export const StatsBreakdown = statsAnswer(
  "StatsBreakdown",
  {
    property: z.string().describe("The property broken down by."),
    metric: z
      .enum(["visitors", "pageviews", "events", "visits", "conversion_rate"])
      .describe("What the list counts (for event:goal: the metric it is ordered by)."),
    page: z.int().min(1),
    limit: z.int().min(1),
    results: z
      .array(z.object({}).catchall(z.union([z.string(), z.number(), z.null()])))
      .describe(
        'Biggest first: the value under the property\'s name without its prefix (e.g. {"page": "/", "pageviews": 12}; {"plan": "pro", "events": 3} for event:props:plan; {"goal": "Visit /pricing", "visitors": 4, "conversion_rate": 12.5} for event:goal) and the count under the metric\'s name. A conversion rate is null when the period had no visitors.',
      ),
  },
  "A top list of the report, one page of it.",
);
