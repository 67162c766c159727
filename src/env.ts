// Types for the Worker's bindings and the per-request context variables.
// Bindings, vars and secrets are generated (`npm run types`) from wrangler.toml and .dev.vars.example.
import type { DbStats } from "./db";
import type { CurrentUser } from "./middleware/session";

export type AppEnv = {
  Bindings: Env;
  Variables: {
    requestId: string;
    dbStats: DbStats;
    user: CurrentUser | null;
    /** The session token hash of the current session, if any (for logout/rotation). */
    sessionKey: string | null;
    cspNonce: string;
    /** This request's D1 session (read replicas with this browser's bookmark); see middleware/d1-session.ts. */
    d1: D1DatabaseSession;
  };
};
