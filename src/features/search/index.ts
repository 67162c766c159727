// Front door of the search feature: the /search page; the search itself for the JSON API.
export { type PersonHit, type PostHit, SEARCH_WINDOW } from "./queries";
export { searchRoutes } from "./routes";
export { parseBefore, type SearchResult, search, searchQuery } from "./service";
