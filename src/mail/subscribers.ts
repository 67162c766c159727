// Mail as a subscriber of domain events: the account mails that carry a link. Each reaction writes the
// mail_outbox row in the same batch as the change that announced the event (so the mail exists exactly when
// the token does) and puts its id on the mail queue once the batch has committed.
import type { EventContext, Reaction, Subscriber } from "../events/commit";
import type { EventOf } from "../events/types";
import { changeEmailMail, confirmMail, resetMail } from "./account-mails";
import { enqueueMail, type OutgoingMail, outboxInsert } from "./outbox";

function sendReaction(ctx: EventContext, mail: OutgoingMail): Reaction {
  return {
    statements: [outboxInsert(ctx.db, mail, ctx.now)],
    afterCommit: async ([rows]) => {
      const ids = Array.isArray(rows) ? rows.flatMap((r: { id?: unknown }) => (typeof r.id === "number" ? [r.id] : [])) : [];
      await enqueueMail(ctx.env.MAIL_QUEUE, ids);
    },
  };
}

const links = (ctx: EventContext) => ({ appName: ctx.config.appName, baseUrl: ctx.config.baseUrl });

/** user.registered, user.confirmation_requested: the confirmation link. */
export const mailConfirmation = (ctx: EventContext, e: EventOf<"user.registered" | "user.confirmation_requested">): Reaction =>
  sendReaction(ctx, confirmMail({ ...links(ctx), to: e.email, username: e.username, token: e.confirmToken, locale: "locale" in e ? e.locale : null }));

/** user.password_reset_requested: the reset link. */
export const mailPasswordReset: Subscriber<"user.password_reset_requested"> = (ctx, e) =>
  sendReaction(ctx, resetMail({ ...links(ctx), to: e.email, username: e.username, token: e.resetToken, locale: e.locale }));

/** user.email_change_requested: the confirmation link, to the NEW address. */
export const mailEmailChange: Subscriber<"user.email_change_requested"> = (ctx, e) =>
  sendReaction(ctx, changeEmailMail({ ...links(ctx), to: e.newEmail, username: e.username, token: e.changeToken, locale: e.locale }));
