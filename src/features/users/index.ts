// Front door of the people feature: profiles, follows and the admin editor's routes, and the follow rules
// and the reads by id the API uses.
export { userRoutes } from "./routes";
export { followUser, unfollowUser } from "./service";
export {
  type FollowListKind,
  getPublicUser,
  listFollowPage,
  listTimelineWithSource,
  listUserPostsWithSource,
  type PublicUser,
} from "./queries";
