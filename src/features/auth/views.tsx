// Account pages. Each form is its own component so htmx partial requests get just the form back.
import type { Child } from "hono/jsx";
import { type PlainKey, t } from "../../i18n";
import type { FieldErrors } from "../../lib/forms";
import { EmailField, NewPasswordFields, UsernameField } from "../../views/account-fields";
import { Checkbox, Field, FormError, HxForm } from "../../views/form";

type FormState = { values?: Record<string, string>; errors?: FieldErrors };

/** An account form (`id` is `${name}-form`): the form-wide error first, then its fields and its one button. */
function AccountForm(props: { name: string; action: string; error?: string; submit: string; children: Child }) {
  return (
    <HxForm id={`${props.name}-form`} action={props.action}>
      <FormError error={props.error} />
      {props.children}
      <button type="submit">{props.submit}</button>
    </HxForm>
  );
}

/** The narrow column every account page is: its title, then what it says and its form. */
function AccountPage(props: { title: Child; lead?: Child; children: Child }) {
  return (
    <section class="narrow">
      <h1>{props.title}</h1>
      {props.lead !== undefined && <p>{props.lead}</p>}
      {props.children}
    </section>
  );
}

/** A page that is one account form under its title and the sentence that says what it does. */
function formPage(Form: (props: FormState) => Child, title: PlainKey, lead: PlainKey) {
  return (props: FormState) => (
    <AccountPage title={t(title)} lead={t(lead)}>
      <Form {...props} />
    </AccountPage>
  );
}

/** The current password, asked before a change to the account. */
function CurrentPasswordField(props: { form: string; name: string; label: string; error?: string }) {
  return <Field {...props} type="password" autocomplete="current-password" required maxlength={128} />;
}

export function RegisterForm({ values = {}, errors = {} }: FormState) {
  const f = "register";
  return (
    <AccountForm name={f} action="/auth/register" error={errors._form} submit={t("auth.register")}>
      <EmailField form={f} label={t("auth.email")} value={values.email} error={errors.email} />
      <UsernameField form={f} value={values.username} error={errors.username} />
      <NewPasswordFields form={f} errors={errors} labels={[t("auth.password"), t("auth.confirmPassword")]} />
    </AccountForm>
  );
}

export function RegisterPage(props: FormState) {
  return (
    <AccountPage title={t("auth.register")}>
      <RegisterForm {...props} />
      <p>
        {t("auth.haveAccount")} <a href="/auth/login">{t("auth.logInLink")}</a>.
      </p>
    </AccountPage>
  );
}

export function LoginForm({ values = {}, errors = {}, next }: FormState & { next?: string | null }) {
  const f = "login";
  const action = next ? `/auth/login?next=${encodeURIComponent(next)}` : "/auth/login";
  const who = t("auth.emailOrUsername");
  return (
    <AccountForm name={f} action={action} error={errors._form} submit={t("auth.logIn")}>
      <Field form={f} name="email" label={who} value={values.email} error={errors.email} autocomplete="username" required maxlength={64} />
      <CurrentPasswordField form={f} name="password" label={t("auth.password")} error={errors.password} />
      <Checkbox form={f} name="remember_me" label={t("auth.keepLoggedIn")} checked={!!values.remember_me} />
    </AccountForm>
  );
}

export function LoginPage(props: FormState & { next?: string | null }) {
  return (
    <AccountPage title={t("auth.logIn")}>
      <LoginForm {...props} />
      <p>
        <a href="/auth/reset">{t("auth.forgot")}</a>
      </p>
      <p>
        {t("auth.newUser")} <a href="/auth/register">{t("auth.registerLink")}</a>.
      </p>
    </AccountPage>
  );
}

export function UnconfirmedPage(props: { username: string; email: string }) {
  return (
    <AccountPage title={t("auth.unconfirmed.title", { username: props.username })} lead={t("auth.unconfirmed.body")}>
      <p>{t("auth.unconfirmed.sent", { email: props.email })}</p>
      <form method="post" action="/auth/confirm">
        <button type="submit">{t("auth.unconfirmed.resend")}</button>
      </form>
    </AccountPage>
  );
}

export function ChangePasswordForm({ errors = {} }: FormState) {
  const f = "change-password";
  return (
    <AccountForm name={f} action="/auth/change-password" error={errors._form} submit={t("auth.updatePassword")}>
      <CurrentPasswordField form={f} name="old_password" label={t("auth.currentPassword")} error={errors.old_password} />
      <NewPasswordFields form={f} errors={errors} labels={[t("auth.newPassword"), t("auth.confirmNewPassword")]} />
    </AccountForm>
  );
}

export const ChangePasswordPage = formPage(ChangePasswordForm, "auth.changePassword.title", "auth.changePassword.body");

export function ResetRequestForm({ values = {}, errors = {} }: FormState) {
  return (
    <AccountForm name="reset-request" action="/auth/reset" error={errors._form} submit={t("auth.resetPassword")}>
      <EmailField form="reset-request" label={t("auth.email")} value={values.email} error={errors.email} />
    </AccountForm>
  );
}

export const ResetRequestPage = formPage(ResetRequestForm, "auth.reset.title", "auth.reset.body");

/** A new password chosen through a mailed link (reset, undo an email change): the link's token is in the action. */
function TokenPasswordForm(props: { name: "reset" | "undo-email"; action: string; submit: string; errors: FieldErrors }) {
  return (
    <AccountForm name={props.name} action={props.action} error={props.errors._form} submit={props.submit}>
      <NewPasswordFields form={props.name} errors={props.errors} />
    </AccountForm>
  );
}

export function ResetForm({ token, errors = {} }: FormState & { token: string }) {
  return <TokenPasswordForm name="reset" action={`/auth/reset/${token}`} submit={t("auth.resetPassword")} errors={errors} />;
}

export function ResetPage(props: FormState & { token: string }) {
  return (
    <AccountPage title={t("auth.reset.choose")}>
      <ResetForm {...props} />
    </AccountPage>
  );
}

export function UndoEmailForm({ token, errors = {} }: FormState & { token: string }) {
  return <TokenPasswordForm name="undo-email" action={`/auth/undo-email/${token}`} submit={t("auth.undo.submit")} errors={errors} />;
}

/** Reached from the link mailed to the old address after an email change. */
export function UndoEmailPage(props: FormState & { token: string; email: string }) {
  return (
    <AccountPage title={t("auth.undo.title")} lead={t("auth.undo.body", { email: props.email })}>
      <UndoEmailForm token={props.token} errors={props.errors} />
    </AccountPage>
  );
}

export function ChangeEmailForm({ values = {}, errors = {} }: FormState) {
  const f = "change-email";
  return (
    <AccountForm name={f} action="/auth/change-email" error={errors._form} submit={t("auth.changeEmail.submit")}>
      <EmailField form={f} label={t("auth.changeEmail.newEmail")} value={values.email} error={errors.email} />
      <CurrentPasswordField form={f} name="password" label={t("auth.password")} error={errors.password} />
    </AccountForm>
  );
}

export function ChangeEmailPage(props: FormState & { current: string }) {
  return (
    <AccountPage title={t("auth.changeEmail.title")} lead={t("auth.changeEmail.body", { email: props.current })}>
      <ChangeEmailForm {...props} />
    </AccountPage>
  );
}
