// Who is calling: the request-rate gate every /api/v1 request passes, and authentication per endpoint.
// Passwords go through the web login's own rules (auth service `login`: email or username, equal PBKDF2
// work for unknown accounts, the D1-counted failure windows with the same keys and the same client
// network, so the web and the API share one budget: 10 per account and network, 100 per account, 50 per
// network, per 15 minutes). Tokens are looked up by their SHA-256.
import type { MiddlewareHandler } from "hono";
import { getDb } from "../../db";
import { loadCurrentUser, touchLastSeen } from "../../db/current-user";
import type { CurrentUser } from "../../env";
import { clientNetwork } from "../../lib/client-network";
import { looksLikeToken, sha256Hex } from "../../lib/tokens";
import { login } from "../auth";
import type { ApiEnv } from "./context";
import { BASIC_CHALLENGE, bearerChallenge, parseAuthorization } from "./credentials";
import { ApiError } from "./errors";
import { overLimit } from "./rate-limit";
import { userForApiToken } from "./tokens";

/** password: Basic with a password only (minting tokens); token: a token only (revoking it); none: public. */
export type AuthMode = "any" | "password" | "token" | "none";

const challenges = (mode: AuthMode, bearerError?: "invalid_token") =>
  mode === "password" ? [BASIC_CHALLENGE] : [BASIC_CHALLENGE, bearerChallenge(bearerError)];

const unauthorized = (message: string, mode: AuthMode, bearerError?: "invalid_token") =>
  new ApiError(401, message, { "WWW-Authenticate": challenges(mode, bearerError) });

const tooMany = (seconds: number, message = "Too many requests. Retry after the number of seconds in Retry-After.") =>
  new ApiError(429, message, { "Retry-After": String(seconds) });

/**
 * Counts the request against its token (keyed by the token's hash: the raw token never leaves the
 * Worker) or, without a token, against the client's IP. Runs before routing and authentication, so a
 * flood costs neither D1 reads nor PBKDF2.
 */
export const rateLimit: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const credential = parseAuthorization(c.req.header("Authorization"));
  c.set("credential", credential);
  const retryAfter =
    credential.kind === "token" && looksLikeToken(credential.token)
      ? await overLimit(c.env, "token", sha256Hex(credential.token))
      : await overLimit(c.env, "ip", clientNetwork(c.req.raw.headers));
  if (retryAfter !== null) throw tooMany(retryAfter);
  await next();
};

const MAX_IDENTIFIER = 64;
const MAX_PASSWORD = 128;

export function authenticate(mode: AuthMode): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (mode === "none") return next();
    const credential = c.get("credential");
    const db = c.get("db");
    let user: CurrentUser | null;
    switch (credential.kind) {
      case "none":
        throw unauthorized("Authentication required: send HTTP Basic credentials (email or username and password) or a token.", mode);
      case "malformed":
        throw unauthorized("Invalid credentials", mode);
      case "token": {
        if (mode === "password") throw unauthorized("A token cannot be used to get a token: authenticate with your email or username and password.", mode);
        const tokenHash = looksLikeToken(credential.token) ? sha256Hex(credential.token) : null;
        user = tokenHash ? await userForApiToken(db, tokenHash) : null;
        if (!user || !tokenHash) {
          // Failed tokens also count against the IP, so cycling through made-up tokens is throttled too.
          const retryAfter = await overLimit(c.env, "ip", clientNetwork(c.req.raw.headers));
          if (retryAfter !== null) throw tooMany(retryAfter);
          throw unauthorized("Invalid or expired token", mode, "invalid_token");
        }
        c.set("apiAuth", { via: "token", tokenHash });
        break;
      }
      case "password": {
        if (mode === "token") {
          throw new ApiError(
            400,
            "This endpoint takes a token, not a password: Authorization: Bearer <token> (or Basic with the token as username and an empty password). POST /tokens/ gives you one; DELETE /tokens/ takes the token to revoke.",
          );
        }
        const { identifier, password } = credential;
        // The web login form's bounds: longer input cannot be an account's, and PBKDF2 over it is wasted work.
        if (identifier.trim().length > MAX_IDENTIFIER || password.length > MAX_PASSWORD) throw unauthorized("Invalid credentials", mode);
        const result = await login({ env: c.env, db, network: clientNetwork(c.req.raw.headers) }, identifier, password);
        if (!result.ok) {
          if (result.limited) throw tooMany(result.retryAfterSeconds, "Too many failed logins. Retry after the number of seconds in Retry-After.");
          throw unauthorized("Invalid credentials", mode);
        }
        user = await loadCurrentUser(db, result.user.id);
        if (!user) throw unauthorized("Invalid credentials", mode);
        c.set("apiAuth", { via: "password" });
        break;
      }
    }
    if (!user.confirmed) throw new ApiError(403, "Unconfirmed account");
    c.set("user", user);
    touchLastSeen(
      () => getDb(c.env.DB),
      user,
      (work) => c.executionCtx.waitUntil(work),
    );
    await next();
  };
}
