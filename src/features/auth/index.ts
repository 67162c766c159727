// Front door of the accounts feature: its routes, the credential check the API shares with the web login,
// and the password re-check that account deletion uses (same failed-login limits).
export { authRoutes } from "./routes";
export { type Limited, login, recheckPassword } from "./service";
