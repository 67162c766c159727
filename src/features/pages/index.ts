// Front door of the site's own pages (About, Privacy) and the shared stranger pitch.
export { pageRoutes } from "./routes";
export { Pitch, pitchHeadline } from "./views";
