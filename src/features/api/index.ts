// Front door of the JSON API feature: the API app's routes, and the reference page the web app serves.
export { apiDocsRoutes, apiRoutes } from "./routes";
