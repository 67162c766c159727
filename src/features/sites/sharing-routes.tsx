// Sharing routes. The owner's (signed in, CSRF-checked like every form): the sharing page, create and
// revoke a link, make the report public or private. Anyone's: /share/<token> (a link; a password form first
// when it has one) and /sites/<id>/public, both the report read-only. A token that was never issued, was
// revoked or is malformed is the same 404, as is a site that is not public, so nothing can be probed.
import type { Context } from "hono";
import { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { WebEnv } from "../../env";
import { t } from "../../i18n";
import { clientNetwork } from "../../lib/client-network";
import { validate } from "../../lib/forms";
import { parseId } from "../../lib/ids";
import { parsePageRequest } from "../../lib/pagination";
import { errorResponse } from "../../middleware/errors";
import { readForm } from "../../middleware/form-body";
import { withUser } from "../../middleware/permissions";
import { flash } from "../../views/flash";
import { readerTimeZone } from "../../views/reader";
import { redirect, renderPage } from "../../views/render";
import { reportAskOf } from "./filters-query";
import { shareSchema } from "./schemas";
import { getReport, type SiteAccess } from "./service";
import * as sharing from "./sharing";
import { SharePasswordPage, SharingPage } from "./sharing-views";
import { BadPeriodPage, ReportPage } from "./views";

export const sharingRoutes = new Hono<WebEnv>();

const noSuchReport = () => t("sites.share.noSuchReport");
const UNLOCK_COOKIE = "share_unlock";

// --- The owner's side -------------------------------------------------------------------------------

async function sharingPage(
  c: Context<WebEnv>,
  siteId: number,
  userId: number,
  extra: { newLink?: string; form?: { values?: Record<string, string>; errors?: Record<string, string> } } = {},
  status: 200 | 201 | 422 | 429 = 200,
) {
  const found = await sharing.getSharing(c.get("db"), siteId, userId);
  if (!found) return errorResponse(c, 404, t("sites.noSuchSite"));
  const publicUrl = `${c.get("config").baseUrl}/sites/${siteId}/public`;
  // The page may show a fresh token: never cache it, never leak it in a Referer.
  c.header("Cache-Control", "no-store");
  c.header("Referrer-Policy", "no-referrer");
  return renderPage(
    c,
    { title: t("sites.share.title", { site: found.site.name }), status },
    <SharingPage {...found} publicUrl={publicUrl} tz={readerTimeZone(c)} {...extra} />,
  );
}

sharingRoutes.get(
  "/sites/:id/sharing",
  withUser((c, user) => {
    const id = parseId(c.req.param("id"));
    return id === null ? errorResponse(c, 404, t("sites.noSuchSite")) : sharingPage(c, id, user.id);
  }),
);

sharingRoutes.post(
  "/sites/:id/shares",
  withUser(async (c, user) => {
    const id = parseId(c.req.param("id"));
    if (id === null) return errorResponse(c, 404, t("sites.noSuchSite"));
    const raw = await readForm(c);
    const form = validate(shareSchema, raw);
    // The password is never sent back into the form.
    const values = { label: raw.label ?? "" };
    if (!form.ok) return sharingPage(c, id, user.id, { form: { values, errors: form.errors } }, 422);
    const made = await sharing.createShare(c.get("db"), { siteId: id, userId: user.id, ...form.data });
    if (!made.ok && made.reason === "not-found") return errorResponse(c, 404, t("sites.noSuchSite"));
    if (!made.ok) {
      const error = t("sites.share.tooMany", { max: sharing.MAX_SHARES_PER_SITE });
      return sharingPage(c, id, user.id, { form: { values, errors: { _form: error } } }, 422);
    }
    return sharingPage(c, id, user.id, { newLink: `${c.get("config").baseUrl}${sharing.sharePath(made.token)}` }, 201);
  }),
);

sharingRoutes.post(
  "/sites/:id/shares/:shareId/revoke",
  withUser(async (c, user) => {
    const id = parseId(c.req.param("id"));
    const shareId = parseId(c.req.param("shareId"));
    const revoked = id === null || shareId === null ? null : await sharing.revokeShare(c.get("db"), id, user.id, shareId);
    if (!revoked) return errorResponse(c, 404, t("sites.share.noSuchLink"));
    await flash(c, t("sites.share.revoked", { label: revoked.label }), "success");
    return redirect(c, `/sites/${id}/sharing`);
  }),
);

sharingRoutes.post(
  "/sites/:id/public",
  withUser(async (c, user) => {
    const id = parseId(c.req.param("id"));
    const raw = await readForm(c);
    const on = raw.public === "y";
    if (raw.public !== undefined && raw.public !== "y" && raw.public !== "") return errorResponse(c, 400, t("sites.share.publicBad"));
    if (id === null || !(await sharing.setPublic(c.get("db"), id, user.id, on))) return errorResponse(c, 404, t("sites.noSuchSite"));
    await flash(c, on ? t("sites.share.nowPublic") : t("sites.share.nowPrivate"), "success");
    return redirect(c, `/sites/${id}/sharing`);
  }),
);

// --- The reader's side ------------------------------------------------------------------------------

/** The report, read-only, for a reader whose access `access` describes; period links stay under `base`. */
async function sharedReport(c: Context<WebEnv>, siteId: number, access: SiteAccess, base: string) {
  // Neither the token nor the report belongs in a cache or a search index, nor in another site's logs.
  c.header("Cache-Control", "private, no-store");
  c.header("Referrer-Policy", "no-referrer");
  c.header("X-Robots-Tag", "noindex");
  const asked = reportAskOf(c);
  if (!asked.ok) return errorResponse(c, 400, asked.error);
  const found = await getReport(c.get("db"), { siteId, access, ...asked.ask, page: parsePageRequest(() => undefined) });
  if (!found) return errorResponse(c, 404, noSuchReport());
  if (!found.ok) {
    return renderPage(c, { title: found.site.name, status: 400 }, <BadPeriodPage site={found.site} errors={found.errors} values={found.values} base={base} />);
  }
  return renderPage(
    c,
    { title: found.value.site.name },
    <ReportPage
      report={found.value}
      appBaseUrl={c.get("config").baseUrl}
      compare={c.req.query("compare") === "1"}
      shared={{ base }}
      propKey={c.req.query("prop")}
    />,
  );
}

sharingRoutes.get("/sites/:id/public", (c) => {
  const id = parseId(c.req.param("id"));
  if (id === null) return errorResponse(c, 404, noSuchReport());
  return sharedReport(c, id, { publicSite: true }, `/sites/${id}/public`);
});

sharingRoutes.get("/share/:token", async (c) => {
  const token = c.req.param("token");
  const share = await sharing.openShare(c.get("db"), token);
  if (!share) return errorResponse(c, 404, noSuchReport());
  const path = sharing.sharePath(token);
  if (!sharing.isUnlocked(share, getCookie(c, UNLOCK_COOKIE))) {
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer");
    return renderPage(c, { title: t("sites.share.protectedTitle") }, <SharePasswordPage action={path} />);
  }
  return sharedReport(c, share.siteId, { shareId: share.id }, path);
});

sharingRoutes.post("/share/:token", async (c) => {
  const token = c.req.param("token");
  const db = c.get("db");
  const share = await sharing.openShare(db, token);
  if (!share) return errorResponse(c, 404, noSuchReport());
  const path = sharing.sharePath(token);
  const password = (await readForm(c)).password ?? "";
  c.header("Cache-Control", "no-store");
  c.header("Referrer-Policy", "no-referrer");
  if (!password)
    return renderPage(c, { title: t("sites.share.protectedTitle"), status: 422 }, <SharePasswordPage action={path} error={t("sites.share.enterPassword")} />);
  const result = await sharing.tryPassword(db, share, password, clientNetwork(c.req.raw.headers));
  if (!result.ok) {
    if (result.reason === "limit") c.header("Retry-After", String(result.retryAfterSeconds ?? 60));
    const error = result.reason === "limit" ? t("sites.share.tooManyTries") : t("sites.share.wrongPassword");
    return renderPage(
      c,
      { title: t("sites.share.protectedTitle"), status: result.reason === "limit" ? 429 : 401 },
      <SharePasswordPage action={path} error={error} />,
    );
  }
  // Scoped to this link's path: the cookie opens this link only, and goes nowhere else.
  setCookie(c, UNLOCK_COOKIE, sharing.unlockCookieValue(share), {
    path,
    httpOnly: true,
    secure: new URL(c.req.url).protocol === "https:",
    sameSite: "Lax",
    maxAge: sharing.UNLOCK_MS / 1000,
  });
  return redirect(c, path);
});
