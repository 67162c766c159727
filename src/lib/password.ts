// Password hashing: PBKDF2-HMAC-SHA256 through WebCrypto, stored as
// `pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>` so the scheme and cost can be upgraded later.

import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { decodeBase64, encodeBase64 } from "@oslojs/encoding";

/** Production Workers reject PBKDF2 above 100,000 iterations (local workerd does not): never raise this. */
export const PBKDF2_ITERATIONS = 100_000;
export const PBKDF2_MAX_ITERATIONS = 100_000;
const SCHEME = "pbkdf2_sha256";
const SALT_BYTES = 16;
const HASH_BYTES = 32;

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password.normalize("NFKC")), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, HASH_BYTES * 8);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  if (iterations > PBKDF2_MAX_ITERATIONS) throw new Error("PBKDF2 iteration count exceeds what Workers allow");
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, iterations);
  return `${SCHEME}$${iterations}$${encodeBase64(salt)}$${encodeBase64(hash)}`;
}

export type PasswordCheck = { ok: boolean; needsRehash: boolean };

export async function verifyPassword(password: string, stored: string): Promise<PasswordCheck> {
  const parts = stored.split("$");
  if (parts.length !== 4 || parts[0] !== SCHEME) return { ok: false, needsRehash: false };
  const iterations = Number(parts[1]);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_MAX_ITERATIONS) {
    return { ok: false, needsRehash: false };
  }
  let salt: Uint8Array;
  let expected: Uint8Array;
  try {
    salt = decodeBase64(parts[2]!);
    expected = decodeBase64(parts[3]!);
  } catch {
    return { ok: false, needsRehash: false };
  }
  const actual = await derive(password, salt, iterations);
  const ok = actual.length === expected.length && constantTimeEqual(actual, expected);
  return { ok, needsRehash: ok && iterations !== PBKDF2_ITERATIONS };
}

let dummyHash: Promise<string> | null = null;
/**
 * Burns the same PBKDF2 work as a real check, for logins naming an account that does not exist,
 * so response time does not reveal which accounts exist.
 */
export async function verifyAgainstDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword("dummy-password-for-timing");
  await verifyPassword(password, await dummyHash);
}
