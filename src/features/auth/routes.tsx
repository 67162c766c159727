// /auth/*: thin handlers that validate the form, call the account service and render or redirect.
import type { Context } from "hono";
import { Hono } from "hono";
import type { WebEnv } from "../../env";
import { t } from "../../i18n";
import { abuseRules, takeSlot } from "../../lib/abuse";
import { clientNetwork } from "../../lib/client-network";
import { validate } from "../../lib/forms";
import { safeNextPath } from "../../lib/safe-redirect";
import { retryMessage } from "../../lib/time";
import { errorResponse, setErrorHeaders } from "../../middleware/errors";
import { readForm } from "../../middleware/form-body";
import { requireLogin, withUser } from "../../middleware/permissions";
import { endSession, startSession } from "../../middleware/session";
import { flash } from "../../views/flash";
import { redirect, renderPage } from "../../views/render";
import { changeEmailSchema, changePasswordSchema, loginSchema, registerSchema, resetRequestSchema, resetSchema } from "./schemas";
import * as service from "./service";
import * as v from "./views";

export const authRoutes = new Hono<WebEnv>();

const deps = (c: Context<WebEnv>): service.Deps => ({ env: c.env, db: c.get("db"), network: clientNetwork(c.req.raw.headers) });

const INVALID_LINK = () => t("auth.invalidLink");
const INVALID_UNDO = () => t("auth.invalidUndo");

/** The token of a mailed link, from the path. Its pages must not leak it to other sites through Referer. */
function linkToken(c: Context): string {
  c.header("Referrer-Policy", "no-referrer");
  return c.req.param("token") ?? "";
}

// --- Register -----------------------------------------------------------------------------------

authRoutes.get("/register", (c) => (c.get("user") ? redirect(c, "/") : renderPage(c, { title: t("auth.register") }, <v.RegisterPage />)));

authRoutes.post("/register", async (c) => {
  const form = validate(registerSchema, await readForm(c));
  if (!form.ok) {
    return renderPage(c, { title: t("auth.register"), status: 422, fragment: <v.RegisterForm {...form} /> }, <v.RegisterPage {...form} />);
  }
  const limited = await takeSlot(c.get("db"), c.get("config"), abuseRules.registration, clientNetwork(c.req.raw.headers));
  if (limited) {
    setErrorHeaders(c, limited.headers);
    const state = { errors: { _form: limited.message }, values: { email: form.data.email, username: form.data.username } };
    return renderPage(c, { title: t("auth.register"), status: 429, fragment: <v.RegisterForm {...state} /> }, <v.RegisterPage {...state} />);
  }
  const result = await service.register(deps(c), form.data);
  if (!result.ok) {
    const state = { errors: result.errors, values: { email: form.data.email, username: form.data.username } };
    return renderPage(c, { title: t("auth.register"), status: 422, fragment: <v.RegisterForm {...state} /> }, <v.RegisterPage {...state} />);
  }
  await flash(c, t("auth.flash.registered", { email: form.data.email }), "success");
  return redirect(c, "/auth/login");
});

// --- Log in / out -------------------------------------------------------------------------------

authRoutes.get("/login", (c) => {
  const next = safeNextPath(c.req.query("next"));
  if (c.get("user")) return redirect(c, next ?? "/");
  return renderPage(c, { title: t("auth.logIn") }, <v.LoginPage next={next} />);
});

authRoutes.post("/login", async (c) => {
  const next = safeNextPath(c.req.query("next"));
  const raw = await readForm(c);
  const form = validate(loginSchema, raw);
  const failed = (status: 422 | 429, errors: Record<string, string>) => {
    const state = { errors, values: { email: raw.email ?? "", remember_me: raw.remember_me ?? "" }, next };
    return renderPage(c, { title: t("auth.logIn"), status, fragment: <v.LoginForm {...state} /> }, <v.LoginPage {...state} />);
  };
  if (!form.ok) return failed(422, form.errors);
  const result = await service.login(deps(c), form.data.email, form.data.password);
  if (!result.ok) {
    if (result.limited) {
      c.header("Retry-After", String(result.retryAfterSeconds));
      return failed(429, { _form: retryMessage(result.retryAfterSeconds) });
    }
    return failed(422, { _form: t("auth.invalidLogin") });
  }
  await startSession(c, result.user, !!form.data.remember_me);
  return redirect(c, next ?? "/");
});

authRoutes.get("/logout", (c) => {
  c.header("Allow", "POST");
  return errorResponse(c, 405, t("auth.useLogoutButton"));
});

authRoutes.post("/logout", async (c) => {
  await endSession(c);
  await flash(c, t("auth.flash.loggedOut"));
  return redirect(c, "/");
});

// --- Confirmation -------------------------------------------------------------------------------

authRoutes.get("/unconfirmed", (c) => {
  const user = c.get("user");
  if (!user || user.confirmed) return redirect(c, "/");
  return renderPage(c, { title: t("auth.confirmTitle") }, <v.UnconfirmedPage username={user.username} email={user.email} />);
});

authRoutes.post(
  "/confirm",
  withUser(async (c, user) => {
    if (user.confirmed) return redirect(c, "/");
    const result = await service.resendConfirmation(deps(c), user);
    if (!result.ok) {
      c.header("Retry-After", String(result.retryAfterSeconds));
      return errorResponse(c, 429, retryMessage(result.retryAfterSeconds));
    }
    await flash(c, t("auth.flash.resent", { email: user.email }), "success");
    return redirect(c, "/auth/unconfirmed");
  }),
);

authRoutes.get(
  "/confirm/:token",
  withUser(
    async (c, user) => {
      const token = linkToken(c);
      if (user.confirmed) return redirect(c, "/");
      if (await service.confirmAccount(deps(c), user.id, token)) {
        await flash(c, t("auth.flash.confirmed"), "success");
        return redirect(c, "/");
      }
      await flash(c, INVALID_LINK(), "error");
      return redirect(c, "/auth/unconfirmed");
    },
    () => t("auth.loginToConfirm"),
  ),
);

// --- Change password ----------------------------------------------------------------------------

authRoutes.get("/change-password", requireLogin, (c) => renderPage(c, { title: t("nav.changePassword") }, <v.ChangePasswordPage />));

authRoutes.post(
  "/change-password",
  withUser(async (c, user) => {
    const form = validate(changePasswordSchema, await readForm(c));
    const failed = (errors: Record<string, string>) =>
      renderPage(
        c,
        { title: t("nav.changePassword"), status: 422, fragment: <v.ChangePasswordForm errors={errors} /> },
        <v.ChangePasswordPage errors={errors} />,
      );
    if (!form.ok) return failed(form.errors);
    const result = await service.changePassword(deps(c), user.id, form.data.old_password, form.data.password);
    if (!result.ok && "limited" in result) {
      c.header("Retry-After", String(result.retryAfterSeconds));
      const errors = { _form: retryMessage(result.retryAfterSeconds) };
      return renderPage(
        c,
        { title: t("nav.changePassword"), status: 429, fragment: <v.ChangePasswordForm errors={errors} /> },
        <v.ChangePasswordPage errors={errors} />,
      );
    }
    if (!result.ok) return failed(result.errors);
    // Every other session died with the epoch; this browser gets a fresh one.
    await startSession(c, { id: user.id, sessionEpoch: result.sessionEpoch }, false);
    await flash(c, t("auth.flash.passwordUpdated"), "success");
    return redirect(c, "/");
  }),
);

// --- Reset password -----------------------------------------------------------------------------

const RESET_SENT = () => t("auth.flash.resetSent");

authRoutes.get("/reset", (c) => (c.get("user") ? redirect(c, "/") : renderPage(c, { title: t("auth.resetPassword") }, <v.ResetRequestPage />)));

authRoutes.post("/reset", async (c) => {
  if (c.get("user")) return redirect(c, "/");
  const form = validate(resetRequestSchema, await readForm(c));
  if (!form.ok) {
    return renderPage(c, { title: t("auth.resetPassword"), status: 422, fragment: <v.ResetRequestForm {...form} /> }, <v.ResetRequestPage {...form} />);
  }
  const result = await service.requestPasswordReset(deps(c), form.data.email);
  if (!result.ok) {
    c.header("Retry-After", String(result.retryAfterSeconds));
    const state = { values: { email: form.data.email }, errors: { _form: retryMessage(result.retryAfterSeconds) } };
    return renderPage(c, { title: t("auth.resetPassword"), status: 429, fragment: <v.ResetRequestForm {...state} /> }, <v.ResetRequestPage {...state} />);
  }
  await flash(c, RESET_SENT());
  return redirect(c, "/auth/login");
});

authRoutes.get("/reset/:token", async (c) => {
  const token = linkToken(c);
  if (c.get("user")) return redirect(c, "/");
  if (!(await service.isResetTokenUsable(deps(c), token))) {
    await flash(c, t("auth.invalidResetLink"), "error");
    return redirect(c, "/auth/reset");
  }
  return renderPage(c, { title: t("auth.resetPassword") }, <v.ResetPage token={token} />);
});

authRoutes.post("/reset/:token", async (c) => {
  const token = linkToken(c);
  if (c.get("user")) return redirect(c, "/");
  const form = validate(resetSchema, await readForm(c));
  if (!form.ok) {
    return renderPage(
      c,
      { title: t("auth.resetPassword"), status: 422, fragment: <v.ResetForm token={token} errors={form.errors} /> },
      <v.ResetPage token={token} errors={form.errors} />,
    );
  }
  if (!(await service.resetPassword(deps(c), token, form.data.password))) {
    await flash(c, t("auth.invalidResetLink"), "error");
    return redirect(c, "/auth/reset");
  }
  await flash(c, t("auth.flash.passwordReset"), "success");
  return redirect(c, "/auth/login");
});

// --- Change email -------------------------------------------------------------------------------

authRoutes.get(
  "/change-email",
  withUser((c, user) => renderPage(c, { title: t("nav.changeEmail") }, <v.ChangeEmailPage current={user.email} />)),
);

authRoutes.post(
  "/change-email",
  withUser(async (c, user) => {
    const form = validate(changeEmailSchema, await readForm(c));
    const failed = (status: 422 | 429, state: { values?: Record<string, string>; errors: Record<string, string> }) =>
      renderPage(c, { title: t("nav.changeEmail"), status, fragment: <v.ChangeEmailForm {...state} /> }, <v.ChangeEmailPage current={user.email} {...state} />);
    if (!form.ok) return failed(422, form);
    const result = await service.requestEmailChange(deps(c), user, form.data.email, form.data.password);
    if (!result.ok) {
      if ("limited" in result) {
        c.header("Retry-After", String(result.retryAfterSeconds));
        return failed(429, { values: { email: form.data.email }, errors: { _form: retryMessage(result.retryAfterSeconds) } });
      }
      return failed(422, { values: { email: form.data.email }, errors: result.errors });
    }
    await flash(c, t("auth.flash.changeEmailSent"), "success");
    return redirect(c, "/");
  }),
);

authRoutes.get(
  "/change-email/:token",
  withUser(
    async (c, user) => {
      const result = await service.changeEmail(deps(c), user.id, linkToken(c));
      if (result.ok) await flash(c, t("auth.flash.emailUpdated"), "success");
      else if (result.reason === "taken") await flash(c, t("auth.flash.emailTaken"), "error");
      else await flash(c, INVALID_LINK(), "error");
      return redirect(c, "/");
    },
    () => t("auth.loginToConfirmEmail"),
  ),
);

// --- Old addresses ---------------------------------------------------------------------------------
// Flasky's underscore URLs became /auth/change-email and /auth/undo-email (one style with change-password).
// Links already mailed and bookmarks keep working: GET moves permanently (301); a POST is sent on to the new
// address with its method and body (308).
const RENAMED = [
  ["change_email", "change-email", ["/change_email", "/change_email/*"]],
  ["undo_email", "undo-email", ["/undo_email/*"]],
] as const;
for (const [old, now, paths] of RENAMED) {
  authRoutes.on(["GET", "POST"], [...paths], (c) => {
    const url = new URL(c.req.url);
    const moved = url.pathname.replace(`/auth/${old}`, `/auth/${now}`) + url.search;
    return c.redirect(moved, c.req.method === "POST" ? 308 : 301);
  });
}

// --- Undo an email change (link mailed to the old address) ---------------------------------------
// Works with or without a session: the owner may still be logged in, or already logged out by the intruder.

authRoutes.get("/undo-email/:token", async (c) => {
  const token = linkToken(c);
  const email = await service.undoEmailTarget(deps(c), token);
  if (!email) {
    await flash(c, INVALID_UNDO(), "error");
    return redirect(c, "/");
  }
  return renderPage(c, { title: t("auth.undo.title") }, <v.UndoEmailPage token={token} email={email} />);
});

authRoutes.post("/undo-email/:token", async (c) => {
  const token = linkToken(c);
  const form = validate(resetSchema, await readForm(c));
  if (!form.ok) {
    const email = await service.undoEmailTarget(deps(c), token);
    if (!email) {
      await flash(c, INVALID_UNDO(), "error");
      return redirect(c, "/");
    }
    const page = <v.UndoEmailPage token={token} email={email} errors={form.errors} />;
    return renderPage(c, { title: t("auth.undo.title"), status: 422, fragment: <v.UndoEmailForm token={token} errors={form.errors} /> }, page);
  }
  const result = await service.undoEmailChange(deps(c), token, form.data.password);
  if (!result.ok) {
    const message = result.reason === "taken" ? t("auth.undo.taken") : INVALID_UNDO();
    await flash(c, message, "error");
    return redirect(c, "/");
  }
  // Every session ended with the epoch; this browser's cookie goes too.
  await endSession(c);
  await flash(c, t("auth.flash.undone", { email: result.email }), "success");
  return redirect(c, "/auth/login");
});
