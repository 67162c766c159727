// /tokens/: trade a password for a one-hour token, and revoke the token in use.
import { endpoint } from "../endpoint";
import { examples } from "../examples";
import { TokenBody } from "../schemas";
import { issueApiToken, revokeApiToken } from "../tokens";

export const tokenEndpoints = [
  endpoint("POST", "/tokens/", "createToken", "Tokens", {
    summary: "Get a token",
    description:
      "Authenticate with HTTP Basic and your email or username and password. A token cannot mint another token (401). " +
      "The token is valid for an hour, until you revoke it, or until your password changes. No request body is needed.",
    auth: "password",
    responses: { 200: { description: "A new token.", schema: TokenBody, example: (l) => examples(l).token } },
    handler: async (c, { user }) => c.json(await issueApiToken(c.get("db"), user.id)),
  }),
  endpoint("DELETE", "/tokens/", "revokeToken", "Tokens", {
    summary: "Revoke the token used for this request",
    description: "Authenticate with the token to revoke. Sending a password instead is a 400: there is no token to revoke.",
    auth: "token",
    errors: [400],
    responses: { 204: { description: "The token no longer works." } },
    handler: async (c, { auth }) => {
      if (auth.via === "token") await revokeApiToken(c.get("db"), auth.tokenHash);
      return c.body(null, 204);
    },
  }),
];
