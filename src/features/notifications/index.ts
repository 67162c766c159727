// Front door of the notifications feature: its pages, the subscribers that write notifications (listed in
// src/subscribers.ts), the hourly digest (cron) and the data export's statement. The nav's badge is
// src/views/notification-badge.tsx.

export { HOURLY_CRON, sendDigests } from "./digest";
export { KINDS, type NotificationKind } from "./kinds";
export { notificationExportJson, notificationsExportQuery } from "./queries";
export { notificationRoutes } from "./routes";
export {
  hideBlocked,
  hideRemoteBlocked,
  notifyFollowed,
  notifyLiked,
  notifyMentioned,
  notifyModerated,
  notifyOtherCommenters,
  notifyPostAuthor,
  notifyRemoteFollowed,
  notifyRemoteMentioned,
  notifyRemoteReacted,
} from "./subscribers";
