// The account mails, one template per kind; text and HTML bodies both come from mail/render.ts.
// Links carry a token; notices (password changed, email changed) tell the owner what happened and when.
import { exactTime } from "../lib/time";
import type { OutgoingMail } from "./outbox";
import { renderMail } from "./render";

type Ctx = { appName: string; baseUrl: string; to: string; username: string; token: string };
/** A notice about a change made at `at` (epoch ms); shown in UTC, as a mail has no reader time zone. */
type NoticeCtx = Omit<Ctx, "token"> & { at: number };

const when = (at: number) => exactTime(at, "UTC");

/**
 * A mail to the account's owner, greeted by username; its one button leads to `path` on the site and it
 * ends with one closing line.
 */
function accountMail(
  c: Omit<Ctx, "token">,
  kind: OutgoingMail["kind"],
  t: { subject: string; paragraphs: string[]; button: [label: string, path: string]; closing: string },
): OutgoingMail {
  const [label, path] = t.button;
  return {
    to: c.to,
    kind,
    ...renderMail(c.appName, {
      subject: t.subject,
      greeting: `Dear ${c.username},`,
      paragraphs: t.paragraphs,
      action: { label, url: `${c.baseUrl}${path}` },
      closing: [t.closing],
    }),
  };
}

export const confirmMail = (c: Ctx) =>
  accountMail(c, "confirm", {
    subject: "Confirm Your Account",
    paragraphs: [`Welcome to ${c.appName}! To confirm your account please use the link below. It works for one hour.`],
    button: ["Confirm your account", `/auth/confirm/${c.token}`],
    closing: "If you did not create an account, you can ignore this mail.",
  });

export const resetMail = (c: Ctx) =>
  accountMail(c, "reset", {
    subject: "Reset Your Password",
    paragraphs: ["To choose a new password use the link below. It works once, for one hour."],
    button: ["Reset your password", `/auth/reset/${c.token}`],
    closing: "If you did not ask for a password reset, ignore this mail: your password stays the same.",
  });

export const changeEmailMail = (c: Ctx) =>
  accountMail(c, "change_email", {
    subject: "Confirm your email address",
    paragraphs: [`To make this your ${c.appName} email address, use the link below. It works for one hour.`],
    button: ["Confirm your new email address", `/auth/change-email/${c.token}`],
    closing: "If you did not ask for this change, ignore this mail: nothing changes.",
  });

export const passwordChangedMail = (c: NoticeCtx) =>
  accountMail(c, "password_changed", {
    subject: "Your password was changed",
    paragraphs: [
      `The password of your ${c.appName} account was changed on ${when(c.at)}. Every other session and API token was ended.`,
      "If you did this, there is nothing more to do. If you did not, choose a new password now with the link below.",
    ],
    button: ["Reset your password", "/auth/reset"],
    closing: "This is a notice: you cannot reply to it.",
  });

/** Goes to the OLD address; its undo link restores that address and asks for a new password (7 days, once). */
export const emailChangedMail = (c: Ctx & { at: number; newEmail: string }) =>
  accountMail(c, "email_changed", {
    subject: "Your email address was changed",
    paragraphs: [
      `The email address of your ${c.appName} account was changed from ${c.to} to ${c.newEmail} on ${when(c.at)}.`,
      "If you did not do this, use the link below within 7 days: it puts this address back, logs everyone out of the account, ends its API tokens and asks you for a new password.",
    ],
    button: ["Undo the change", `/auth/undo-email/${c.token}`],
    closing: "If you made this change, ignore this mail.",
  });
