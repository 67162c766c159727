// Site analytics pages: the sites list with the add form, the report (period picker, totals, chart, top
// lists, live figure, raw visits, snippet, settings), the raw visits page and the delete confirmation.
// The forms, the live figure and the visits table are their own components so htmx gets just them back.

import { TABLE_FIELDS } from "../../db/visit-fields";
import { formatNumber, t, tn } from "../../i18n";
import type { FieldErrors } from "../../lib/forms";
import type { KeysetPage } from "../../lib/pagination";
import { Field, FormError, HxForm } from "../../views/form";
import { LinkedText, SLOT } from "../../views/linked-text";
import { DataTable, ScrollTable } from "../../views/table";
import { Button, ButtonLink, buttonClass } from "../../views/ui/button";
import { VisitsChart } from "./chart";
import { SiteCrumbs } from "./crumbs";
import {
  FILTER_DIMENSIONS,
  type Filter,
  type FilterDimension,
  filterLabel,
  filterQuery,
  isPropDim,
  maxFilterValue,
  OPERATORS,
  type PropDimension,
  withFilter,
  withoutFilter,
} from "./filters";
import { FunnelsPanel, GoalsPanel, PropsPanel } from "./goal-views";
import { columnName, isTableColumn, panelTitles, perLocale, presetName } from "./labels";
import { type Period, type PeriodErrors, PRESETS, periodLabel } from "./period";
import { BASE_URL_MAX, SITE_NAME_MAX } from "./schemas";
import {
  CSV_MAX_ROWS,
  type Dimension,
  LIVE_WINDOW_MS,
  percentChange,
  type Report,
  reportQuery,
  type SiteListItem,
  type SiteSummary,
  type TopList,
  type VisitItem,
} from "./service";
import { SESSION_DIMENSIONS, type SessionDimension } from "./sessions";
import { MailReportsForm, TimeZoneForm } from "./settings-views";

type FormState = { values?: Record<string, string>; errors?: FieldErrors };

/** Numbers in the reader's notation (1,234 / 1234 / 12.345). */
const fmt = { format: (n: number) => formatNumber(n) };
const sitePath = (id: number) => `/sites/${id}`;
const countries = perLocale((tag) => new Intl.DisplayNames([tag], { type: "region" }));

function countryName(code: string): string {
  if (!code) return t("sites.unknown");
  if (code === "T1") return t("sites.tor");
  try {
    return countries().of(code) ?? code;
  } catch {
    return code;
  }
}

/** "2026-05-01 12:34:56" in UTC, like every analytics day and hour. */
const utc = (ts: number) => new Date(ts).toISOString().slice(0, 19).replace("T", " ");
const addedOn = perLocale((tag) => new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeZone: "UTC" }));

// --- The sites list -----------------------------------------------------------------------------------

export function AddSiteForm({ values = {}, errors = {} }: FormState) {
  const f = "add-site";
  return (
    <HxForm id="add-site-form" action="/sites">
      <FormError error={errors._form} />
      <Field form={f} name="name" label={t("sites.form.name")} value={values.name} error={errors.name} required maxlength={SITE_NAME_MAX} autocomplete="off" />
      <Field
        form={f}
        name="base_url"
        label={t("sites.form.baseUrl")}
        type="url"
        value={values.base_url}
        error={errors.base_url}
        required
        maxlength={BASE_URL_MAX}
        autocomplete="url"
        hint={t("sites.form.baseUrlHint")}
      />
      <Button>{t("sites.form.add")}</Button>
    </HxForm>
  );
}

export function SitesPage(props: { sites: SiteListItem[]; listDays: number } & FormState) {
  return (
    <section class="sites">
      <h1>{t("sites.yourSites")}</h1>
      <ScrollTable
        label={t("sites.yourSites")}
        empty={t("sites.none")}
        class="sites-table"
        columns={[
          { header: t("sites.list.site") },
          { header: t("sites.form.baseUrl") },
          { header: tn("sites.list.pageviews", props.listDays), num: true },
          { header: t("sites.list.added") },
        ]}
        rows={props.sites}
        cells={(s) => (
          <>
            <td>
              <a href={sitePath(s.id)}>{s.name}</a>
            </td>
            <td class="break">{s.baseUrl}</td>
            <td class="num">{fmt.format(s.pageviews)}</td>
            <td>{addedOn().format(s.createdAt)}</td>
          </>
        )}
      />
      <h2>{t("sites.addHeading")}</h2>
      <AddSiteForm values={props.values} errors={props.errors} />
    </section>
  );
}

// --- Report parts ---------------------------------------------------------------------------------------

/** Period links and the custom range go to `base` (a share link's own URL) and keep the filters and comparison. */
function PeriodPicker(props: {
  siteId: number;
  base?: string;
  period: Period | null;
  filters?: Filter[];
  compare?: boolean;
  errors?: PeriodErrors;
  values?: { from: string; to: string };
}) {
  const { period, errors = {}, filters = [] } = props;
  const keep = (filters.length ? `&${filterQuery(filters)}` : "") + (props.compare ? "&compare=1" : "");
  const base = props.base ?? sitePath(props.siteId);
  const from = props.values?.from ?? (period?.key === "custom" ? period.fromDate : "");
  const to = props.values?.to ?? (period?.key === "custom" ? period.toDate : "");
  const f = "period";
  return (
    <nav class="period-picker" aria-label={t("sites.period.label")}>
      <ul class="period-presets">
        {PRESETS.map((p) => (
          <li>
            <a href={`${base}?period=${p.key}${keep}`} aria-current={period?.key === p.key ? "page" : undefined}>
              {presetName(p.key)}
            </a>
          </li>
        ))}
      </ul>
      <form method="get" action={base} class="period-custom" novalidate>
        <FormError error={errors.period} />
        <KeepFilters filters={filters} />
        {props.compare && <input type="hidden" name="compare" value="1" />}
        <Field form={f} name="from" label={t("sites.period.from")} type="date" value={from} error={errors.from} />
        <Field form={f} name="to" label={t("sites.period.to")} type="date" value={to} error={errors.to} />
        <Button variant="secondary">{t("sites.period.show")}</Button>
      </form>
    </nav>
  );
}

/** Polled by htmx every 30 s; the answer is this same element, so polling goes on. */
export function LiveVisitors(props: { siteId: number; count: number }) {
  const minutes = LIVE_WINDOW_MS / 60_000;
  return (
    <p id="live-visitors" class="live" hx-get={`${sitePath(props.siteId)}/live`} hx-trigger="every 30s" hx-swap="outerHTML">
      <strong>{fmt.format(props.count)}</strong> {tn("sites.live", props.count, { minutes })}
    </p>
  );
}

function dimValue(dim: FilterDimension | PropDimension, value: string): string {
  if (isPropDim(dim)) return value;
  if (dim === "country") return countryName(value);
  if (dim === "device") return value ? value[0]!.toUpperCase() + value.slice(1) : t("sites.unknown");
  return value || t("sites.unknown");
}

// --- Filters ------------------------------------------------------------------------------------------

/**
 * What a link from the report keeps besides the filters: where the report lives (the owner's page, or a
 * share link's or the public page's URL), the period, the comparison toggle.
 */
type View = { base: string; period: Period; compare: boolean };

/** Where the report goes with these filters (and the same period and comparison). */
const reportHref = (view: View, filters: readonly Filter[]) => `${view.base}?${reportQuery(view.period, filters)}${view.compare ? "&compare=1" : ""}`;

/** The current filters as hidden fields, so a GET form that changes something else keeps them. */
function KeepFilters(props: { filters: readonly Filter[] }) {
  return (
    <>
      {props.filters.map((f) => (
        <input type="hidden" name="f" value={`${f.dim}:${f.op}:${f.value}`} />
      ))}
    </>
  );
}

/**
 * The active filters as chips above the numbers, each with a link that removes it (and one that turns
 * "is" into "is not" and back), and a small GET form to add one by hand, e.g. "Page contains /blog".
 * Plain links and a plain form: they work without JavaScript and every state is a URL.
 */
function FilterBar(props: { view: View; filters: Filter[] }) {
  const { view, filters } = props;
  const { period } = view;
  return (
    <section class="filters" aria-label={t("sites.filter.label")}>
      {filters.length > 0 && (
        <ul class="filter-chips">
          {filters.map((f) => {
            const label = filterLabel(f);
            const text = `${label.dim} ${label.op} ${dimValue(f.dim, f.value)}`;
            const flipped: Filter | null = f.op === "contains" ? null : { ...f, op: f.op === "is" ? "is_not" : "is" };
            return (
              <li class="filter-chip">
                <span>
                  {label.dim} <em>{label.op}</em> <strong>{dimValue(f.dim, f.value)}</strong>
                </span>
                {flipped && (
                  <a
                    href={reportHref(view, withFilter(withoutFilter(filters, f), flipped))}
                    class="filter-flip"
                    aria-label={t("sites.filter.changeTo", { filter: `${label.dim} ${filterLabel(flipped).op} ${dimValue(f.dim, f.value)}` })}
                  >
                    {f.op === "is" ? t("sites.filter.exclude") : t("sites.filter.include")}
                  </a>
                )}
                <a href={reportHref(view, withoutFilter(filters, f))} class="filter-remove" aria-label={t("sites.filter.remove", { filter: text })}>
                  ×
                </a>
              </li>
            );
          })}
          {filters.length > 1 && (
            <li>
              <a href={reportHref(view, [])}>{t("sites.filter.clear")}</a>
            </li>
          )}
        </ul>
      )}
      <form method="get" action={view.base} class="filter-add">
        {period.key === "custom" ? (
          <>
            <input type="hidden" name="from" value={period.fromDate} />
            <input type="hidden" name="to" value={period.toDate} />
          </>
        ) : (
          <input type="hidden" name="period" value={period.key} />
        )}
        <KeepFilters filters={filters} />
        {view.compare && <input type="hidden" name="compare" value="1" />}
        <label>
          <span class="visually-hidden">{t("sites.filter.by")}</span>
          <select name="fd">
            {FILTER_DIMENSIONS.map((d) => (
              <option value={d}>{filterLabel({ dim: d, op: "is", value: "" }).dim}</option>
            ))}
          </select>
        </label>
        <label>
          <span class="visually-hidden">{t("sites.filter.operator")}</span>
          <select name="fo">
            {OPERATORS.map((o) => (
              <option value={o}>{filterLabel({ dim: "page", op: o, value: "" }).op}</option>
            ))}
          </select>
        </label>
        <label>
          <span class="visually-hidden">{t("sites.filter.value")}</span>
          <input type="text" name="fv" maxlength={maxFilterValue("page")} placeholder="/blog" />
        </label>
        <Button variant="secondary">{t("sites.filter.add")}</Button>
      </form>
    </section>
  );
}

/** A bar as SVG geometry rather than an inline style, so a strict style CSP never breaks it. */
function Bar(props: { fraction: number }) {
  const width = Math.max(0, Math.min(100, props.fraction * 100));
  return (
    <svg class="bar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" focusable="false">
      <rect width={width.toFixed(1)} height="6" rx="1" />
    </svg>
  );
}

/** Entry and exit pages have no filter of their own (yet): their rows are plain text. */
const isSessionDim = (dim: Dimension | SessionDimension): dim is SessionDimension => SESSION_DIMENSIONS.some((d) => d === dim);

function TopPanel(props: { dim: Dimension | SessionDimension; list: TopList; href: (add: Filter) => string }) {
  const { dim } = props;
  const [title, valueHeader, countHeader] = panelTitles(dim);
  const max = Math.max(1, ...props.list.rows.map((r) => r.n));
  return (
    <section class="top-panel" aria-labelledby={`top-${props.dim}`}>
      <h3 id={`top-${props.dim}`}>{title}</h3>
      {props.list.rows.length === 0 ? (
        <p class="muted">{t("sites.nothingYet")}</p>
      ) : (
        <DataTable
          class="top-table"
          columns={[{ header: valueHeader }, { header: countHeader, num: true }]}
          rows={props.list.rows}
          cells={(r) => (
            <>
              <td>
                {isSessionDim(dim) ? (
                  <span class="top-value">{r.value}</span>
                ) : (
                  <a class="top-value" href={props.href({ dim, op: "is", value: r.value })}>
                    {dimValue(dim, r.value)}
                  </a>
                )}
                <Bar fraction={r.n / max} />
              </td>
              <td class="num">{fmt.format(r.n)}</td>
            </>
          )}
        />
      )}
    </section>
  );
}

function Pager(props: { basePath: string; page: KeysetPage<unknown>; target: string }) {
  const { page, basePath } = props;
  if (!page.newerQuery && !page.olderQuery) return null;
  const link = (query: string, rel: "prev" | "next", text: string) => (
    <a href={basePath + query} rel={rel} hx-get={basePath + query} hx-target={props.target} hx-swap="outerHTML">
      {text}
    </a>
  );
  return (
    <nav class="pager" aria-label={t("sites.visits.pages")}>
      {page.newerQuery ? link(page.newerQuery, "prev", `← ${t("pager.newer")}`) : <span />}
      <span class="muted">{t("pager.page", { page: page.page })}</span>
      {page.olderQuery ? link(page.olderQuery, "next", `${t("pager.older")} →`) : <span />}
    </nav>
  );
}

/** The visits table's headers, in the reader's language. */
export const visitTableHeaders = () => TABLE_FIELDS.map((f) => (isTableColumn(f.key) ? columnName(f.key) : f.label));

/** The raw visits of the period, one keyset page; what the pager links swap in place. */
export function VisitsTable(props: { site: SiteSummary; period: Period; filters: Filter[]; visits: KeysetPage<VisitItem> }) {
  const { site, period, visits } = props;
  const csv = `${sitePath(site.id)}/visits.csv?${reportQuery(period, props.filters)}`;
  return (
    <section id="visits" class="visits" aria-labelledby="visits-title">
      <div class="section-head">
        <h2 id="visits-title">{t("sites.visits.title")}</h2>
        <ButtonLink variant="secondary" href={csv} download>
          {t("sites.visits.csv")}
        </ButtonLink>
      </div>
      {visits.items.length === 0 ? (
        <p class="empty-state">{visits.page > 1 ? t("sites.visits.noneOnPage") : t("sites.visits.none")}</p>
      ) : (
        // Focusable, so keyboard users can scroll a table wider than the page.
        <section class="table-scroll" tabindex={0} aria-labelledby="visits-title">
          <DataTable
            class="visits-table"
            columns={visitTableHeaders().map((header) => ({ header }))}
            rows={visits.items}
            cells={(v) =>
              TABLE_FIELDS.map(({ key }) =>
                key === "ts" ? (
                  <td>
                    <time datetime={new Date(v.ts).toISOString()}>{utc(v.ts)}</time>
                  </td>
                ) : (
                  // Paths can be long with no spaces: they may wrap anywhere.
                  <td class={key === "path" ? "break" : undefined}>{v[key] ?? ""}</td>
                ),
              )
            }
          />
        </section>
      )}
      <Pager basePath={`${sitePath(site.id)}/visits`} page={visits} target="#visits" />
      <p class="hint">{t("sites.visits.csvHint", { max: CSV_MAX_ROWS })}</p>
    </section>
  );
}

function snippetFor(baseUrl: string, siteId: number): string {
  return (
    `<script defer src="${baseUrl}/tracker.js" data-site="${siteId}"></script>\n` +
    `<noscript><img src="${baseUrl}/sites/${siteId}/visit" alt="" width="1" height="1" referrerpolicy="no-referrer-when-downgrade"></noscript>`
  );
}

function Snippet(props: { site: SiteSummary; appBaseUrl: string }) {
  return (
    <section class="snippet" aria-labelledby="snippet-title">
      <h2 id="snippet-title">{t("sites.snippet.title")}</h2>
      <p>
        <LinkedText text={t("sites.snippet.paste", { site: SLOT, head: "</head>" })} link={<strong>{props.site.baseUrl}</strong>} />
      </p>
      <pre>
        <code id="snippet-code">{snippetFor(props.appBaseUrl, props.site.id)}</code>
      </pre>
      {/* Hidden until public/app.js shows it: without JavaScript the snippet is plain selectable text. */}
      <p class="copy-row">
        <button type="button" class={buttonClass("secondary")} data-copy="#snippet-code" hidden>
          {t("sites.snippet.copy")}
        </button>
        <span class="copy-status" role="status" aria-live="polite"></span>
      </p>
      <p class="hint">
        <LinkedText text={t("sites.snippet.hint", { code: SLOT })} link={<code>window.roost.track("signup")</code>} />
      </p>
    </section>
  );
}

export function RenameSiteForm(props: { siteId: number } & FormState) {
  const { values = {}, errors = {} } = props;
  return (
    <HxForm id="rename-site-form" action={`${sitePath(props.siteId)}/rename`} class="stack-form inline-form">
      <FormError error={errors._form} />
      <Field
        form="rename-site"
        name="name"
        label={t("sites.form.siteName")}
        value={values.name}
        error={errors.name}
        required
        maxlength={SITE_NAME_MAX}
        autocomplete="off"
      />
      <Button>{t("sites.form.rename")}</Button>
    </HxForm>
  );
}

function Settings(props: { site: SiteSummary; form?: FormState; zoneForm?: FormState }) {
  return (
    <section class="site-settings" aria-labelledby="settings-title">
      <h2 id="settings-title">{t("sites.settings.title")}</h2>
      <RenameSiteForm siteId={props.site.id} values={props.form?.values ?? { name: props.site.name }} errors={props.form?.errors} />
      <TimeZoneForm siteId={props.site.id} timeZone={props.site.timeZone} {...props.zoneForm} />
      <MailReportsForm siteId={props.site.id} weekly={!!props.site.reportWeekly} monthly={!!props.site.reportMonthly} />
      <p>
        <a href={`${sitePath(props.site.id)}/goals`}>{t("sites.settings.goals")}</a> {t("sites.settings.goalsHint")}
      </p>
      <p>
        <a href={`${sitePath(props.site.id)}/sharing`}>{t("sites.settings.share")}</a> {t("sites.settings.shareHint")}
      </p>
      <p>
        <ButtonLink variant="danger" href={`${sitePath(props.site.id)}/delete`}>
          {t("sites.settings.delete")}
        </ButtonLink>
      </p>
    </section>
  );
}

function SiteHeader(props: { site: SiteSummary; shared?: boolean }) {
  return (
    <header class="site-report-header">
      {props.shared ? (
        <p class="muted">{t("sites.shared")}</p>
      ) : (
        <p class="breadcrumbs">
          <a href="/sites">{t("sites.yourSites")}</a>
        </p>
      )}
      <h1>{props.site.name}</h1>
      <p class="muted break">
        <a href={props.site.baseUrl} rel="noopener noreferrer nofollow">
          {props.site.baseUrl}
        </a>
      </p>
    </header>
  );
}

// --- Pages --------------------------------------------------------------------------------------------

/** "+12%", "−5%", "0%", or "—" when the previous period had nothing to compare with. */
export function changeText(change: number | null): string {
  if (change === null) return "—";
  return change > 0 ? `+${change}%` : change < 0 ? `−${-change}%` : "0%";
}

const oneDecimal = perLocale((tag) => new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 }));
const percent = (share: number | null) => (share === null ? "–" : `${Math.round(share * 100)}%`);
/** The session rollup's days are UTC days (visitor ids are per UTC day), whatever the site's zone. */
const dayOf = perLocale((tag) => new Intl.DateTimeFormat(tag, { day: "numeric", month: "short", timeZone: "UTC" }));

/** Visits and bounces per day: the bounce rate's detail, in a collapsed table (days with visits only). */
function BounceDays(props: { days: Report["sessions"] }) {
  if (props.days.length === 0) return null;
  return (
    <details class="bounce-days">
      <summary>{t("sites.bounce.perDay")}</summary>
      <DataTable
        class="bounce-table"
        rows={props.days}
        columns={[
          { header: t("sites.bounce.day"), cell: (d) => dayOf().format(d.day) },
          { header: t("sites.col.visits"), num: true, cell: (d) => fmt.format(d.visits) },
          { header: t("sites.bounce.bounces"), num: true, cell: (d) => fmt.format(d.bounces) },
          { header: t("sites.card.bounceRate"), num: true, cell: (d) => percent(d.visits > 0 ? d.bounces / d.visits : null) },
        ]}
      />
    </details>
  );
}

/** One number of the report with its change from the previous period of the same length. */
function Card(props: { label: string; value: string; change: number | null }) {
  const dir = props.change === null || props.change === 0 ? "same" : props.change > 0 ? "up" : "down";
  return (
    <div>
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
      <dd class={`change change-${dir}`}>
        {changeText(props.change)}
        <span class="visually-hidden"> {t("sites.card.compared")}</span>
      </dd>
    </div>
  );
}

/**
 * The report. `shared` (a share link or the public page) shows the numbers only: no live figure (its poll
 * is owner-only), no raw visits or CSV, no snippet or settings; its period, filter and comparison links stay
 * under `shared.base`.
 */
export function ReportPage(props: {
  report: Report;
  appBaseUrl: string;
  compare?: boolean;
  renameForm?: FormState;
  zoneForm?: FormState;
  shared?: { base: string };
  /** The custom property key whose values the Properties panel shows (`?prop=`); the first key if unset. */
  propKey?: string;
}) {
  const { report: r, shared } = props;
  const label = periodLabel(r.period);
  const view: View = { base: shared?.base ?? sitePath(r.site.id), period: r.period, compare: props.compare ?? false };
  const now = r.totals;
  const before = r.previousTotals;
  return (
    <article class="site-report">
      <SiteHeader site={r.site} shared={!!shared} />
      <PeriodPicker siteId={r.site.id} base={view.base} period={r.period} filters={r.filters} compare={view.compare} />
      <h2 class="period-title">{label}</h2>
      {shared ? null : <LiveVisitors siteId={r.site.id} count={r.live} />}
      <FilterBar view={view} filters={r.filters} />
      <dl class="totals">
        <Card label={t("sites.card.visitors")} value={fmt.format(now.visitors)} change={percentChange(now.visitors, before.visitors)} />
        <Card label={t("sites.col.pageviews")} value={fmt.format(now.pageviews)} change={percentChange(now.pageviews, before.pageviews)} />
        <Card
          label={t("sites.card.viewsPerVisit")}
          value={now.viewsPerVisit === null ? "–" : oneDecimal().format(now.viewsPerVisit)}
          change={percentChange(now.viewsPerVisit, before.viewsPerVisit)}
        />
        <Card label={t("sites.card.bounceRate")} value={percent(now.bounceRate)} change={percentChange(now.bounceRate, before.bounceRate)} />
      </dl>
      <p class="compare-toggle">
        <a href={reportHref({ ...view, compare: !view.compare }, r.filters)}>{view.compare ? t("sites.compare.hide") : t("sites.compare.show")}</a>
      </p>
      <BounceDays days={r.sessions} />
      <VisitsChart
        series={r.series}
        previous={view.compare ? r.previousSeries : undefined}
        bucket={r.period.bucket}
        label={label}
        timeZone={r.period.timeZone}
      />
      <div class="top-grid">
        {r.tops.map(({ dim, list }) => (
          <TopPanel dim={dim} list={list} href={(add) => reportHref(view, withFilter(r.filters, add))} />
        ))}
        <GoalsPanel goals={r.goals} visitors={now.visitors} manageHref={shared ? undefined : `${sitePath(r.site.id)}/goals`} />
        <PropsPanel
          lists={r.props}
          chosen={props.propKey}
          keyHref={(key) => `${reportHref(view, r.filters)}&prop=${encodeURIComponent(key)}`}
          valueHref={(key, value) => `${reportHref(view, withFilter(r.filters, { dim: `prop:${key}`, op: "is", value }))}&prop=${encodeURIComponent(key)}`}
        />
      </div>
      <FunnelsPanel funnels={r.funnels} />
      {shared ? null : (
        <>
          <VisitsTable site={r.site} period={r.period} filters={r.filters} visits={r.visits} />
          <Snippet site={r.site} appBaseUrl={props.appBaseUrl} />
          <Settings site={r.site} form={props.renameForm} zoneForm={props.zoneForm} />
        </>
      )}
      <p class="hint">{t("sites.reportHint", { zone: r.site.timeZone })}</p>
    </article>
  );
}

/** The report page when the period in the URL is invalid: the picker with its errors, nothing else. */
export function BadPeriodPage(props: { site: SiteSummary; errors: PeriodErrors; values: { from: string; to: string }; base?: string }) {
  return (
    <article class="site-report">
      <SiteHeader site={props.site} shared={!!props.base} />
      <PeriodPicker siteId={props.site.id} base={props.base} period={null} errors={props.errors} values={props.values} />
    </article>
  );
}

export function VisitsPage(props: { site: SiteSummary; period: Period; filters: Filter[]; visits: KeysetPage<VisitItem> }) {
  return (
    <article class="site-report">
      <SiteCrumbs name={props.site.name} href={reportHref({ base: sitePath(props.site.id), period: props.period, compare: false }, props.filters)} />
      <h1>{t("sites.visits.to", { site: props.site.name })}</h1>
      <p class="muted">{periodLabel(props.period)}</p>
      <VisitsTable {...props} />
    </article>
  );
}

export function DeleteSitePage(props: { site: SiteSummary; hits: number }) {
  const { site } = props;
  return (
    <section class="narrow">
      <h1>{t("sites.delete.heading", { site: site.name })}</h1>
      <p>
        <LinkedText text={tn("sites.delete.body", props.hits, { site: SLOT, url: site.baseUrl })} link={<strong>{site.name}</strong>} />
      </p>
      <form method="post" action={`${sitePath(site.id)}/delete`} class="inline-actions">
        <Button variant="danger">{t("sites.delete.button")}</Button>
        <a href={sitePath(site.id)}>{t("sites.delete.cancel")}</a>
      </form>
    </section>
  );
}
