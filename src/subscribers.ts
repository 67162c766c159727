// Every subscriber of every domain event, in one place: "what happens when a post is created?" has one
// answer, here. app.ts installs this list (events/commit.ts). Notifications, federation delivery and cache
// purges subscribe here as they arrive; an empty list means nothing else happens yet.

import { purgeComment, purgeDeletedUser, purgeFollow, purgeModeratedComment, purgePost, purgeProfile } from "./edge-cache/purge";
import type { Subscribers } from "./events/commit";
import { mailConfirmation, mailEmailChange, mailPasswordReset } from "./mail/subscribers";

export const subscribers: Subscribers = {
  "user.registered": [mailConfirmation],
  "user.confirmation_requested": [mailConfirmation],
  "user.password_reset_requested": [mailPasswordReset],
  "user.email_change_requested": [mailEmailChange],
  // Edge cache purges (edge-cache/purge.ts): the public pages that show the change.
  "post.created": [purgePost],
  "post.updated": [purgePost],
  "post.deleted": [purgePost],
  "comment.created": [purgeComment],
  "comment.deleted": [purgeComment],
  "comment.moderated": [purgeModeratedComment],
  "user.followed": [purgeFollow],
  "user.unfollowed": [purgeFollow],
  "user.profile_updated": [purgeProfile],
  "user.deleted": [purgeDeletedUser],
};
