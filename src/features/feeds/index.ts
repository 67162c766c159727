// Front door of the feeds feature: the Atom feed routes (their paths and <head> link: views/feed-link.tsx).

export { feedRoutes } from "./routes";
