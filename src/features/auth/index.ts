// Front door of the accounts feature: its routes, and the credential check the API shares with the web login.
export { authRoutes } from "./routes";
export { login } from "./service";
