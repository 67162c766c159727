// Account fields the sign-up, account and admin forms share, so a username's rule or a password's
// limits read the same wherever they are asked for.

import { t } from "../i18n";
import type { FieldErrors } from "../lib/forms";
import { Field } from "./form";

type Part = { form: string; value?: string; error?: string; autocomplete?: string };

/** What the address and name boxes share: required, at most 64 characters, autocomplete unless turned off. */
const accountBox = (p: Part, autocomplete: string) => ({
  form: p.form,
  value: p.value,
  error: p.error,
  required: true,
  maxlength: 64,
  autocomplete: p.autocomplete ?? autocomplete,
});

/** An email address box (`autocomplete` "off" where an admin edits someone). */
export function EmailField(p: Part & { label: string }) {
  return <Field {...accountBox(p, "email")} name="email" label={p.label} type="email" />;
}

/** The username box with its rule as the hint (`autocomplete` "off" where an admin edits someone). */
export function UsernameField(p: Part) {
  return <Field {...accountBox(p, "username")} name="username" label={t("auth.username")} hint={t("auth.usernameHint")} />;
}

/** A new password and its confirmation; `labels` name the two boxes where the page needs other words. */
export function NewPasswordFields(p: { form: string; errors: FieldErrors; labels?: [password: string, confirm: string] }) {
  const [label, confirm] = p.labels ?? [t("auth.newPassword"), t("auth.confirmPassword")];
  return (
    <>
      <Field
        form={p.form}
        name="password"
        label={label}
        type="password"
        error={p.errors.password}
        autocomplete="new-password"
        required
        minlength={8}
        maxlength={128}
        hint={t("auth.passwordHint")}
      />
      <Field form={p.form} name="password2" label={confirm} type="password" error={p.errors.password2} autocomplete="new-password" required maxlength={128} />
    </>
  );
}
