// Front door of the account feature (data rights: export and deletion).
export { accountRoutes } from "./routes";
