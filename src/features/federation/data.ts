// What each request hands Fedify as context data, in a module of its own so the inbox listeners can name it
// without importing federation.ts (which imports them).
import type { InboxContext } from "@fedify/fedify";
import type { Config } from "../../config";
import type { Db } from "../../db";
import type { EventContext } from "../../events/commit";

/** What each request hands Fedify: its database, settings and bindings (inbox listeners announce events). */
export type FederationData = { db: Db; config: Config; env: Env };

/** An inbox listener's context. */
export type InboxCtx = InboxContext<FederationData>;

/** The event context of an inbox listener (what publishing a domain event needs). */
export const eventContext = (ctx: InboxCtx): EventContext => ({ db: ctx.data.db, config: ctx.data.config, env: ctx.data.env, now: Date.now() });
