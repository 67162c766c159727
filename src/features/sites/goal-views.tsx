// Goals and funnels: the owner's page that manages them (/sites/<id>/goals) and the report's panels that
// show them (also on shared links and the public page, read only: the panels have no forms).
import type { Child } from "hono/jsx";
import type { FieldErrors } from "../../lib/forms";
import { Field, FormError, Select } from "../../views/form";
import { DataTable } from "../../views/table";
import { Card } from "../../views/ui/card";
import { EmptyState } from "../../views/ui/empty-state";
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
import type { PropList } from "./props";

type FormState = { values?: Record<string, string>; errors?: FieldErrors };

const fmt = new Intl.NumberFormat("en");
const pct = (n: number, of: number) => (of > 0 ? `${Math.round((n / of) * 1000) / 10}%` : "–");

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
      columns={[...props.headers.map((header) => ({ header })), { header: <span class="visually-hidden">Remove</span> }]}
      rows={props.rows}
      cells={(row) => {
        const r = props.remove(row);
        return (
          <>
            {props.cells(row)}
            <td>
              <form method="post" action={r.action}>
                <button type="submit" class="button-danger" aria-label={r.label}>
                  Remove
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
      <p class="breadcrumbs">
        <a href="/sites">Your sites</a> › <a href={base}>{site.name}</a>
      </p>
      <h1>Goals and funnels of {site.name}</h1>
      <Card label="Goals">
        <h2>Goals</h2>
        <p class="hint">
          A goal is a custom event (what <code>roost.track("signup")</code> sends) or a pageview of a path: <code>/pricing</code>, or <code>/blog/*</code> with{" "}
          <code>*</code> standing for anything. The report shows, per goal, the visitors who converted, the conversions and the conversion rate. At most{" "}
          {MAX_GOALS_PER_SITE}.
        </p>
        <ManagedList
          rows={goals}
          empty="No goals yet."
          class="goals-table"
          headers={["Goal"]}
          cells={(g) => <td>{goalLabel(g)}</td>}
          remove={(g) => ({ action: `${base}/goals/${g.id}/delete`, label: `Remove goal ${goalLabel(g)}` })}
        />
        <form method="post" action={`${base}/goals`} class="stack-form" novalidate>
          <FormError error={gf.errors?._form} />
          <Select
            form="goal"
            name="kind"
            label="Type"
            options={[
              { value: "event", label: "Custom event" },
              { value: "page", label: "Pageview of a path" },
            ]}
            value={gf.values?.kind}
            error={gf.errors?.kind}
          />
          <Field
            form="goal"
            name="value"
            label="Event name or path"
            value={gf.values?.value}
            error={gf.errors?.value}
            hint="signup, or /blog/*"
            maxlength={512}
          />
          <button type="submit">Add goal</button>
        </form>
      </Card>
      <Card label="Funnels">
        <h2>Funnels</h2>
        <p class="hint">
          A funnel is {MIN_FUNNEL_STEPS} to {MAX_FUNNEL_STEPS} goals in order. The report counts the visitors who reached each step in that order within their
          day (visitor ids change daily), and how many dropped off between steps. Removing a goal removes the funnels that use it.
        </p>
        <ManagedList
          rows={funnels}
          empty="No funnels yet."
          class="funnels-table"
          headers={["Funnel", "Steps"]}
          cells={(f) => (
            <>
              <td>{f.name}</td>
              <td>{f.steps.map((st) => goalName.get(st) ?? "?").join(" → ")}</td>
            </>
          )}
          remove={(f) => ({ action: `${base}/funnels/${f.id}/delete`, label: `Remove funnel ${f.name}` })}
        />
        {goals.length < MIN_FUNNEL_STEPS ? (
          <p class="muted">Add at least {MIN_FUNNEL_STEPS} goals to build a funnel.</p>
        ) : (
          <form method="post" action={`${base}/funnels`} class="stack-form" novalidate>
            <FormError error={ff.errors?._form} />
            <Field form="funnel" name="name" label="Funnel name" value={ff.values?.name} error={ff.errors?.name} maxlength={FUNNEL_NAME_MAX} />
            <fieldset>
              <legend>Steps, in order</legend>
              {ff.errors?.steps && (
                <p class="form-error" role="alert">
                  {ff.errors.steps}
                </p>
              )}
              {Array.from({ length: MAX_FUNNEL_STEPS }, (_, i) => (
                <Select form="funnel" name={`step${i + 1}`} label={`Step ${i + 1}`} options={stepOptions} value={ff.values?.[`step${i + 1}`]} />
              ))}
            </fieldset>
            <button type="submit">Add funnel</button>
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
      <h3 id="goals-title">Goals</h3>
      {props.goals.length === 0 ? (
        <p class="muted">No goals yet.</p>
      ) : (
        <DataTable
          class="top-table"
          columns={[{ header: "Goal" }, { header: "Visitors", num: true }, { header: "Conversions", num: true }, { header: "Rate", num: true }]}
          rows={props.goals}
          cells={(g) => (
            <>
              <td>{goalLabel(g)}</td>
              <td class="num">{fmt.format(g.visitors)}</td>
              <td class="num">{fmt.format(g.conversions)}</td>
              <td class="num">{pct(g.visitors, props.visitors)}</td>
            </>
          )}
        />
      )}
      {props.manageHref && (
        <p>
          <a href={props.manageHref}>Manage goals and funnels…</a>
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
      <h2 id="funnels-title">Funnels</h2>
      {props.funnels.map((f) => (
        <section class="top-panel funnel" aria-label={`Funnel ${f.name}`}>
          <h3>{f.name}</h3>
          <DataTable
            class="top-table"
            columns={[{ header: "Step" }, { header: "Visitors", num: true }, { header: "Drop-off", num: true }, { header: "Drop-off %", num: true }]}
            rows={f.steps.map((s, i) => ({ ...s, i, before: i > 0 ? f.steps[i - 1]!.visitors : null }))}
            cells={(s) => (
              <>
                <td>
                  {s.i + 1}. {goalLabel(s.goal)}
                </td>
                <td class="num">{fmt.format(s.visitors)}</td>
                <td class="num">{s.before === null ? "–" : fmt.format(s.before - s.visitors)}</td>
                <td class="num">{s.before === null ? "–" : pct(s.before - s.visitors, s.before)}</td>
              </>
            )}
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
      <h3 id="props-title">Properties</h3>
      <nav aria-label="Property keys">
        <ul class="prop-keys">
          {props.lists.map((l) => (
            <li>{l.key === list.key ? <strong aria-current="true">{l.key}</strong> : <a href={props.keyHref(l.key)}>{l.key}</a>}</li>
          ))}
        </ul>
      </nav>
      <DataTable
        class="top-table"
        columns={[{ header: list.key }, { header: "Events", num: true }]}
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
