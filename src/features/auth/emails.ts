// The account mails, one template per kind; text and HTML bodies both come from mail/render.ts.
import type { OutgoingMail } from "../../mail/outbox";
import { renderMail } from "../../mail/render";

type Ctx = { appName: string; baseUrl: string; to: string; username: string; token: string };

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
