// Front door of the people feature: profiles, follows and the admin editor's routes, and the follow rules
// the API uses.
export { userRoutes } from "./routes";
export { FOLLOWERS_PER_PAGE, followUser, unfollowUser } from "./service";
export { isLastAdministrator, LAST_ADMIN_SELF } from "./admins";
