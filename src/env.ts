// The context every request handler sees. Bindings, vars and secrets are generated (scripts/types.mjs) from
// wrangler.toml and .dev.vars.example into `Env`; the Variables are set by middleware:
// - every app (beacon, API, web): `db`, `dbStats`, `config`, `requestId` (middleware/request-context.ts);
// - the web app adds the reader's language, the session's user, the D1 session and whether the page is a shared public one (middleware/session.ts, …);
// - the API adds how the caller authenticated (features/api/context.ts).
import type { Config } from "./config";
import type { Db, DbStats } from "./db";
import type { CurrentUser } from "./db/current-user";
import type { Locale } from "./i18n";

export type { CurrentUser };

/** What every sub-app's handlers can rely on. */
export type BaseVariables = {
  requestId: string;
  dbStats: DbStats;
  /** This request's database: counted for Server-Timing; for the web, inside its D1 session. */
  db: Db;
  config: Config;
  /** Who is calling, once the web session or API credentials have been checked. */
  user?: CurrentUser | null;
};

export type BaseEnv = { Bindings: Env; Variables: BaseVariables };

export type WebVariables = BaseVariables & {
  user: CurrentUser | null;
  /** The session token hash of the current session, if any (for logout/rotation). */
  sessionKey: string | null;
  /** The reader's language (middleware/locale.ts): the member's setting, else Accept-Language, else English. */
  locale: Locale;
  /** A public page for a visitor without a session (middleware/edge-cache.ts): may be shared through the cache. */
  publicPage?: boolean;
};

/** The cookie-based web app (pages, forms, htmx fragments). */
export type WebEnv = { Bindings: Env; Variables: WebVariables };
