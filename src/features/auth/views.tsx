// Account pages. Each form is its own component so htmx partial requests get just the form back.
import type { Child } from "hono/jsx";
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
function AccountPage(props: { title: Child; children: Child }) {
  return (
    <section class="narrow">
      <h1>{props.title}</h1>
      {props.children}
    </section>
  );
}

/** The current password, asked before a change to the account. */
function CurrentPasswordField(props: { form: string; name: string; label: string; error?: string }) {
  return <Field {...props} type="password" autocomplete="current-password" required maxlength={128} />;
}

export function RegisterForm({ values = {}, errors = {} }: FormState) {
  const f = "register";
  return (
    <AccountForm name={f} action="/auth/register" error={errors._form} submit="Register">
      <EmailField form={f} label="Email" value={values.email} error={errors.email} />
      <UsernameField form={f} value={values.username} error={errors.username} />
      <NewPasswordFields form={f} errors={errors} labels={["Password", "Confirm password"]} />
    </AccountForm>
  );
}

export function RegisterPage(props: FormState) {
  return (
    <AccountPage title="Register">
      <RegisterForm {...props} />
      <p>
        Already have an account? <a href="/auth/login">Log in</a>.
      </p>
    </AccountPage>
  );
}

export function LoginForm({ values = {}, errors = {}, next }: FormState & { next?: string | null }) {
  const f = "login";
  const action = next ? `/auth/login?next=${encodeURIComponent(next)}` : "/auth/login";
  return (
    <AccountForm name={f} action={action} error={errors._form} submit="Log In">
      <Field form={f} name="email" label="Email or username" value={values.email} error={errors.email} autocomplete="username" required maxlength={64} />
      <CurrentPasswordField form={f} name="password" label="Password" error={errors.password} />
      <Checkbox form={f} name="remember_me" label="Keep me logged in" checked={!!values.remember_me} />
    </AccountForm>
  );
}

export function LoginPage(props: FormState & { next?: string | null }) {
  return (
    <AccountPage title="Log In">
      <LoginForm {...props} />
      <p>
        <a href="/auth/reset">Forgot your password?</a>
      </p>
      <p>
        New user? <a href="/auth/register">Click here to register</a>.
      </p>
    </AccountPage>
  );
}

export function UnconfirmedPage(props: { username: string; email: string }) {
  return (
    <AccountPage title={`Please confirm your account, ${props.username}`}>
      <p>You have not confirmed your account yet. Before you can use the site you need to confirm it.</p>
      <p>We sent a confirmation link to {props.email}. Check your inbox (and spam folder).</p>
      <form method="post" action="/auth/confirm">
        <button type="submit">Send me a new confirmation email</button>
      </form>
    </AccountPage>
  );
}

export function ChangePasswordForm({ errors = {} }: FormState) {
  const f = "change-password";
  return (
    <AccountForm name={f} action="/auth/change-password" error={errors._form} submit="Update Password">
      <CurrentPasswordField form={f} name="old_password" label="Current password" error={errors.old_password} />
      <NewPasswordFields form={f} errors={errors} labels={["New password", "Confirm new password"]} />
    </AccountForm>
  );
}

export function ChangePasswordPage(props: FormState) {
  return (
    <AccountPage title="Change Your Password">
      <p>Changing your password logs you out on every other device.</p>
      <ChangePasswordForm {...props} />
    </AccountPage>
  );
}

export function ResetRequestForm({ values = {}, errors = {} }: FormState) {
  return (
    <AccountForm name="reset-request" action="/auth/reset" error={errors._form} submit="Reset Password">
      <EmailField form="reset-request" label="Email" value={values.email} error={errors.email} />
    </AccountForm>
  );
}

export function ResetRequestPage(props: FormState) {
  return (
    <AccountPage title="Reset Your Password">
      <p>Enter your account's email address and we will send you a link to choose a new password.</p>
      <ResetRequestForm {...props} />
    </AccountPage>
  );
}

/** A new password chosen through a mailed link (reset, undo an email change): the link's token is in the action. */
function TokenPasswordForm(props: { name: "reset" | "undo-email"; action: string; submit: string; errors: FieldErrors }) {
  return (
    <AccountForm name={props.name} action={props.action} error={props.errors._form} submit={props.submit}>
      <NewPasswordFields form={props.name} errors={props.errors} />
    </AccountForm>
  );
}

export function ResetForm({ token, errors = {} }: FormState & { token: string }) {
  return <TokenPasswordForm name="reset" action={`/auth/reset/${token}`} submit="Reset Password" errors={errors} />;
}

export function ResetPage(props: FormState & { token: string }) {
  return (
    <AccountPage title="Choose a New Password">
      <ResetForm {...props} />
    </AccountPage>
  );
}

export function UndoEmailForm({ token, errors = {} }: FormState & { token: string }) {
  return <TokenPasswordForm name="undo-email" action={`/auth/undo-email/${token}`} submit="Restore My Email Address" errors={errors} />;
}

/** Reached from the link mailed to the old address after an email change. */
export function UndoEmailPage(props: FormState & { token: string; email: string }) {
  return (
    <AccountPage title="Undo the Email Change">
      <p>
        This puts {props.email} back as your account's email address, logs everyone out of the account and ends its API tokens. Whoever changed the address may
        know your password, so choose a new one.
      </p>
      <UndoEmailForm token={props.token} errors={props.errors} />
    </AccountPage>
  );
}

export function ChangeEmailForm({ values = {}, errors = {} }: FormState) {
  const f = "change-email";
  return (
    <AccountForm name={f} action="/auth/change-email" error={errors._form} submit="Update Email Address">
      <EmailField form={f} label="New email" value={values.email} error={errors.email} />
      <CurrentPasswordField form={f} name="password" label="Password" error={errors.password} />
    </AccountForm>
  );
}

export function ChangeEmailPage(props: FormState & { current: string }) {
  return (
    <AccountPage title="Change Your Email Address">
      <p>Your address is now {props.current}. We will send a confirmation link to the new address; the change happens when you use it.</p>
      <ChangeEmailForm {...props} />
    </AccountPage>
  );
}
