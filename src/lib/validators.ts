// The account fields' rules, shared by registration (auth) and the admin editor (users): one spelling of
// what an email address and a username may be. Here rather than in either feature, so that neither
// feature has to import the other's schemas (auth already uses users' front door: an import cycle).
import { z } from "zod";
import { t } from "../i18n";

/** Registration's email rule: trimmed, at most 64 characters, valid, stored lower-cased. */
export const email = z
  .string()
  .trim()
  .min(1, { error: () => t("auth.v.emailRequired") })
  .max(64, { error: () => t("auth.v.emailMax") })
  .pipe(z.email({ error: () => t("auth.v.emailInvalid") }))
  .transform((s) => s.toLowerCase());

export const USERNAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.]*$/;
/** Registration's username rule (uniqueness is checked against the database). */
export const username = z
  .string()
  .trim()
  .min(1, { error: () => t("auth.v.usernameRequired") })
  .max(64, { error: () => t("auth.v.usernameMax") })
  .regex(USERNAME_PATTERN, { error: () => t("auth.v.usernamePattern") });
