// Parses the Authorization header of an API request. Flasky's convention is kept: HTTP Basic with an
// email or username and password, or with a token as the username and an empty password; RFC 6750's
// `Bearer <token>` works too. No cookie is ever consulted.
import { decodeBase64 } from "@oslojs/encoding";

export type Credential =
  | { kind: "none" }
  | { kind: "malformed" }
  | { kind: "token"; token: string; scheme: "bearer" | "basic" }
  | { kind: "password"; identifier: string; password: string };

export const REALM = "Roost API";
export const BASIC_CHALLENGE = `Basic realm="${REALM}", charset="UTF-8"`;
export const bearerChallenge = (error?: "invalid_token") => `Bearer realm="${REALM}"${error ? `, error="${error}"` : ""}`;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export function parseAuthorization(header: string | undefined): Credential {
  if (!header) return { kind: "none" };
  const m = header.trim().match(/^([A-Za-z]+) +([^\s]+)$/);
  if (!m) return { kind: "malformed" };
  const scheme = m[1]!.toLowerCase();
  if (scheme === "bearer") return { kind: "token", token: m[2]!, scheme: "bearer" };
  if (scheme !== "basic") return { kind: "malformed" };
  let decoded: string;
  try {
    decoded = utf8.decode(decodeBase64(m[2]!));
  } catch {
    return { kind: "malformed" };
  }
  // RFC 7617: the user-id cannot contain ":", the password can.
  const colon = decoded.indexOf(":");
  if (colon <= 0) return { kind: "malformed" };
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (password === "") return { kind: "token", token: user, scheme: "basic" };
  return { kind: "password", identifier: user, password };
}
