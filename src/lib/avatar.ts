// Gravatar support: the MD5 of the lower-cased email is cached on the user row (avatar_hash).
import { encodeHexLowerCase } from "@oslojs/encoding";

export async function avatarHash(email: string): Promise<string> {
  // workerd implements MD5 in digest() for exactly this kind of legacy interop.
  const digest = await crypto.subtle.digest("MD5", new TextEncoder().encode(email.trim().toLowerCase()));
  return encodeHexLowerCase(new Uint8Array(digest));
}

export function gravatarUrl(hash: string, size = 100): string {
  return `https://secure.gravatar.com/avatar/${hash}?s=${size}&d=identicon&r=g`;
}
