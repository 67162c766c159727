// Front door of the notifications feature: its pages, the subscribers that write notifications (listed in
// src/subscribers.ts) and the hourly digest (cron). The nav's badge is src/views/notification-badge.tsx.

export { HOURLY_CRON, sendDigests } from "./digest";
export { KINDS, type NotificationKind } from "./kinds";
export { notificationRoutes } from "./routes";
export {
  hideBlocked,
  notifyFollowed,
  notifyLiked,
  notifyMentioned,
  notifyModerated,
  notifyOtherCommenters,
  notifyPostAuthor,
} from "./subscribers";
