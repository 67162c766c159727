// The account mails, one template per kind; text and HTML bodies both come from mail/render.ts.
// Links carry a token; notices (password changed, email changed) tell the owner what happened and when.
import { exactTime } from "../lib/time";
import type { OutgoingMail } from "./outbox";
import { renderMail } from "./render";

type Ctx = { appName: string; baseUrl: string; to: string; username: string; token: string };
/** A notice about a change made at `at` (epoch ms); shown in UTC, as a mail has no reader time zone. */
type NoticeCtx = Omit<Ctx, "token"> & { at: number };

const when = (at: number) => exactTime(at, "UTC");

export function confirmMail(c: Ctx): OutgoingMail {
  return {
    to: c.to,
    kind: "confirm",
    ...renderMail(c.appName, {
      subject: "Confirm Your Account",
      greeting: `Dear ${c.username},`,
      paragraphs: [`Welcome to ${c.appName}! To confirm your account please use the link below. It works for one hour.`],
      action: { label: "Confirm your account", url: `${c.baseUrl}/auth/confirm/${c.token}` },
      closing: ["If you did not create an account, you can ignore this mail."],
    }),
  };
}

export function resetMail(c: Ctx): OutgoingMail {
  return {
    to: c.to,
    kind: "reset",
    ...renderMail(c.appName, {
      subject: "Reset Your Password",
      greeting: `Dear ${c.username},`,
      paragraphs: ["To choose a new password use the link below. It works once, for one hour."],
      action: { label: "Reset your password", url: `${c.baseUrl}/auth/reset/${c.token}` },
      closing: ["If you did not ask for a password reset, ignore this mail: your password stays the same."],
    }),
  };
}

export function changeEmailMail(c: Ctx): OutgoingMail {
  return {
    to: c.to,
    kind: "change_email",
    ...renderMail(c.appName, {
      subject: "Confirm your email address",
      greeting: `Dear ${c.username},`,
      paragraphs: [`To make this your ${c.appName} email address, use the link below. It works for one hour.`],
      action: { label: "Confirm your new email address", url: `${c.baseUrl}/auth/change_email/${c.token}` },
      closing: ["If you did not ask for this change, ignore this mail: nothing changes."],
    }),
  };
}

export function passwordChangedMail(c: NoticeCtx): OutgoingMail {
  return {
    to: c.to,
    kind: "password_changed",
    ...renderMail(c.appName, {
      subject: "Your password was changed",
      greeting: `Dear ${c.username},`,
      paragraphs: [
        `The password of your ${c.appName} account was changed on ${when(c.at)}. Every other session and API token was ended.`,
        "If you did this, there is nothing more to do. If you did not, choose a new password now with the link below.",
      ],
      action: { label: "Reset your password", url: `${c.baseUrl}/auth/reset` },
      closing: ["This is a notice: you cannot reply to it."],
    }),
  };
}

/** Goes to the OLD address; its undo link restores that address and asks for a new password (7 days, once). */
export function emailChangedMail(c: Ctx & { at: number; newEmail: string }): OutgoingMail {
  return {
    to: c.to,
    kind: "email_changed",
    ...renderMail(c.appName, {
      subject: "Your email address was changed",
      greeting: `Dear ${c.username},`,
      paragraphs: [
        `The email address of your ${c.appName} account was changed from ${c.to} to ${c.newEmail} on ${when(c.at)}.`,
        "If you did not do this, use the link below within 7 days: it puts this address back, logs everyone out of the account, ends its API tokens and asks you for a new password.",
      ],
      action: { label: "Undo the change", url: `${c.baseUrl}/auth/undo_email/${c.token}` },
      closing: ["If you made this change, ignore this mail."],
    }),
  };
}
