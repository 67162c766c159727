// The reader's time zone for rendering times: Cloudflare's cf.timezone when present, else UTC.
import type { Context } from "hono";
import { safeTimeZone } from "../lib/time";

export function readerTimeZone(c: Context): string {
  // cf is absent off Cloudflare (local tools, tests), and typed loosely, so the value is checked.
  const tz = c.req.raw.cf?.timezone;
  return safeTimeZone(typeof tz === "string" ? tz : undefined);
}
