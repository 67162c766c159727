// Front door of the blocks feature: the block/unblock routes, the account page's list and the data export's
// statement. The filters every other feature applies are SQL conditions in db/blocks.ts.
export { type BlockedItem, blocksExportQuery } from "./queries";
export { blockRoutes } from "./routes";
export { blockUser, listBlocked, unblockUser } from "./service";
export { BlockedList } from "./views";
