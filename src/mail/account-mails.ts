// The account mails, one template per kind; text and HTML bodies both come from mail/render.ts.
// Links carry a token; notices (password changed, email changed) tell the owner what happened and when.
// Each mail is written in its recipient's language: their own setting, else the language of the request that
// caused it (the recipient is its actor: they registered, asked for a link or changed their account), else English.
import { currentLocale, isLocale, type Locale, t, withLocale } from "../i18n";
import { exactTime } from "../lib/time";
import type { OutgoingMail } from "./outbox";
import { renderMail } from "./render";

/** `locale` is the recipient's stored setting (users.locale), null for automatic. */
type Ctx = { appName: string; baseUrl: string; to: string; username: string; token: string; locale: string | null };
/** A notice about a change made at `at` (epoch ms); shown in UTC, as a mail has no reader time zone. */
type NoticeCtx = Omit<Ctx, "token"> & { at: number };

/** The language a mail is written in: the recipient's setting, else the current request's language. */
export function mailLocale(setting: string | null | undefined): Locale {
  return isLocale(setting) ? setting : currentLocale();
}

const when = (at: number) => exactTime(at, "UTC");

/**
 * A mail to the account's owner, greeted by username; its one button leads to `path` on the site and it
 * ends with one closing line. `write` runs in the recipient's language.
 */
function accountMail(
  c: Omit<Ctx, "token">,
  kind: OutgoingMail["kind"],
  write: () => { subject: string; paragraphs: string[]; button: [label: string, path: string]; closing: string },
): OutgoingMail {
  return withLocale(mailLocale(c.locale), () => {
    const m = write();
    const [label, path] = m.button;
    return {
      to: c.to,
      kind,
      ...renderMail(c.appName, {
        subject: m.subject,
        greeting: t("mail.greeting", { username: c.username }),
        paragraphs: m.paragraphs,
        action: { label, url: `${c.baseUrl}${path}` },
        closing: [m.closing],
      }),
    };
  });
}

export const confirmMail = (c: Ctx) =>
  accountMail(c, "confirm", () => ({
    subject: t("mail.confirm.subject"),
    paragraphs: [t("mail.confirm.body", { app: c.appName })],
    button: [t("mail.confirm.button"), `/auth/confirm/${c.token}`],
    closing: t("mail.confirm.closing"),
  }));

export const resetMail = (c: Ctx) =>
  accountMail(c, "reset", () => ({
    subject: t("mail.reset.subject"),
    paragraphs: [t("mail.reset.body")],
    button: [t("mail.reset.button"), `/auth/reset/${c.token}`],
    closing: t("mail.reset.closing"),
  }));

export const changeEmailMail = (c: Ctx) =>
  accountMail(c, "change_email", () => ({
    subject: t("mail.changeEmail.subject"),
    paragraphs: [t("mail.changeEmail.body", { app: c.appName })],
    button: [t("mail.changeEmail.button"), `/auth/change-email/${c.token}`],
    closing: t("mail.changeEmail.closing"),
  }));

export const passwordChangedMail = (c: NoticeCtx) =>
  accountMail(c, "password_changed", () => ({
    subject: t("mail.passwordChanged.subject"),
    paragraphs: [t("mail.passwordChanged.body", { app: c.appName, when: when(c.at) }), t("mail.passwordChanged.body2")],
    button: [t("mail.passwordChanged.button"), "/auth/reset"],
    closing: t("mail.passwordChanged.closing"),
  }));

/** Goes to the OLD address; its undo link restores that address and asks for a new password (7 days, once). */
export const emailChangedMail = (c: Ctx & { at: number; newEmail: string }) =>
  accountMail(c, "email_changed", () => ({
    subject: t("mail.emailChanged.subject"),
    paragraphs: [t("mail.emailChanged.body", { app: c.appName, old: c.to, new: c.newEmail, when: when(c.at) }), t("mail.emailChanged.body2")],
    button: [t("mail.emailChanged.button"), `/auth/undo-email/${c.token}`],
    closing: t("mail.emailChanged.closing"),
  }));
