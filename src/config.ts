// Typed application settings read from env vars, with the defaults the app is designed around.
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export type Config = ReturnType<typeof getConfig>;

export function getConfig(env: Env) {
  const e = env as unknown as Record<string, string | undefined>;
  return {
    appName: e.APP_NAME || "Roost",
    environment: e.ENVIRONMENT || "production",
    isDevelopment: e.ENVIRONMENT === "development",
    baseUrl: (e.BASE_URL || "http://127.0.0.1:8787").replace(/\/+$/, ""),
    adminEmail: (e.ADMIN_EMAIL || "").trim().toLowerCase(),
    mailFrom: e.MAIL_FROM || "Roost <no-reply@roost.example>",
    mailApiUrl: e.MAIL_API_URL || "",
    mailApiKey: e.MAIL_API_KEY || "",
    secretKey: e.SECRET_KEY || "",
    /** Abuse limits on actions that write (exact, counted in D1); vars so tests and operators can tune them. */
    abuse: {
      registrationsPerIp: { max: positiveInt(e.RATE_REGISTRATIONS_PER_HOUR, 5), windowMs: HOUR },
      postsPerUser: { max: positiveInt(e.RATE_POSTS_PER_MINUTE, 5), windowMs: MINUTE },
      commentsPerUser: { max: positiveInt(e.RATE_COMMENTS_PER_MINUTE, 10), windowMs: MINUTE },
    },
  };
}

/** HMAC keys shorter than this are guessable or typos; outside development they stop the Worker. */
export const MIN_SECRET_KEY_BYTES = 32;

/** Why SECRET_KEY cannot be used outside development (for the log), or null when it is fine. */
export function secretKeyProblem(config: Config): string | null {
  if (config.isDevelopment || new TextEncoder().encode(config.secretKey).length >= MIN_SECRET_KEY_BYTES) return null;
  return `SECRET_KEY is ${config.secretKey ? "shorter than" : "missing; it must be at least"} ${MIN_SECRET_KEY_BYTES} bytes: every request answers 503 until it is set (wrangler secret put SECRET_KEY --env production, e.g. openssl rand -hex 32)`;
}

function positiveInt(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
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
