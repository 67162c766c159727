// Typed application settings: the Worker's env vars parsed once (per env object) with zod, with the defaults
// the app is designed around. Services receive this object; nothing else reads env vars.
import { z } from "zod";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A var that must be a positive integer, falling back when unset or malformed (vars are operator-typed strings). */
const positiveInt = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((raw) => {
      const n = Number(raw);
      return Number.isInteger(n) && n > 0 ? n : fallback;
    });

/** A var that must be an integer >= 0 (0 turns a feature off), falling back when unset or malformed. */
const nonNegativeInt = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((raw) => {
      const n = raw === undefined || raw.trim() === "" ? Number.NaN : Number(raw);
      return Number.isInteger(n) && n >= 0 ? n : fallback;
    });

/** An optional string var: "" counts as unset. */
const text = (fallback = "") =>
  z
    .string()
    .optional()
    .transform((v) => v || fallback);

const envSchema = z.object({
  APP_NAME: text("Roost"),
  ENVIRONMENT: text("production"),
  BASE_URL: text("http://127.0.0.1:8787").transform((v) => v.replace(/\/+$/, "")),
  ADMIN_EMAIL: text().transform((v) => v.trim().toLowerCase()),
  MAIL_FROM: text("Roost <no-reply@roost.example>"),
  MAIL_API_URL: text(),
  MAIL_API_KEY: text(),
  SOURCE_URL: text(),
  SECRET_KEY: text(),
  FEDERATION_ALLOW_PRIVATE_PEERS: text(),
  RATE_REGISTRATIONS_PER_HOUR: positiveInt(5),
  RATE_POSTS_PER_MINUTE: positiveInt(5),
  RATE_COMMENTS_PER_MINUTE: positiveInt(10),
  EDGE_CACHE_SECONDS: nonNegativeInt(30),
  EDGE_CACHE_STALE_SECONDS: nonNegativeInt(60),
  RATE_MESSAGES_PER_MINUTE: positiveInt(10),
  RATE_INBOX_PER_MINUTE: positiveInt(300),
});

function parseConfig(env: Env) {
  // Bindings (D1, KV, queues) sit beside the vars in env; the schema reads only the string vars it names.
  const e = envSchema.parse(env);
  return {
    appName: e.APP_NAME,
    environment: e.ENVIRONMENT,
    isDevelopment: e.ENVIRONMENT === "development",
    baseUrl: e.BASE_URL,
    adminEmail: e.ADMIN_EMAIL,
    mailFrom: e.MAIL_FROM,
    mailApiUrl: e.MAIL_API_URL,
    mailApiKey: e.MAIL_API_KEY,
    secretKey: e.SECRET_KEY,
    /** Where the footer's "Source" link points; unset, it points at the About page's section on the source. */
    sourceUrl: e.SOURCE_URL,
    /** Abuse limits on actions that write (exact, counted in D1); vars so tests and operators can tune them. */
    abuse: {
      registrationsPerIp: { max: e.RATE_REGISTRATIONS_PER_HOUR, windowMs: HOUR },
      postsPerUser: { max: e.RATE_POSTS_PER_MINUTE, windowMs: MINUTE },
      commentsPerUser: { max: e.RATE_COMMENTS_PER_MINUTE, windowMs: MINUTE },
      messagesPerUser: { max: e.RATE_MESSAGES_PER_MINUTE, windowMs: MINUTE },
      /** Activities one remote server may deliver to our inboxes per minute (features/federation/inbox-guard.ts). */
      inboxPerServer: { max: e.RATE_INBOX_PER_MINUTE, windowMs: MINUTE },
    },
    /**
     * Public pages for visitors without a session (middleware/edge-cache.ts): fresh for ttlMs (0 = no edge
     * cache), then served stale for staleMs while a refresh runs. Short, because a purge reaches only the
     * data centre that handled the change; other locations catch up within the TTL.
     */
    edgeCache: { ttlMs: e.EDGE_CACHE_SECONDS * 1000, staleMs: e.EDGE_CACHE_STALE_SECONDS * 1000 },
    /**
     * Federation may fetch from loopback and private addresses (two local instances federating, tests):
     * only in development and only when FEDERATION_ALLOW_PRIVATE_PEERS is "true". Elsewhere Fedify refuses
     * them (its public-URL check), whatever the var says.
     */
    federationAllowPrivatePeers: e.ENVIRONMENT === "development" && e.FEDERATION_ALLOW_PRIVATE_PEERS === "true",
  };
}

export type Config = ReturnType<typeof parseConfig>;

// The env object is the same for every request an isolate serves, so parsing happens once per isolate.
const parsed = new WeakMap<object, Config>();

export function getConfig(env: Env): Config {
  let config = parsed.get(env);
  if (!config) {
    config = parseConfig(env);
    parsed.set(env, config);
  }
  return config;
}

/** HMAC keys shorter than this are guessable or typos; outside development they stop the Worker. */
export const MIN_SECRET_KEY_BYTES = 32;

/** Why SECRET_KEY cannot be used outside development (for the log), or null when it is fine. */
export function secretKeyProblem(config: Config): string | null {
  if (config.isDevelopment || new TextEncoder().encode(config.secretKey).length >= MIN_SECRET_KEY_BYTES) return null;
  return `SECRET_KEY is ${config.secretKey ? "shorter than" : "missing; it must be at least"} ${MIN_SECRET_KEY_BYTES} bytes: every request answers 503 until it is set (wrangler secret put SECRET_KEY --env production, e.g. openssl rand -hex 32)`;
}

/** Lifetimes and limits. Constants rather than vars: changing them is a code change with tests. */
export const limits = {
  confirmTokenMs: HOUR,
  resetTokenMs: HOUR,
  changeEmailTokenMs: HOUR,
  /** The undo link mailed to the old address after an email change (issue 10). */
  undoEmailTokenMs: 7 * DAY,
  /** Accounts never confirmed are deleted by the daily purge after this long, freeing email and username. */
  unconfirmedAccountMs: 7 * DAY,
  sessionIdleMs: 7 * DAY,
  persistentCookieMs: 30 * DAY,
  /** Refresh a session's idle timer in KV at most this often (KV writes are not free). */
  sessionTouchMs: HOUR,
  lastSeenWriteMs: 5 * MINUTE,
  /**
   * Wrong passwords (login form, API Basic auth, and the re-checks on change password, change email and
   * account deletion), counted in three windows. Per account and network: a stranger locks out only their
   * own network. Per account: the ceiling on lock-out. Per network: one network spraying many accounts.
   */
  loginFailures: {
    accountNetwork: { max: 10, windowMs: 15 * MINUTE },
    account: { max: 100, windowMs: 15 * MINUTE },
    network: { max: 50, windowMs: 15 * MINUTE },
  },
  mailRequests: { max: 5, windowMs: 30 * MINUTE },
  mailTimeoutMs: 10_000,
} as const;
