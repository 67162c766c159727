// Front door of the private messages feature: its pages (/messages, /messages/<username>) and the data
// export's statement.

export { messagesExportQuery } from "./queries";
export { messageRoutes } from "./routes";
