// Zod schemas for the site forms: add (name, base_url) and rename (name). A base URL is stored in one
// canonical form, so "HTTPS://Example.com/blog/" and "https://example.com/blog" are the same site.
import { z } from "zod";
import { t } from "../../i18n";
import { canonicalTimeZone } from "../../lib/zoned-days";

export const SITE_NAME_MAX = 80;
export const BASE_URL_MAX = 200;
/** Sites per member: enough for anyone; stops a script from filling the table. */
export const MAX_SITES_PER_USER = 50;

const name = z
  .string()
  .transform((s) => s.replace(/\s+/g, " ").trim())
  .pipe(
    z
      .string()
      .min(1, { error: () => t("sites.form.nameRequired") })
      .max(SITE_NAME_MAX, { error: () => t("sites.form.nameTooLong", { max: SITE_NAME_MAX }) }),
  );

/** Canonical base URL, or an error message saying what is wrong with it. */
export function canonicalBaseUrl(raw: string): { ok: true; url: string } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: t("sites.form.urlFull") };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, error: t("sites.form.urlScheme") };
  if (!url.hostname) return { ok: false, error: t("sites.form.urlHost") };
  if (url.username || url.password) return { ok: false, error: t("sites.form.urlCredentials") };
  if (url.search || url.hash || raw.includes("?") || raw.includes("#")) {
    return { ok: false, error: t("sites.form.urlQuery") };
  }
  const path = url.pathname.replace(/\/+$/, "");
  return { ok: true, url: `${url.origin}${path}` };
}

const baseUrl = z
  .string()
  .trim()
  .min(1, { error: () => t("sites.form.urlRequired") })
  .max(BASE_URL_MAX, { error: () => t("sites.form.urlTooLong", { max: BASE_URL_MAX }) })
  .transform((raw, ctx) => {
    const result = canonicalBaseUrl(raw);
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: result.error });
      return z.NEVER;
    }
    return result.url;
  });

export const addSiteSchema = z.object({ name, base_url: baseUrl });
export type AddSiteInput = z.output<typeof addSiteSchema>;

export const renameSiteSchema = z.object({ name });

/** A zone Intl knows (see lib/zoned-days.ts), stored under its canonical name. */
export const timeZoneSchema = z.object({
  time_zone: z
    .string()
    .trim()
    .min(1, { error: () => t("sites.zone.required") })
    .transform((raw, ctx) => {
      const zone = canonicalTimeZone(raw);
      if (!zone) {
        ctx.addIssue({ code: "custom", message: t("sites.zone.invalid") });
        return z.NEVER;
      }
      return zone;
    }),
});

export const SHARE_LABEL_MAX = 80;
export const SHARE_PASSWORD_MIN = 8;
export const SHARE_PASSWORD_MAX = 128;

/** A new read-only link: a label for the owner's list, and an optional password. */
export const shareSchema = z.object({
  label: z
    .string()
    .optional()
    .transform((s) => (s ?? "").replace(/\s+/g, " ").trim() || t("sites.share.defaultLabel"))
    .pipe(z.string().max(SHARE_LABEL_MAX, { error: () => t("sites.share.labelTooLong", { max: SHARE_LABEL_MAX }) })),
  password: z
    .string()
    .optional()
    .transform((s) => s || null)
    .pipe(
      z
        .string()
        .min(SHARE_PASSWORD_MIN, { error: () => t("sites.share.passwordTooShort", { min: SHARE_PASSWORD_MIN }) })
        .max(SHARE_PASSWORD_MAX, { error: () => t("sites.share.passwordTooLong", { max: SHARE_PASSWORD_MAX }) })
        .nullable(),
    ),
});
