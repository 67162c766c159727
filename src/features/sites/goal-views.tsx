// Goals and funnels: the owner's page that manages them (/sites/<id>/goals) and the report's panels that
// show them (also on shared links and the public page, read only: the panels have no forms).
import type { Child } from "hono/jsx";
import { formatNumber, t } from "../../i18n";
import type { FieldErrors } from "../../lib/forms";
import { Field, FormError, Select } from "../../views/form";
import { LinkedText, SLOT } from "../../views/linked-text";
import { DataTable } from "../../views/table";
import { Card } from "../../views/ui/card";
import { EmptyState } from "../../views/ui/empty-state";
import { SiteCrumbs } from "./crumbs";
import {
  FUNNEL_NAME_MAX,
  type FunnelResult,
  type GoalResult,
  type GoalsOfSite,
  goalLabel,
  MAX_FUNNEL_STEPS,
  MAX_GOALS_PER_SITE,
  MIN_FUNNEL_STEPS,
} from "./goals";
import { perLocale } from "./labels";
import type { PropList } from "./props";

type FormState = { values?: Record<string, string>; errors?: FieldErrors };

const fmt = { format: (n: number) => formatNumber(n) };
const percent = perLocale((tag) => new Intl.NumberFormat(tag, { style: "percent", maximumFractionDigits: 1 }));
const pct = (n: number, of: number) => (of > 0 ? percent().format(n / of) : "–");

/** The owner's list of goals or funnels, each row with its Remove button; an empty state when there are none. */
function ManagedList<T>(props: {
  rows: T[];
  empty: string;
  class: string;
  headers: string[];
  cells: (row: T) => Child;
  remove: (row: T) => { action: string; label: string };
}) {
  if (props.rows.length === 0) {
    return (
      <EmptyState>
        <p>{props.empty}</p>
      </EmptyState>
    );
  }
  return (
    <DataTable
      class={props.class}
      columns={[...props.headers.map((header) => ({ header })), { header: <span class="visually-hidden">{t("sites.goals.remove")}</span> }]}
      rows={props.rows}
      cells={(row) => {
        const r = props.remove(row);
        return (
          <>
            {props.cells(row)}
            <td>
              <form method="post" action={r.action}>
                <button type="submit" class="button-danger" aria-label={r.label}>
                  {t("sites.goals.remove")}
                </button>
              </form>
            </td>
          </>
        );
      }}
    />
  );
}

export function GoalsPage(props: GoalsOfSite & { goalForm?: FormState; funnelForm?: FormState }) {
  const { site, goals, funnels } = props;
  const base = `/sites/${site.id}`;
  const gf = props.goalForm ?? {};
  const ff = props.funnelForm ?? {};
  const goalName = new Map(goals.map((g) => [g.id, goalLabel(g)]));
  const stepOptions = [{ value: "", label: "—" }, ...goals.map((g) => ({ value: String(g.id), label: goalLabel(g) }))];
  return (
    <article class="site-goals">
      <SiteCrumbs name={site.name} href={base} />
      <h1>{t("sites.goals.heading", { site: site.name })}</h1>
      <Card label={t("sites.goals.goals")}>
        <h2>{t("sites.goals.goals")}</h2>
        <p class="hint">
          <LinkedText text={t("sites.goals.explain", { code: SLOT, max: MAX_GOALS_PER_SITE })} link={<code>roost.track("signup")</code>} />
        </p>
        <ManagedList
          rows={goals}
          empty={t("sites.goals.none")}
          class="goals-table"
          headers={[t("sites.goals.goal")]}
          cells={(g) => <td>{goalLabel(g)}</td>}
          remove={(g) => ({ action: `${base}/goals/${g.id}/delete`, label: t("sites.goals.removeGoal", { goal: goalLabel(g) }) })}
        />
        <form method="post" action={`${base}/goals`} class="stack-form" novalidate>
          <FormError error={gf.errors?._form} />
          <Select
            form="goal"
            name="kind"
            label={t("sites.goals.type")}
            options={[
              { value: "event", label: t("sites.goals.customEvent") },
              { value: "page", label: t("sites.goals.pageview") },
            ]}
            value={gf.values?.kind}
            error={gf.errors?.kind}
          />
          <Field
            form="goal"
            name="value"
            label={t("sites.goals.value")}
            value={gf.values?.value}
            error={gf.errors?.value}
            hint={t("sites.goals.valueHint")}
            maxlength={512}
          />
          <button type="submit">{t("sites.goals.add")}</button>
        </form>
      </Card>
      <Card label={t("sites.goals.funnels")}>
        <h2>{t("sites.goals.funnels")}</h2>
        <p class="hint">{t("sites.goals.funnelExplain", { min: MIN_FUNNEL_STEPS, max: MAX_FUNNEL_STEPS })}</p>
        <ManagedList
          rows={funnels}
          empty={t("sites.goals.noFunnels")}
          class="funnels-table"
          headers={[t("sites.goals.funnel"), t("sites.goals.steps")]}
          cells={(f) => (
            <>
              <td>{f.name}</td>
              <td>{f.steps.map((st) => goalName.get(st) ?? "?").join(" → ")}</td>
            </>
          )}
          remove={(f) => ({ action: `${base}/funnels/${f.id}/delete`, label: t("sites.goals.removeFunnel", { funnel: f.name }) })}
        />
        {goals.length < MIN_FUNNEL_STEPS ? (
          <p class="muted">{t("sites.goals.needGoals", { min: MIN_FUNNEL_STEPS })}</p>
        ) : (
          <form method="post" action={`${base}/funnels`} class="stack-form" novalidate>
            <FormError error={ff.errors?._form} />
            <Field form="funnel" name="name" label={t("sites.goals.funnelName")} value={ff.values?.name} error={ff.errors?.name} maxlength={FUNNEL_NAME_MAX} />
            <fieldset>
              <legend>{t("sites.goals.stepsInOrder")}</legend>
              {ff.errors?.steps && (
                <p class="form-error" role="alert">
                  {ff.errors.steps}
                </p>
              )}
              {Array.from({ length: MAX_FUNNEL_STEPS }, (_, i) => (
                <Select
                  form="funnel"
                  name={`step${i + 1}`}
                  label={t("sites.goals.stepN", { n: i + 1 })}
                  options={stepOptions}
                  value={ff.values?.[`step${i + 1}`]}
                />
              ))}
            </fieldset>
            <button type="submit">{t("sites.goals.addFunnel")}</button>
          </form>
        )}
      </Card>
    </article>
  );
}

/** The report's goals: converting visitors, conversions and the rate (of the period's unique visitors). */
export function GoalsPanel(props: { goals: GoalResult[]; visitors: number; manageHref?: string }) {
  if (props.goals.length === 0 && !props.manageHref) return null;
  return (
    <section class="top-panel goals-panel" aria-labelledby="goals-title">
      <h3 id="goals-title">{t("sites.goals.goals")}</h3>
      {props.goals.length === 0 ? (
        <p class="muted">{t("sites.goals.none")}</p>
      ) : (
        <DataTable
          class="top-table"
          rows={props.goals}
          columns={[
            { header: t("sites.goals.goal"), cell: goalLabel },
            { header: t("sites.col.visitors"), num: true, cell: (g) => fmt.format(g.visitors) },
            { header: t("sites.goals.conversions"), num: true, cell: (g) => fmt.format(g.conversions) },
            { header: t("sites.goals.rate"), num: true, cell: (g) => pct(g.visitors, props.visitors) },
          ]}
        />
      )}
      {props.manageHref && (
        <p>
          <a href={props.manageHref}>{t("sites.goals.manage")}</a>
        </p>
      )}
    </section>
  );
}

/** Each funnel: visitors per step, and the drop-off from the step before (count and share). */
export function FunnelsPanel(props: { funnels: FunnelResult[] }) {
  if (props.funnels.length === 0) return null;
  return (
    <section class="funnels" aria-labelledby="funnels-title">
      <h2 id="funnels-title">{t("sites.goals.funnels")}</h2>
      {props.funnels.map((f) => (
        <section class="top-panel funnel" aria-label={t("sites.goals.funnelNamed", { funnel: f.name })}>
          <h3>{f.name}</h3>
          <DataTable
            class="top-table"
            rows={f.steps.map((s, i) => ({ ...s, i, before: i > 0 ? f.steps[i - 1]!.visitors : null }))}
            columns={[
              { header: t("sites.goals.step"), cell: (s) => `${s.i + 1}. ${goalLabel(s.goal)}` },
              { header: t("sites.col.visitors"), num: true, cell: (s) => fmt.format(s.visitors) },
              { header: t("sites.goals.dropOff"), num: true, cell: (s) => (s.before === null ? "–" : fmt.format(s.before - s.visitors)) },
              { header: t("sites.goals.dropOffShare"), num: true, cell: (s) => (s.before === null ? "–" : pct(s.before - s.visitors, s.before)) },
            ]}
          />
        </section>
      ))}
    </section>
  );
}

/**
 * Custom properties: links to pick a key (`?prop=<key>`, keeping everything else) and the chosen key's top
 * values, each a link that filters the report to it (`prop:<key>:is:<value>`).
 */
export function PropsPanel(props: {
  lists: PropList[];
  chosen: string | undefined;
  keyHref: (key: string) => string;
  valueHref: (key: string, value: string) => string;
}) {
  if (props.lists.length === 0) return null;
  const list = props.lists.find((l) => l.key === props.chosen) ?? props.lists[0]!;
  return (
    <section class="top-panel props-panel" aria-labelledby="props-title">
      <h3 id="props-title">{t("sites.props.title")}</h3>
      <nav aria-label={t("sites.props.keys")}>
        <ul class="prop-keys">
          {props.lists.map((l) => (
            <li>{l.key === list.key ? <strong aria-current="true">{l.key}</strong> : <a href={props.keyHref(l.key)}>{l.key}</a>}</li>
          ))}
        </ul>
      </nav>
      <DataTable
        class="top-table"
        columns={[{ header: list.key }, { header: t("sites.top.event"), num: true }]}
        rows={list.rows}
        cells={(r) => (
          <>
            <td>
              <a class="top-value" href={props.valueHref(list.key, r.value)}>
                {r.value}
              </a>
            </td>
            <td class="num">{fmt.format(r.n)}</td>
          </>
        )}
      />
    </section>
  );
}
