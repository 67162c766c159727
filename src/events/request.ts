// The event context of a request: what a service that announces events needs, taken from the request
// context (middleware/request-context.ts) so handlers do not assemble it by hand.
import type { Context } from "hono";
import type { BaseEnv } from "../env";
import type { EventContext } from "./commit";

export function eventContextOf<E extends BaseEnv>(c: Context<E>): EventContext {
  return { db: c.get("db"), config: c.get("config"), env: c.env, now: Date.now() };
}
