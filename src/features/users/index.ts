// Front door of the people feature: profiles, follows and the admin editor's routes; the follow rules and
// the reads by id the API uses; the self-follow that registration writes in its batch.

export { isLastAdministrator, LAST_ADMIN_SELF } from "./admins";
export { deleteAvatarObject } from "./avatars";
export {
  accountExportQuery,
  deleteUser,
  type FollowListKind,
  followCount,
  followerCountQuery,
  followsExportQuery,
  getPublicMember,
  getPublicUser,
  listFollowPage,
  listTimelineWithSource,
  listUserPostsWithSource,
  type PublicMember,
  type PublicUser,
  selfFollowStatement,
  usernamesQuery,
} from "./queries";
export { userRoutes } from "./routes";
export { FOLLOW_BLOCKED, followUser, isPossibleUsername, unfollowUser } from "./service";
export { FollowButton, FollowerCount } from "./views";
