// Front door of the federation feature (issue 13): the fourth app's routes (ActivityPub actors, outbox,
// follow collections, WebFinger, host-meta, NodeInfo) and which requests belong to it.

// Delivery to remote followers: the post events' subscribers and the FEDERATION_QUEUE consumer (queue.ts
// loads Fedify only when a batch arrives).
export { deliverCreatedPost, deliverDeletedPost, deliverUpdatedPost, FEDERATION_QUEUE_NAME, handleFederationBatch } from "./queue";
export { federationRoutes, isFederationRequest, isNegotiatedPath } from "./routes";
