// Front door of the private messages feature: its pages (/messages, /messages/<username>).

export { messageRoutes } from "./routes";
