// Account pages. Each form is its own component so htmx partial requests get just the form back.
import type { FieldErrors } from "../../lib/forms";
import { NewPasswordFields, UsernameField } from "../../views/account-fields";
import { Checkbox, Field, FormError, HxForm } from "../../views/form";

type FormState = { values?: Record<string, string>; errors?: FieldErrors };

export function RegisterForm({ values = {}, errors = {} }: FormState) {
  const f = "register";
  return (
    <HxForm id="register-form" action="/auth/register">
      <FormError error={errors._form} />
      <Field form={f} name="email" label="Email" type="email" value={values.email} error={errors.email} autocomplete="email" required maxlength={64} />
      <UsernameField form={f} value={values.username} error={errors.username} />
      <NewPasswordFields form={f} errors={errors} labels={["Password", "Confirm password"]} />
      <button type="submit">Register</button>
    </HxForm>
  );
}

export function RegisterPage(props: FormState) {
  return (
    <section class="narrow">
      <h1>Register</h1>
      <RegisterForm {...props} />
      <p>
        Already have an account? <a href="/auth/login">Log in</a>.
      </p>
    </section>
  );
}

export function LoginForm({ values = {}, errors = {}, next }: FormState & { next?: string | null }) {
  const f = "login";
  const action = next ? `/auth/login?next=${encodeURIComponent(next)}` : "/auth/login";
  return (
    <HxForm id="login-form" action={action}>
      <FormError error={errors._form} />
      <Field form={f} name="email" label="Email or username" value={values.email} error={errors.email} autocomplete="username" required maxlength={64} />
      <Field form={f} name="password" label="Password" type="password" error={errors.password} autocomplete="current-password" required maxlength={128} />
      <Checkbox form={f} name="remember_me" label="Keep me logged in" checked={!!values.remember_me} />
      <button type="submit">Log In</button>
    </HxForm>
  );
}

export function LoginPage(props: FormState & { next?: string | null }) {
  return (
    <section class="narrow">
      <h1>Log In</h1>
      <LoginForm {...props} />
      <p>
        <a href="/auth/reset">Forgot your password?</a>
      </p>
      <p>
        New user? <a href="/auth/register">Click here to register</a>.
      </p>
    </section>
  );
}

export function UnconfirmedPage(props: { username: string; email: string }) {
  return (
    <section class="narrow">
      <h1>Please confirm your account, {props.username}</h1>
      <p>You have not confirmed your account yet. Before you can use the site you need to confirm it.</p>
      <p>We sent a confirmation link to {props.email}. Check your inbox (and spam folder).</p>
      <form method="post" action="/auth/confirm">
        <button type="submit">Send me a new confirmation email</button>
      </form>
    </section>
  );
}

export function ChangePasswordForm({ errors = {} }: FormState) {
  const f = "change-password";
  return (
    <HxForm id="change-password-form" action="/auth/change-password">
      <FormError error={errors._form} />
      <Field
        form={f}
        name="old_password"
        label="Current password"
        type="password"
        error={errors.old_password}
        autocomplete="current-password"
        required
        maxlength={128}
      />
      <NewPasswordFields form={f} errors={errors} labels={["New password", "Confirm new password"]} />
      <button type="submit">Update Password</button>
    </HxForm>
  );
}

export function ChangePasswordPage(props: FormState) {
  return (
    <section class="narrow">
      <h1>Change Your Password</h1>
      <p>Changing your password logs you out on every other device.</p>
      <ChangePasswordForm {...props} />
    </section>
  );
}

export function ResetRequestForm({ values = {}, errors = {} }: FormState) {
  const f = "reset-request";
  return (
    <HxForm id="reset-request-form" action="/auth/reset">
      <FormError error={errors._form} />
      <Field form={f} name="email" label="Email" type="email" value={values.email} error={errors.email} autocomplete="email" required maxlength={64} />
      <button type="submit">Reset Password</button>
    </HxForm>
  );
}

export function ResetRequestPage(props: FormState) {
  return (
    <section class="narrow">
      <h1>Reset Your Password</h1>
      <p>Enter your account's email address and we will send you a link to choose a new password.</p>
      <ResetRequestForm {...props} />
    </section>
  );
}

/** A new password chosen through a mailed link (reset, undo an email change): the link's token is in the action. */
function TokenPasswordForm(props: { kind: "reset" | "undo-email"; action: string; submit: string; errors: FieldErrors }) {
  return (
    <HxForm id={`${props.kind}-form`} action={props.action}>
      <FormError error={props.errors._form} />
      <NewPasswordFields form={props.kind} errors={props.errors} />
      <button type="submit">{props.submit}</button>
    </HxForm>
  );
}

export function ResetForm({ token, errors = {} }: FormState & { token: string }) {
  return <TokenPasswordForm kind="reset" action={`/auth/reset/${token}`} submit="Reset Password" errors={errors} />;
}

export function ResetPage(props: FormState & { token: string }) {
  return (
    <section class="narrow">
      <h1>Choose a New Password</h1>
      <ResetForm {...props} />
    </section>
  );
}

export function UndoEmailForm({ token, errors = {} }: FormState & { token: string }) {
  return <TokenPasswordForm kind="undo-email" action={`/auth/undo_email/${token}`} submit="Restore My Email Address" errors={errors} />;
}

/** Reached from the link mailed to the old address after an email change. */
export function UndoEmailPage(props: FormState & { token: string; email: string }) {
  return (
    <section class="narrow">
      <h1>Undo the Email Change</h1>
      <p>
        This puts {props.email} back as your account's email address, logs everyone out of the account and ends its API tokens. Whoever changed the address may
        know your password, so choose a new one.
      </p>
      <UndoEmailForm token={props.token} errors={props.errors} />
    </section>
  );
}

export function ChangeEmailForm({ values = {}, errors = {} }: FormState) {
  const f = "change-email";
  return (
    <HxForm id="change-email-form" action="/auth/change_email">
      <FormError error={errors._form} />
      <Field form={f} name="email" label="New email" type="email" value={values.email} error={errors.email} autocomplete="email" required maxlength={64} />
      <Field form={f} name="password" label="Password" type="password" error={errors.password} autocomplete="current-password" required maxlength={128} />
      <button type="submit">Update Email Address</button>
    </HxForm>
  );
}

export function ChangeEmailPage(props: FormState & { current: string }) {
  return (
    <section class="narrow">
      <h1>Change Your Email Address</h1>
      <p>Your address is now {props.current}. We will send a confirmation link to the new address; the change happens when you use it.</p>
      <ChangeEmailForm {...props} />
    </section>
  );
}
