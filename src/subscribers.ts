// Every subscriber of every domain event, in one place: "what happens when a post is created?" has one
// answer, here. app.ts installs this list (events/commit.ts). Notifications, federation delivery and cache
// purges subscribe here as they arrive; an empty list means nothing else happens yet.
import type { Subscribers } from "./events/commit";
import { notifyFollowed, notifyModerated, notifyOtherCommenters, notifyPostAuthor } from "./features/notifications";
import { mailConfirmation, mailEmailChange, mailPasswordReset } from "./mail/subscribers";

export const subscribers: Subscribers = {
  "user.registered": [mailConfirmation],
  "user.confirmation_requested": [mailConfirmation],
  "user.password_reset_requested": [mailPasswordReset],
  "user.email_change_requested": [mailEmailChange],
  // Notifications (features/notifications): a kind is a subscriber here and a line in its kinds.ts.
  "user.followed": [notifyFollowed],
  "comment.created": [notifyPostAuthor, notifyOtherCommenters],
  "comment.moderated": [notifyModerated],
};
