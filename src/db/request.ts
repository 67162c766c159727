// The database for the current request: its D1 session (middleware/d1-session.ts) when there is one,
// else the binding itself, wrapped to count round trips for Server-Timing.
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { getDb } from ".";

export function requestD1(c: Context<AppEnv>): D1Database {
  return (c.get("d1") as unknown as D1Database | undefined) ?? c.env.DB;
}

export function requestDb(c: Context<AppEnv>) {
  return getDb(requestD1(c), c.get("dbStats"));
}
