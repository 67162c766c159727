// Avatars (issue 15): where a member's picture comes from, the default picture drawn from the username,
// and the byte check for uploads. A page shows, in this order: the member's uploaded picture, Gravatar
// if they opted in (it reveals the MD5 of their email, so only then), else the default SVG, which Roost
// serves itself (no third party, works offline).
import { encodeHexLowerCase } from "@oslojs/encoding";
import { parseHandle } from "./handles";
import { escapeHtml } from "./html";

export async function avatarHash(email: string): Promise<string> {
  // workerd implements MD5 in digest() for exactly this kind of legacy interop.
  const digest = await crypto.subtle.digest("MD5", new TextEncoder().encode(email.trim().toLowerCase()));
  return encodeHexLowerCase(new Uint8Array(digest));
}

export function gravatarUrl(hash: string, size = 100): string {
  return `https://secure.gravatar.com/avatar/${hash}?s=${size}&d=identicon&r=g`;
}

/**
 * What a query says about a member's picture (db/avatar-source.ts): "upload:<version>", "gravatar:<md5>",
 * or null for the default. The MD5 leaves the database only for members who opted in.
 */
export type AvatarOwner = { id: number; username: string; avatar: string | null };

/** The URL of `owner`'s avatar, at `size` CSS pixels (Gravatar gets 2× for sharp screens). */
export function avatarUrl(owner: AvatarOwner, size: number): string {
  const source = owner.avatar ?? "";
  if (source.startsWith("upload:")) return uploadedAvatarUrl(owner.id, source.slice("upload:".length));
  if (source.startsWith("gravatar:")) return gravatarUrl(source.slice("gravatar:".length), size * 2);
  return defaultAvatarUrl(owner.username);
}

/** The version in the query string busts caches: a new upload is a new URL. */
export const uploadedAvatarUrl = (userId: number, version: number | string) => `/avatars/${userId}?v=${version}`;
// Lower-cased: usernames are case-insensitive, so every spelling gets the same (cached) picture.
export const defaultAvatarUrl = (username: string) => `/avatars/${encodeURIComponent(username.toLowerCase())}.svg`;

// --- The default picture ----------------------------------------------------------------------------

/** FNV-1a: a small, stable hash, so a name gets the same colours everywhere and forever. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of new TextEncoder().encode(text)) {
    h ^= ch;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * A round-cornered square in a colour from the name with its first letter (the first two of a name with
 * a "." or "_", e.g. "john.doe" → "JD"). Contrast: white text on a 45 %-lightness colour is at least 4.5:1
 * for every hue we use (saturation is kept moderate for yellows and greens).
 */
export function defaultAvatarSvg(username: string): string {
  const name = username.toLowerCase();
  const h = fnv1a(name);
  const hue = h % 360;
  const [sat, light] = hue >= 40 && hue <= 200 ? [60, 32] : [55, 42];
  const first = (s = "") => [...s][0] ?? "";
  // A handle's letters come from its user (`@bob@mastodon.example` is B); the colour from the whole handle.
  const shown = name.startsWith("@") ? (parseHandle(name)?.user ?? name) : name;
  const [a, b] = shown.split(/[._]+/).filter(Boolean);
  const letters = (b ? first(a) + first(b) : first(shown) || "?").toUpperCase();
  const fontSize = letters.length > 1 ? 26 : 32;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64" role="img" aria-label="${escapeHtml(name)}">` +
    `<rect width="64" height="64" rx="12" fill="hsl(${hue} ${sat}% ${light}%)"/>` +
    `<text x="32" y="32" dy=".35em" text-anchor="middle" font-family="system-ui, sans-serif" font-size="${fontSize}" font-weight="600" fill="#fff">${escapeHtml(letters)}</text>` +
    "</svg>"
  );
}

// --- Uploads ----------------------------------------------------------------------------------------

export const AVATAR_MAX_BYTES = 1024 * 1024;
export const AVATAR_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
export type AvatarType = (typeof AVATAR_TYPES)[number];
export const isAvatarType = (t: string): t is AvatarType => AVATAR_TYPES.some((a) => a === t);

/**
 * The image type from the file's first bytes, or null: the declared type and the file name are the
 * sender's claim, the bytes are what a browser would render. GIF, SVG (script) and HTML are refused.
 */
export function sniffImageType(bytes: Uint8Array): AvatarType | null {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  // RIFF <size> WEBP
  if (bytes.length >= 12 && starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  return null;
}
