// Zod schemas for the profile forms: the user's own editor and the admin editor. Field names follow
// Flasky's (name, location, about_me, email, username, confirmed, role).
import { z } from "zod";
import { LOCALES, t } from "../../i18n";
// The admin editor applies registration's own rules for email and username.
import { email, username } from "../../lib/validators";

export const NAME_MAX = 64;
export const LOCATION_MAX = 64;
export const ABOUT_MAX = 2000;

/** An optional one-line text: trimmed, "" stored as NULL. */
const optionalLine = (label: () => string, max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: () => t("users.v.tooLong", { field: label(), max: String(max) }) })
    .transform((s) => (s === "" ? null : s));

// Browsers submit textarea line breaks as CRLF; count (and store) them as one character, as the
// textarea's maxlength does, so the limit the user sees is the limit the server applies.
const aboutMe = z
  .string()
  .transform((s) => s.replace(/\r\n?/g, "\n").trim())
  .pipe(z.string().max(ABOUT_MAX, { error: () => t("users.v.tooLong", { field: t("users.aboutMe"), max: String(ABOUT_MAX) }) }))
  .transform((s) => (s === "" ? null : s));

/** A checkbox: absent (or "") is off; the values browsers and our form send are on; anything else is an error. */
const CHECKED = new Set(["y", "on", "true", "1"]);
const checkbox = z
  .string()
  .refine((v) => v === "" || CHECKED.has(v), { error: () => t("users.v.checkbox") })
  .transform((v) => v !== "");

const profileFields = {
  name: optionalLine(() => t("users.name"), NAME_MAX),
  location: optionalLine(() => t("users.location"), LOCATION_MAX),
  about_me: aboutMe,
};

/** The language setting: "" is automatic (Accept-Language), stored as NULL. */
const locale = z.enum(["", ...LOCALES], { error: () => t("language.invalid") }).transform((v) => (v === "" ? null : v));

// gravatar: the member opts in to show their Gravatar (it reveals the MD5 of their email to readers).
export const editProfileSchema = z.object({ ...profileFields, gravatar: checkbox, locale });
export type ProfileInput = z.output<typeof editProfileSchema>;

/** A role id from the select; whether that role exists is the service's check (it has the table). */
const roleId = z
  .string()
  .trim()
  .min(1, { error: () => t("users.v.chooseRole") })
  .regex(/^\d{1,9}$/, { error: () => t("users.v.roleFromList") })
  .transform(Number);

export const adminEditSchema = z.object({ email, username, confirmed: checkbox, role: roleId, ...profileFields });
export type AdminEditInput = z.output<typeof adminEditSchema>;
