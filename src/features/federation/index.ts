// Front door of the federation feature (issue 13): the fourth app's routes (ActivityPub actors, outbox,
// follow collections, WebFinger, host-meta, NodeInfo) and which requests belong to it.

export { federationRoutes, isFederationRequest, isNegotiatedPath } from "./routes";
