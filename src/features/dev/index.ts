// Front door of the development-only pages (the mailbox).
export { devRoutes } from "./routes";
