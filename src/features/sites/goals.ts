// Goals and funnels of a site: what the owner defines (a goal is a custom event's name or a pageview of a
// path pattern; a funnel is 2 to 8 goals in order), and what the report counts of them. The unfiltered
// report's goals come from their rollup (goal-rollup.ts: goal_hourly, kept by the consumer and backfilled
// when a goal is created). Filtered reports and funnels read the period's visits through visits_site_ts
// (one range scan per statement, the visits outer and the few goals inner, never visits joined to visits),
// in the report's own batch: the number of D1 round trips does not grow with the number of goals or
// funnels. A site without goals (or funnels) reads no visit for them: the scan's site id is a constant
// subquery that is NULL then, so the index seek finds nothing.
import { z } from "zod";
import { DAY } from "../../config";
import type { Db } from "../../db";
import { EVENT_NAME, MAX_PATH_LENGTH } from "../../db/visit-fields";
import { t } from "../../i18n";
import { type Filter, filterSql } from "./filters";
import { backfillSince, GOAL_ROLLUP_COUNTS, goalBackfillStatements, wholeDays } from "./goal-rollup";
import { visitorDaysKeptFrom } from "./visitor";

export const MAX_GOALS_PER_SITE = 20;
export const MAX_FUNNELS_PER_SITE = 10;
export const MIN_FUNNEL_STEPS = 2;
export const MAX_FUNNEL_STEPS = 8;
export const FUNNEL_NAME_MAX = 80;

export type GoalKind = "event" | "page";
export type Goal = { id: number; kind: GoalKind; value: string };
export type Funnel = { id: number; name: string; steps: number[] };
export type GoalResult = Goal & { visitors: number; conversions: number };
export type FunnelStep = { goal: Goal; visitors: number };
export type FunnelResult = { id: number; name: string; steps: FunnelStep[] };

/** A path pattern: starts with "/", `*` is the only wildcard, none of GLOB's other specials, no query or fragment. */
export const PAGE_PATTERN = /^\/[^?#[\]\s]*$/;

export const goalSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("event"),
    value: z
      .string()
      .trim()
      .min(1, { error: () => t("sites.goals.eventRequired") })
      .regex(EVENT_NAME, { error: () => t("sites.goals.eventInvalid") })
      .refine((v) => v !== "pageview", { error: () => t("sites.goals.eventPageview") }),
  }),
  z.object({
    kind: z.literal("page"),
    value: z
      .string()
      .trim()
      .min(1, { error: () => t("sites.goals.pageRequired") })
      .max(MAX_PATH_LENGTH, { error: () => t("sites.goals.pageTooLong", { max: MAX_PATH_LENGTH }) })
      .regex(PAGE_PATTERN, { error: () => t("sites.goals.pageInvalid") }),
  }),
]);
/** The form's fields: `kind` chooses the goal's type; anything else is not from our form. */
export const goalFormSchema = z.object({ kind: z.enum(["event", "page"], { error: () => t("sites.goals.kindInvalid") }), value: z.string().default("") });

export type FunnelInput = { name: string; steps: number[] };

/** A funnel's form: a name and up to 8 `step1`…`step8` selects (empty ones skipped), each a goal id. */
export function parseFunnelForm(raw: Record<string, string>): { ok: true; data: FunnelInput } | { ok: false; errors: Record<string, string> } {
  const name = (raw.name ?? "").replace(/\s+/g, " ").trim();
  const errors: Record<string, string> = {};
  if (!name) errors.name = t("sites.goals.funnelNameRequired");
  else if (name.length > FUNNEL_NAME_MAX) errors.name = t("sites.form.nameTooLong", { max: FUNNEL_NAME_MAX });
  const steps: number[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const m = /^step(\d+)$/.exec(key);
    if (!m || value.trim() === "") continue;
    if (Number(m[1]) < 1 || Number(m[1]) > MAX_FUNNEL_STEPS) {
      errors.steps = t("sites.goals.tooManySteps", { max: MAX_FUNNEL_STEPS });
      continue;
    }
    if (!/^\d{1,15}$/.test(value.trim())) errors.steps = t("sites.goals.stepFromGoals");
    steps[Number(m[1]) - 1] = Number(value.trim());
  }
  const ordered = steps.filter((s) => s !== undefined);
  if (!errors.steps && ordered.length < MIN_FUNNEL_STEPS) errors.steps = t("sites.goals.tooFewSteps", { min: MIN_FUNNEL_STEPS });
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, data: { name, steps: ordered } };
}

// --- Owner's statements: each checks the owner inside the statement --------------------------------

const OWNED = "EXISTS (SELECT 1 FROM sites WHERE id = ?1 AND user_id = ?2)";

export type GoalsOfSite = { site: { id: number; name: string }; goals: Goal[]; funnels: Funnel[] };

/** The site's goals and funnels, or null when the site is not this member's (one round trip). */
export async function listGoals(db: Db, siteId: number, userId: number): Promise<GoalsOfSite | null> {
  const client = db.$client;
  const [owned, goals, funnels] = await client.batch<Record<string, unknown>>([
    client.prepare("SELECT id, name FROM sites WHERE id = ?1 AND user_id = ?2").bind(siteId, userId),
    client.prepare("SELECT id, kind, value FROM site_goals WHERE site_id = ?1 ORDER BY id").bind(siteId),
    client.prepare("SELECT id, name, steps FROM site_funnels WHERE site_id = ?1 ORDER BY name COLLATE NOCASE, id").bind(siteId),
  ]);
  const site = owned?.results[0];
  if (!site) return null;
  return { site: { id: Number(site.id), name: String(site.name) }, goals: (goals?.results ?? []).map(goalOf), funnels: (funnels?.results ?? []).map(funnelOf) };
}

const goalOf = (r: Record<string, unknown>): Goal => ({ id: Number(r.id), kind: r.kind === "page" ? "page" : "event", value: String(r.value) });
const funnelOf = (r: Record<string, unknown>): Funnel => {
  const steps: unknown = JSON.parse(String(r.steps));
  return { id: Number(r.id), name: String(r.name), steps: Array.isArray(steps) ? steps.map(Number) : [] };
};

export type Change = { ok: true } | { ok: false; status: 404 } | { ok: false; status: 422; errors: Record<string, string> };

/**
 * Adds a goal unless it exists or the site has MAX_GOALS_PER_SITE: the checks, the insert and the backfill of
 * its rollup from the last GOAL_BACKFILL_DAYS days of visits (goal-rollup.ts) in one batch. The new goal is
 * the site's only one with rollup_from NULL, so a refused insert backfills nothing.
 */
export async function addGoal(db: Db, siteId: number, userId: number, goal: Omit<Goal, "id">, now = Date.now()): Promise<Change> {
  const client = db.$client;
  const [owned, dup, inserted] = await client.batch<Record<string, unknown>>([
    client.prepare(`SELECT 1 AS ok WHERE ${OWNED}`).bind(siteId, userId),
    client.prepare("SELECT 1 AS dup FROM site_goals WHERE site_id = ?1 AND kind = ?2 AND value = ?3").bind(siteId, goal.kind, goal.value),
    client
      .prepare(`INSERT INTO site_goals (site_id, kind, value, created_at) SELECT ?1, ?3, ?4, ?5
        WHERE ${OWNED} AND (SELECT count(*) FROM site_goals WHERE site_id = ?1) < ?6 ON CONFLICT DO NOTHING`)
      .bind(siteId, userId, goal.kind, goal.value, now, MAX_GOALS_PER_SITE),
    ...goalBackfillStatements(client, siteId, backfillSince(now), visitorDaysKeptFrom(now)),
  ]);
  if (!owned?.results.length) return { ok: false, status: 404 };
  if (dup?.results.length) return { ok: false, status: 422, errors: { value: t("sites.goals.duplicate") } };
  if (!inserted?.meta.changes) return { ok: false, status: 422, errors: { _form: t("sites.goals.tooMany", { max: MAX_GOALS_PER_SITE }) } };
  return { ok: true };
}

/** Removes a goal of the member's site, and the funnels that use it (one batch); false if there is no such goal. */
export async function deleteGoal(db: Db, siteId: number, userId: number, goalId: number): Promise<boolean> {
  const client = db.$client;
  const [, deleted] = await client.batch([
    client
      .prepare(`DELETE FROM site_funnels WHERE site_id = ?1 AND ${OWNED} AND EXISTS (SELECT 1 FROM json_each(site_funnels.steps) j WHERE j.value = ?3)`)
      .bind(siteId, userId, goalId),
    client.prepare(`DELETE FROM site_goals WHERE id = ?3 AND site_id = ?1 AND ${OWNED}`).bind(siteId, userId, goalId),
  ]);
  return (deleted?.meta.changes ?? 0) > 0;
}

/** Adds a funnel whose steps are all goals of this site; the name is unique per site (ignoring case). */
export async function addFunnel(db: Db, siteId: number, userId: number, input: FunnelInput, now = Date.now()): Promise<Change> {
  const found = await listGoals(db, siteId, userId);
  if (!found) return { ok: false, status: 404 };
  const known = new Set(found.goals.map((g) => g.id));
  if (input.steps.some((s) => !known.has(s))) return { ok: false, status: 422, errors: { steps: t("sites.goals.stepUnknown") } };
  if (found.funnels.some((f) => f.name.toLowerCase() === input.name.toLowerCase())) {
    return { ok: false, status: 422, errors: { name: t("sites.goals.funnelDuplicate") } };
  }
  if (found.funnels.length >= MAX_FUNNELS_PER_SITE) {
    return { ok: false, status: 422, errors: { _form: t("sites.goals.tooManyFunnels", { max: MAX_FUNNELS_PER_SITE }) } };
  }
  const res = await db.$client
    .prepare(`INSERT INTO site_funnels (site_id, name, steps, created_at) SELECT ?1, ?3, ?4, ?5 WHERE ${OWNED} ON CONFLICT DO NOTHING`)
    .bind(siteId, userId, input.name, JSON.stringify(input.steps), now)
    .run();
  // Nothing inserted: the same name was added a moment ago by another request.
  if (!res.meta.changes) return { ok: false, status: 422, errors: { name: t("sites.goals.funnelDuplicate") } };
  return { ok: true };
}

export async function deleteFunnel(db: Db, siteId: number, userId: number, funnelId: number): Promise<boolean> {
  const res = await db.$client.prepare(`DELETE FROM site_funnels WHERE id = ?3 AND site_id = ?1 AND ${OWNED}`).bind(siteId, userId, funnelId).run();
  return res.meta.changes > 0;
}

// --- The report's statements -------------------------------------------------------------------------

type GoalScan = { siteId: number; from: number; to: number; dimsFrom: number; dimsTo: number; filters: readonly Filter[] };

/**
 * The visits of [?2, ?3) matching the filters (from ?6) that convert one of the goals `goals` selects, as
 * `h(goal, day, visitor, ts)`. The goals become a lookup table first, `lk(key, goal)`: `e:<event>` for event
 * goals, `p:<path>` for every path of the period (from the page rollup over the UTC days [?4, ?5), not from
 * raw visits) that a page goal's pattern matches. The one scan of visits_site_ts then probes `lk` by the
 * visit's own key, so its cost does not grow with the number of goals; with no key at all, the scan's
 * site id is NULL and the index seek reads nothing.
 */
function goalHits(goals: string, filterSqlText: string) {
  return `g AS MATERIALIZED (${goals}),
    paths AS MATERIALIZED (SELECT DISTINCT value FROM visit_dims
      WHERE site_id = (SELECT ?1 FROM g WHERE kind = 'page' LIMIT 1) AND dim = 'page' AND day >= ?4 AND day < ?5),
    lk AS MATERIALIZED (SELECT 'e:' || value AS key, id AS goal FROM g WHERE kind = 'event'
      UNION ALL SELECT 'p:' || p.value, g.id FROM paths p JOIN g ON g.kind = 'page' AND p.value GLOB g.value),
    h AS (SELECT lk.goal, s.ts - s.ts % ${DAY} AS day, s.visitor, s.ts
      FROM visits s CROSS JOIN lk
      WHERE s.site_id = (SELECT ?1 FROM lk LIMIT 1) AND s.ts >= ?2 AND s.ts < ?3 AND ${filterSqlText}
        AND lk.key = CASE WHEN s.event = 'pageview' THEN 'p:' || s.path ELSE 'e:' || s.event END)`;
}

/** Per goal of `goals` (g): conversions and converting visitors among the visits `hits` counts (goalHits' h). */
const RAW_COUNTS = `c AS MATERIALIZED (SELECT goal, count(*) AS conversions, count(DISTINCT day || ':' || visitor) AS visitors FROM h GROUP BY goal)
  SELECT g.id, g.kind, g.value, coalesce(c.conversions, 0) AS conversions, coalesce(c.visitors, 0) AS visitors FROM g LEFT JOIN c ON c.goal = g.id`;

/**
 * Per goal of the site (all of them, zero when none converted): total conversions and unique converting
 * visitors (a visitor is one per day, as everywhere in the report) among the period's matching visits.
 * Unfiltered, from goal_hourly (goal-rollup.ts), the same numbers without reading raw visits; only a goal
 * whose rollup starts after the period does (rollup_from: older than its backfill), and a filtered report
 * counts the matching raw visits as before.
 */
export function goalsStatement(client: D1Database, q: GoalScan): D1PreparedStatement {
  if (q.filters.length === 0) {
    return client
      .prepare(`WITH ${goalHits("SELECT id, kind, value FROM site_goals WHERE site_id = ?1 AND NOT coalesce(rollup_from <= ?2, false)", "true")},
        ${RAW_COUNTS} UNION ALL ${GOAL_ROLLUP_COUNTS} ORDER BY 1`)
      .bind(q.siteId, q.from, q.to, q.dimsFrom, q.dimsTo, wholeDays(q.from, q.to).first, wholeDays(q.from, q.to).end);
  }
  const f = filterSql(q.filters, 6);
  return client
    .prepare(`WITH ${goalHits("SELECT id, kind, value FROM site_goals WHERE site_id = ?1", f.sql)}, ${RAW_COUNTS} ORDER BY g.id`)
    .bind(q.siteId, q.from, q.to, q.dimsFrom, q.dimsTo, ...f.params);
}

/**
 * For the funnels: per goal used by a funnel, UTC day and visitor, the times of that visitor's conversions
 * (comma-separated). funnelResults walks them in order. No funnels: no visit is read.
 */
export function funnelHitsStatement(client: D1Database, q: GoalScan): D1PreparedStatement {
  const f = filterSql(q.filters, 6);
  const goals = `SELECT id, kind, value FROM site_goals
    WHERE site_id = ?1 AND id IN (SELECT j.value FROM site_funnels fu JOIN json_each(fu.steps) j WHERE fu.site_id = ?1)`;
  return client
    .prepare(`WITH ${goalHits(goals, f.sql)}
      SELECT goal, day || ':' || visitor AS who, group_concat(ts) AS times FROM h GROUP BY 1, 2`)
    .bind(q.siteId, q.from, q.to, q.dimsFrom, q.dimsTo, ...f.params);
}

export const funnelsStatement = (client: D1Database, siteId: number) =>
  client.prepare("SELECT id, name, steps FROM site_funnels WHERE site_id = ?1 ORDER BY name COLLATE NOCASE, id").bind(siteId);

export type GoalRow = { id: number; kind: string; value: string; conversions: number; visitors: number };
export type FunnelHitRow = { goal: number; who: string; times: string };

export const goalResults = (rows: GoalRow[]): GoalResult[] =>
  rows.map((r) => ({ ...goalOf(r), conversions: Number(r.conversions), visitors: Number(r.visitors) }));

/**
 * How many visitors reached each step of each funnel: within one visitor's day, step k counts when the
 * visitor converts step k's goal at or after the time they reached step k-1 (the earliest such time is
 * taken, which reaches the most steps; a goal repeated as the next step needs a later conversion).
 */
export function funnelResults(funnelRows: Record<string, unknown>[], goals: Goal[], hits: FunnelHitRow[]): FunnelResult[] {
  const byWho = new Map<string, Map<number, number[]>>();
  for (const h of hits) {
    const goalsOf = byWho.get(h.who) ?? new Map<number, number[]>();
    byWho.set(h.who, goalsOf);
    goalsOf.set(
      Number(h.goal),
      String(h.times)
        .split(",")
        .map(Number)
        .sort((a, b) => a - b),
    );
  }
  const goalById = new Map(goals.map((g) => [g.id, g]));
  return funnelRows.map(funnelOf).map((funnel) => {
    const reached = funnel.steps.map(() => 0);
    for (const goalsOf of byWho.values()) {
      let t = -Infinity;
      for (let k = 0; k < funnel.steps.length; k++) {
        // The same goal twice in a row needs a later conversion; another goal may share the millisecond.
        const same = k > 0 && funnel.steps[k] === funnel.steps[k - 1];
        const next = goalsOf.get(funnel.steps[k]!)?.find((ts) => ts > t || (ts === t && !same));
        if (next === undefined) break;
        t = next;
        reached[k]! += 1;
      }
    }
    const steps = funnel.steps.flatMap((id, k) => {
      const goal = goalById.get(id);
      return goal ? [{ goal, visitors: reached[k]! }] : [];
    });
    return { id: funnel.id, name: funnel.name, steps };
  });
}

/** How a goal reads: "Event signup", "Page /blog/*". */
export const goalLabel = (g: Goal) => t(g.kind === "event" ? "sites.goals.eventLabel" : "sites.goals.pageLabel", { value: g.value });
