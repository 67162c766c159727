// Types for the Worker's bindings and the per-request context variables.
// Bindings and vars are generated from wrangler.toml (`npm run types`); secrets are declared here.
import type { DbStats } from "./db";
import type { CurrentUser } from "./middleware/session";

declare global {
  namespace Cloudflare {
    interface Env {
      /** Signs flash cookies. Generated into .dev.vars locally; `wrangler secret put SECRET_KEY` in production. */
      SECRET_KEY: string;
      /** Bearer key for the HTTP mail API (MAIL_API_URL). */
      MAIL_API_KEY?: string;
    }
  }
}

export type AppEnv = {
  Bindings: Env;
  Variables: {
    requestId: string;
    dbStats: DbStats;
    user: CurrentUser | null;
    /** The session token hash of the current session, if any (for logout/rotation). */
    sessionKey: string | null;
    cspNonce: string;
  };
};
