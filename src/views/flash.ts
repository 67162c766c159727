// One-shot flash messages carried across a redirect in a signed cookie, shown by the next full page.
import { encodeHexLowerCase } from "@oslojs/encoding";
import type { Context } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import type { WebEnv } from "../env";

export type FlashKind = "info" | "success" | "error";
export type Flash = { kind: FlashKind; text: string };

const COOKIE = "flash";
const pending = new WeakMap<Context, Flash[]>();

// Development without SECRET_KEY (e.g. `wrangler dev` without .dev.vars): a random key per isolate, made
// on first use (Workers forbid randomness at module load). Flashes in flight are lost when the isolate
// restarts, which is harmless. Outside development middleware/secret-key.ts refuses to run without a key,
// so no cookie is ever signed with a value anyone could know.
let developmentKey: string | undefined;

function secret(c: Context<WebEnv>): string {
  const config = c.get("config");
  if (config.secretKey) return config.secretKey;
  if (!config.isDevelopment) throw new Error("SECRET_KEY is not set");
  developmentKey ??= encodeHexLowerCase(crypto.getRandomValues(new Uint8Array(32)));
  return developmentKey;
}

/** Queue a message for the next page this browser renders. */
export async function flash(c: Context<WebEnv>, text: string, kind: FlashKind = "info"): Promise<void> {
  const list = pending.get(c) ?? [];
  list.push({ kind, text });
  pending.set(c, list);
  await setSignedCookie(c, COOKIE, JSON.stringify(list), secret(c), {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: new URL(c.req.url).protocol === "https:",
    maxAge: 60,
  });
}

/** Read and clear the messages waiting for this browser (called when a full page is rendered). */
export async function takeFlashes(c: Context<WebEnv>): Promise<Flash[]> {
  const own = pending.get(c);
  if (own) {
    // Set during this same request (a page rendered without redirect): show them now, drop the cookie.
    pending.delete(c);
    deleteCookie(c, COOKIE, { path: "/" });
    return own;
  }
  const raw = await getSignedCookie(c, secret(c), COOKIE);
  if (raw === undefined) return [];
  deleteCookie(c, COOKIE, { path: "/" });
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw);
    return Array.isArray(parsed)
      ? parsed.filter((f): f is Flash => typeof f?.text === "string" && ["info", "success", "error"].includes(f?.kind)).slice(0, 5)
      : [];
  } catch {
    return [];
  }
}
