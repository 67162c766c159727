// Site pages, for the signed-in owner only: list + add, the report, its live figure, raw visits and CSV,
// rename and delete. Thin handlers: validate, call the sites service, render or redirect. Someone else's
// site (or one that does not exist) is a 404 either way, so ids reveal nothing; anonymous visitors are sent
// to log in before any lookup. The beacon lives in ./beacon.ts, mounted separately.
import type { Context } from "hono";
import { Hono } from "hono";
import type { Child } from "hono/jsx";
import type { CurrentUser, WebEnv } from "../../env";
import { t } from "../../i18n";
import { validate } from "../../lib/forms";
import { parseId } from "../../lib/ids";
import { parsePageRequest } from "../../lib/pagination";
import { errorResponse } from "../../middleware/errors";
import { readForm } from "../../middleware/form-body";
import { withUser } from "../../middleware/permissions";
import { flash } from "../../views/flash";
import { redirect, renderPage } from "../../views/render";
import { filtersOf, periodOf, reportAskOf } from "./filters-query";
import { goalRoutes } from "./goal-routes";
import { DEFAULT_PERIOD, presetPeriod } from "./period";
import { addSiteSchema, renameSiteSchema, timeZoneSchema } from "./schemas";
import * as service from "./service";
import { TimeZoneForm } from "./settings-views";
import * as v from "./views";

export const siteRoutes = new Hono<WebEnv>();
// Goals and funnels: /sites/<id>/goals and its forms (goal-routes.tsx).
siteRoutes.route("/", goalRoutes);

const noSuchSite = () => t("sites.noSuchSite");

/** The period in the URL, read in a site's zone (the service finds out which zone). */
// --- List and add -----------------------------------------------------------------------------------

type SiteFormState = { values?: Record<string, string>; errors?: Record<string, string> };

async function sitesPage(c: Context<WebEnv>, userId: number, form: SiteFormState = {}, status: 200 | 422 = 200) {
  const sites = await service.listSites(c.get("db"), userId);
  return renderPage(
    c,
    { title: t("sites.yourSites"), status, fragment: <v.AddSiteForm {...form} /> },
    <v.SitesPage sites={sites} listDays={service.LIST_DAYS} {...form} />,
  );
}

siteRoutes.get(
  "/",
  withUser((c, user) => sitesPage(c, user.id)),
);

siteRoutes.post(
  "/",
  withUser(async (c, user) => {
    const raw = await readForm(c);
    const form = validate(addSiteSchema, raw);
    if (!form.ok) return sitesPage(c, user.id, form, 422);
    const result = await service.addSite(c.get("db"), user.id, form.data);
    if (!result.ok) return sitesPage(c, user.id, { values: raw, errors: result.errors }, 422);
    await flash(c, t("sites.flash.added"), "success");
    return redirect(c, `/sites/${result.id}`);
  }),
);

/** A member's handler for a route of one site: a malformed id in the path is that site's 404. */
function withSiteId<P extends string>(handler: (c: Context<WebEnv, P>, user: CurrentUser, id: number) => Response | Promise<Response>) {
  return withUser<P>((c, user) => {
    const id = parseId(c.req.param("id"));
    return id === null ? errorResponse(c, 404, noSuchSite()) : handler(c, user, id);
  });
}

// --- The report -------------------------------------------------------------------------------------

siteRoutes.get(
  "/:id",
  withSiteId(async (c, user, id) => {
    const asked = reportAskOf(c);
    if (!asked.ok) return errorResponse(c, 400, asked.error);
    // The report page always shows the newest visits; older pages come from /visits.
    const found = await service.getReport(c.get("db"), { siteId: id, access: { userId: user.id }, ...asked.ask, page: parsePageRequest(() => undefined) });
    if (!found) return errorResponse(c, 404, noSuchSite());
    if (!found.ok) {
      return renderPage(c, { title: found.site.name, status: 400 }, <v.BadPeriodPage site={found.site} errors={found.errors} values={found.values} />);
    }
    const report = found.value;
    // ?compare=1 overlays the previous period on the chart (the cards always compare).
    const compare = c.req.query("compare") === "1";
    return renderPage(
      c,
      { title: report.site.name },
      <v.ReportPage report={report} appBaseUrl={c.get("config").baseUrl} compare={compare} propKey={c.req.query("prop")} />,
    );
  }),
);

siteRoutes.get(
  "/:id/live",
  withSiteId(async (c, user, id) => {
    const count = await service.getLiveVisitors(c.get("db"), id, user.id);
    if (count === null) return errorResponse(c, 404, noSuchSite());
    c.header("Cache-Control", "no-store");
    return c.html(<v.LiveVisitors siteId={id} count={count} />);
  }),
);

siteRoutes.get(
  "/:id/visits",
  withSiteId(async (c, user, id) => {
    const asked = reportAskOf(c);
    if (!asked.ok) return errorResponse(c, 400, asked.error);
    const result = await service.getVisitPage(c.get("db"), { siteId: id, userId: user.id, ...asked.ask, page: parsePageRequest((k) => c.req.query(k)) });
    if (!result) return errorResponse(c, 404, noSuchSite());
    if (!result.ok) return errorResponse(c, 400, Object.values(result.errors)[0]!);
    const found = result.value;
    const props = { site: found.site, period: found.period, filters: asked.ask.filters, visits: found.visits };
    return renderPage(c, { title: t("sites.visits.to", { site: found.site.name }), fragment: <v.VisitsTable {...props} /> }, <v.VisitsPage {...props} />);
  }),
);

siteRoutes.get(
  "/:id/visits.csv",
  withSiteId(async (c, user, id) => {
    const filters = filtersOf(c);
    if (!filters.ok) return errorResponse(c, 400, filters.error);
    const db = c.get("db");
    const site = await service.getSite(db, id, user.id);
    if (!site) return errorResponse(c, 404, noSuchSite());
    const period = periodOf(c)(site.timeZone);
    if (!period.ok) return errorResponse(c, 400, Object.values(period.errors)[0]!);
    const { fromDate, toDate } = period.period;
    return c.body(service.visitsCsvStream(db, site.id, period.period, filters.filters), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="site-${site.id}-visits-${fromDate}-to-${toDate}.csv"`,
      "Cache-Control": "no-store",
      "X-Row-Limit": String(service.CSV_MAX_ROWS),
    });
  }),
);

// --- Rename and delete ------------------------------------------------------------------------------

/**
 * A settings form (rename, time zone) that failed validation: htmx gets the form alone; without JavaScript the
 * whole report comes back in its default period, with the form's errors in its settings.
 */
async function settingsError(
  c: Context<WebEnv>,
  siteId: number,
  userId: number,
  status: 400 | 422,
  fragment: (site: service.Report["site"]) => Child,
  forms: Pick<Parameters<typeof v.ReportPage>[0], "renameForm" | "zoneForm">,
) {
  const found = await service.getReport(c.get("db"), {
    siteId,
    access: { userId },
    periodIn: (timeZone) => ({ ok: true, period: presetPeriod(DEFAULT_PERIOD, Date.now(), timeZone) }),
    page: parsePageRequest(() => undefined),
  });
  if (!found?.ok) return errorResponse(c, 404, noSuchSite());
  const report = found.value;
  return renderPage(
    c,
    { title: report.site.name, status, fragment: fragment(report.site) },
    <v.ReportPage report={report} appBaseUrl={c.get("config").baseUrl} {...forms} />,
  );
}

/** A setting saved (null: not the member's site, a 404): back to the site's report, with a flash saying what changed. */
async function settingSaved<S extends { id: number }>(c: Context<WebEnv>, site: S | null, message: (site: S) => string) {
  if (!site) return errorResponse(c, 404, noSuchSite());
  await flash(c, message(site), "success");
  return redirect(c, `/sites/${site.id}`);
}

siteRoutes.post(
  "/:id/rename",
  withSiteId(async (c, user, id) => {
    const form = validate(renameSiteSchema, await readForm(c));
    if (!form.ok) return settingsError(c, id, user.id, 422, () => <v.RenameSiteForm siteId={id} {...form} />, { renameForm: form });
    const site = await service.renameSite(c.get("db"), id, user.id, form.data.name);
    return settingSaved(c, site, (s) => t("sites.flash.renamed", { site: s.name }));
  }),
);

// --- Time zone --------------------------------------------------------------------------------------

siteRoutes.post(
  "/:id/time-zone",
  withSiteId(async (c, user, id) => {
    const form = validate(timeZoneSchema, await readForm(c));
    // 400: the zone is not one of the list's (the form only offers valid ones).
    if (!form.ok) {
      return settingsError(c, id, user.id, 400, (site) => <TimeZoneForm siteId={id} timeZone={site.timeZone} {...form} />, { zoneForm: form });
    }
    const site = await service.setTimeZone(c.get("db"), id, user.id, form.data.time_zone);
    return settingSaved(c, site, (s) => t("sites.flash.zone", { zone: s.timeZone }));
  }),
);

// --- Reports by mail --------------------------------------------------------------------------------

siteRoutes.post(
  "/:id/mail-reports",
  withSiteId(async (c, user, id) => {
    const raw = await readForm(c);
    // Checkboxes: present ("y") means on, absent means off; anything else is not from our form.
    const flag = (v: string | undefined) => (v === undefined ? false : v === "y" ? true : null);
    const weekly = flag(raw.weekly);
    const monthly = flag(raw.monthly);
    if (weekly === null || monthly === null) return errorResponse(c, 400, t("sites.flash.mailBad"));
    const site = await service.setMailReports(c.get("db"), id, user.id, { weekly, monthly });
    const message =
      weekly && monthly ? "sites.flash.mailBoth" : weekly ? "sites.flash.mailWeekly" : monthly ? "sites.flash.mailMonthly" : "sites.flash.mailOff";
    return settingSaved(c, site, () => t(message));
  }),
);

siteRoutes.get(
  "/:id/delete",
  withSiteId(async (c, user, id) => {
    const found = await service.getSiteForDelete(c.get("db"), id, user.id);
    if (!found) return errorResponse(c, 404, noSuchSite());
    return renderPage(c, { title: t("sites.delete.title", { site: found.site.name }) }, <v.DeleteSitePage site={found.site} hits={found.hits} />);
  }),
);

siteRoutes.post(
  "/:id/delete",
  withSiteId(async (c, user, id) => {
    const deleted = await service.deleteSite(c.get("db"), id, user.id);
    if (!deleted) return errorResponse(c, 404, noSuchSite());
    await flash(c, t("sites.flash.deleted", { site: deleted.name }), "success");
    return redirect(c, "/sites");
  }),
);
