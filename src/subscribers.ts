// Every subscriber of every domain event, in one place: "what happens when a post is created?" has one
// answer, here. app.ts installs this list (events/commit.ts). Notifications, federation delivery and cache
// purges subscribe here, and federation delivery (a post's activity to its author's remote followers).

import { purgeBlock, purgeComment, purgeDeletedUser, purgeFollow, purgeModeratedComment, purgePost, purgeProfile } from "./edge-cache/purge";
import type { Subscribers } from "./events/commit";
import { deliverActorDeletion, deliverCreatedPost, deliverDeletedPost, deliverUpdatedPost, recordGoneActor } from "./features/federation";
// Notifications are many subscribers (a kind is one): named through the feature, `notifications.notifyLiked`.
import * as notifications from "./features/notifications";
import { ensurePostsSite } from "./features/sites";
import { mailConfirmation, mailEmailChange, mailPasswordReset } from "./mail/subscribers";

export const subscribers: Subscribers = {
  "user.registered": [mailConfirmation],
  "user.confirmation_requested": [mailConfirmation],
  "user.password_reset_requested": [mailPasswordReset],
  "user.email_change_requested": [mailEmailChange],
  // Per social event: notifications (features/notifications: a kind is a subscriber here and a line in its
  // kinds.ts), then the edge cache purge of the public pages that show the change (edge-cache/purge.ts).
  // ensurePostsSite: the author's views start counting with their first post (features/sites/own-posts.ts).
  // deliver*Post: Create / Update / Delete to the author's remote followers, through FEDERATION_QUEUE.
  "post.created": [notifications.notifyMentioned, purgePost, ensurePostsSite, deliverCreatedPost],
  "post.updated": [notifications.notifyMentioned, purgePost, deliverUpdatedPost],
  "post.deleted": [purgePost, deliverDeletedPost],
  "post.liked": [notifications.notifyLiked, purgeComment],
  "comment.created": [notifications.notifyPostAuthor, notifications.notifyOtherCommenters, purgeComment],
  "comment.deleted": [purgeComment],
  "comment.moderated": [notifications.notifyModerated, purgeModeratedComment],
  "user.followed": [notifications.notifyFollowed, purgeFollow],
  "user.unfollowed": [purgeFollow],
  // A block's ended follows change both public profiles; the blocker's notifications from the blocked go.
  "user.blocked": [notifications.hideBlocked, purgeBlock],
  // Nothing hidden comes back by itself: the blocked member's old notifications stay deleted.
  "user.unblocked": [],
  "user.profile_updated": [purgeProfile],
  // The deleted member's actor URL answers 410 Gone from now on (features/federation).
  "user.deleted": [purgeDeletedUser, recordGoneActor],
  // The profile's actor link comes or goes; on leaving, remote followers get a Delete of the actor.
  "user.fediverse_changed": [purgeProfile, deliverActorDeletion],
  // From other servers (features/federation announces them; issue 13): the same notifications as local ones.
  // A remote reply is a comment.created (authorId null), above.
  "remote.followed": [notifications.notifyRemoteFollowed],
  "remote.reacted": [notifications.notifyRemoteReacted],
  "remote.mentioned": [notifications.notifyRemoteMentioned],
  // The member's notifications from that remote actor go (their follow ended in the block's own write).
  "remote.blocked": [notifications.hideRemoteBlocked],
  "remote.unblocked": [],
};
