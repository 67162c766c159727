// Front door of the federation feature (issue 13): the fourth app's routes (ActivityPub actors, outbox,
// follow collections, WebFinger, host-meta, NodeInfo) and which requests belong to it; the web app's pages
// (remote servers for Administrators, leaving the fediverse); the block-list query delivery code must ask.

export { leftFediverseAt } from "./queries";
// Delivery to remote followers: the post events' subscribers and the FEDERATION_QUEUE consumer (queue.ts
// loads Fedify only when a batch arrives).
export { deliverActorDeletion, deliverCreatedPost, deliverDeletedPost, deliverUpdatedPost, FEDERATION_QUEUE_NAME, handleFederationBatch } from "./queue";
export { listRemoteBlocks, type RemoteBlockItem } from "./remote-blocks";
export { federationRoutes, isFederationRequest, isNegotiatedPath } from "./routes";
export { isBlockedHost } from "./servers";
export { recordGoneActor } from "./settings";
export { federationWebRoutes } from "./web-routes";
export { FediverseSection, RemoteBlockButton } from "./web-views";
