// The owner's goals and funnels page, /sites/<id>/goals: list, add and remove (POST forms, CSRF-checked like
// every form). Someone else's site, a malformed id or an unknown goal or funnel is a 404; anonymous visitors
// are sent to log in; a bad form comes back as the page with the errors (422).
import type { Context } from "hono";
import { Hono } from "hono";
import type { Db } from "../../db";
import type { WebEnv } from "../../env";
import { type PlainKey, t } from "../../i18n";
import { validate } from "../../lib/forms";
import { parseId } from "../../lib/ids";
import { errorResponse } from "../../middleware/errors";
import { readForm } from "../../middleware/form-body";
import { withUser } from "../../middleware/permissions";
import { flash } from "../../views/flash";
import { redirect, renderPage } from "../../views/render";
import { GoalsPage } from "./goal-views";
import * as goals from "./goals";

export const goalRoutes = new Hono<WebEnv>();

type FormState = { values?: Record<string, string>; errors?: Record<string, string> };

async function goalsPage(
  c: Context<WebEnv>,
  siteId: number,
  userId: number,
  forms: { goalForm?: FormState; funnelForm?: FormState } = {},
  status: 200 | 422 = 200,
) {
  const found = await goals.listGoals(c.get("db"), siteId, userId);
  if (!found) return errorResponse(c, 404, t("sites.noSuchSite"));
  return renderPage(c, { title: t("sites.goals.title", { site: found.site.name }), status }, <GoalsPage {...found} {...forms} />);
}

/** The site id and, for a removal, the goal's or funnel's id; a malformed one is a 404. */
const idsOf = (c: Context<WebEnv>, sub?: string) => ({ id: parseId(c.req.param("id") ?? ""), sub: sub === undefined ? 0 : parseId(c.req.param(sub) ?? "") });

goalRoutes.get(
  "/:id/goals",
  withUser((c, user) => {
    const { id } = idsOf(c);
    return id === null ? errorResponse(c, 404, t("sites.noSuchSite")) : goalsPage(c, id, user.id);
  }),
);

type Added = { ok: true } | { ok: false; status: 404 } | { ok: false; status: 422; errors: Record<string, string> };

/**
 * POST `path` adds a goal or a funnel: `parse` checks the form (its errors come back on the page, 422), `add`
 * stores it (someone else's site is a 404), then a flash and back to the page.
 */
function addRoute<T>(
  path: string,
  formKey: "goalForm" | "funnelForm",
  parse: (raw: Record<string, string>) => { ok: true; data: T } | { ok: false; errors: Record<string, string> },
  add: (db: Db, siteId: number, userId: number, data: T) => Promise<Added>,
  done: (data: T) => string,
) {
  goalRoutes.post(
    path,
    withUser(async (c, user) => {
      const { id } = idsOf(c);
      if (id === null) return errorResponse(c, 404, t("sites.noSuchSite"));
      const raw = await readForm(c);
      const form = parse(raw);
      if (!form.ok) return goalsPage(c, id, user.id, { [formKey]: { values: raw, errors: form.errors } }, 422);
      const added = await add(c.get("db"), id, user.id, form.data);
      if (!added.ok && added.status === 404) return errorResponse(c, 404, t("sites.noSuchSite"));
      if (!added.ok) return goalsPage(c, id, user.id, { [formKey]: { values: raw, errors: added.errors } }, 422);
      await flash(c, done(form.data), "success");
      return redirect(c, `/sites/${id}/goals`);
    }),
  );
}

/** POST `path` removes a goal or a funnel of the member's site; anything else (or a malformed id) is a 404. */
function removeRoute(
  path: string,
  param: string,
  remove: (db: Db, siteId: number, userId: number, id: number) => Promise<boolean>,
  missing: PlainKey,
  done: PlainKey,
) {
  goalRoutes.post(
    path,
    withUser(async (c, user) => {
      const { id, sub } = idsOf(c, param);
      if (id === null || sub === null || !(await remove(c.get("db"), id, user.id, sub))) return errorResponse(c, 404, t(missing));
      await flash(c, t(done), "success");
      return redirect(c, `/sites/${id}/goals`);
    }),
  );
}

/** The goal form: its kind first (anything else is not from our form), then the kind's own rules. */
function parseGoal(raw: Record<string, string>) {
  const kind = validate(goals.goalFormSchema, raw);
  return kind.ok ? validate(goals.goalSchema, raw) : kind;
}

addRoute("/:id/goals", "goalForm", parseGoal, goals.addGoal, (g) => t("sites.goals.added", { goal: goals.goalLabel({ id: 0, ...g }) }));
removeRoute("/:id/goals/:goalId/delete", "goalId", goals.deleteGoal, "sites.goals.noSuchGoal", "sites.goals.removed");
addRoute("/:id/funnels", "funnelForm", goals.parseFunnelForm, goals.addFunnel, (f) => t("sites.goals.funnelAdded", { funnel: f.name }));
removeRoute("/:id/funnels/:funnelId/delete", "funnelId", goals.deleteFunnel, "sites.goals.noSuchFunnel", "sites.goals.funnelRemoved");
