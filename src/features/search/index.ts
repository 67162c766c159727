// Front door of the search feature: the /search page; the search itself for the JSON API.
export type { PersonHit, PostHit } from "./queries";
export { searchRoutes } from "./routes";
export { type SearchResult, search, searchQuery } from "./service";
