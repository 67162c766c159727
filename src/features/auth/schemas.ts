// One zod schema per account form; field names follow Flasky's.
import { z } from "zod";
import { t } from "../../i18n";
import { email, username } from "../../lib/validators";

const newPassword = z
  .string()
  .min(8, { error: () => t("auth.v.passwordMin") })
  .max(128, { error: () => t("auth.v.passwordMax") });

const passwordsMatch = (d: { password: string; password2: string }) => d.password === d.password2;
const mismatch = { error: () => t("auth.v.mismatch"), path: ["password2"] };

export const registerSchema = z.object({ email, username, password: newPassword, password2: z.string() }).refine(passwordsMatch, mismatch);

export const loginSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, { error: () => t("auth.v.enterIdentifier") })
    .max(64, { error: () => t("auth.invalidLogin") }),
  password: z
    .string()
    .min(1, { error: () => t("auth.v.enterPassword") })
    .max(128, { error: () => t("auth.invalidLogin") }),
  remember_me: z.string().optional(),
});

export const changePasswordSchema = z
  .object({
    old_password: z
      .string()
      .min(1, { error: () => t("auth.v.enterCurrentPassword") })
      .max(128, { error: () => t("auth.invalidPassword") }),
    password: newPassword,
    password2: z.string(),
  })
  .refine(passwordsMatch, mismatch);

export const resetRequestSchema = z.object({ email });

export const resetSchema = z.object({ password: newPassword, password2: z.string() }).refine(passwordsMatch, mismatch);

export const changeEmailSchema = z.object({
  email,
  password: z
    .string()
    .min(1, { error: () => t("auth.v.enterPassword") })
    .max(128, { error: () => t("auth.invalidPassword") }),
});
