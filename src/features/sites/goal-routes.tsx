// The owner's goals and funnels page, /sites/<id>/goals: list, add and remove (POST forms, CSRF-checked like
// every form). Someone else's site, a malformed id or an unknown goal or funnel is a 404; anonymous visitors
// are sent to log in; a bad form comes back as the page with the errors (422).
import type { Context } from "hono";
import { Hono } from "hono";
import type { WebEnv } from "../../env";
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

const NO_SUCH_SITE = "There is no such site among yours.";
type FormState = { values?: Record<string, string>; errors?: Record<string, string> };

async function goalsPage(
  c: Context<WebEnv>,
  siteId: number,
  userId: number,
  forms: { goalForm?: FormState; funnelForm?: FormState } = {},
  status: 200 | 422 = 200,
) {
  const found = await goals.listGoals(c.get("db"), siteId, userId);
  if (!found) return errorResponse(c, 404, NO_SUCH_SITE);
  return renderPage(c, { title: `Goals of ${found.site.name}`, status }, <GoalsPage {...found} {...forms} />);
}

/** The site id and, for a removal, the goal's or funnel's id; a malformed one is a 404. */
const idsOf = (c: Context<WebEnv>, sub?: string) => ({ id: parseId(c.req.param("id") ?? ""), sub: sub === undefined ? 0 : parseId(c.req.param(sub) ?? "") });

goalRoutes.get(
  "/:id/goals",
  withUser((c, user) => {
    const { id } = idsOf(c);
    return id === null ? errorResponse(c, 404, NO_SUCH_SITE) : goalsPage(c, id, user.id);
  }),
);

goalRoutes.post(
  "/:id/goals",
  withUser(async (c, user) => {
    const { id } = idsOf(c);
    if (id === null) return errorResponse(c, 404, NO_SUCH_SITE);
    const raw = await readForm(c);
    const values = { kind: raw.kind ?? "", value: raw.value ?? "" };
    const kind = validate(goals.goalFormSchema, raw);
    const form = kind.ok ? validate(goals.goalSchema, raw) : kind;
    if (!form.ok) return goalsPage(c, id, user.id, { goalForm: { values, errors: form.errors } }, 422);
    const added = await goals.addGoal(c.get("db"), id, user.id, form.data);
    if (!added.ok) {
      return added.status === 404 ? errorResponse(c, 404, NO_SUCH_SITE) : goalsPage(c, id, user.id, { goalForm: { values, errors: added.errors } }, 422);
    }
    await flash(c, `Goal added: ${goals.goalLabel({ id: 0, ...form.data })}.`, "success");
    return redirect(c, `/sites/${id}/goals`);
  }),
);

goalRoutes.post(
  "/:id/goals/:goalId/delete",
  withUser(async (c, user) => {
    const { id, sub } = idsOf(c, "goalId");
    if (id === null || sub === null || !(await goals.deleteGoal(c.get("db"), id, user.id, sub))) return errorResponse(c, 404, "There is no such goal.");
    await flash(c, "Goal removed, with the funnels that used it.", "success");
    return redirect(c, `/sites/${id}/goals`);
  }),
);

goalRoutes.post(
  "/:id/funnels",
  withUser(async (c, user) => {
    const { id } = idsOf(c);
    if (id === null) return errorResponse(c, 404, NO_SUCH_SITE);
    const raw = await readForm(c);
    const form = goals.parseFunnelForm(raw);
    if (!form.ok) return goalsPage(c, id, user.id, { funnelForm: { values: raw, errors: form.errors } }, 422);
    const added = await goals.addFunnel(c.get("db"), id, user.id, form.data);
    if (!added.ok) {
      return added.status === 404 ? errorResponse(c, 404, NO_SUCH_SITE) : goalsPage(c, id, user.id, { funnelForm: { values: raw, errors: added.errors } }, 422);
    }
    await flash(c, `Funnel added: ${form.data.name}.`, "success");
    return redirect(c, `/sites/${id}/goals`);
  }),
);

goalRoutes.post(
  "/:id/funnels/:funnelId/delete",
  withUser(async (c, user) => {
    const { id, sub } = idsOf(c, "funnelId");
    if (id === null || sub === null || !(await goals.deleteFunnel(c.get("db"), id, user.id, sub))) return errorResponse(c, 404, "There is no such funnel.");
    await flash(c, "Funnel removed.", "success");
    return redirect(c, `/sites/${id}/goals`);
  }),
);
