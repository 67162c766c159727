// The reader's time zone for rendering times: Cloudflare's cf.timezone when present, else UTC.
import type { Context } from "hono";
import { safeTimeZone } from "../lib/time";

export function readerTimeZone(c: Context): string {
  const cf = (c.req.raw as Request & { cf?: { timezone?: string } }).cf;
  return safeTimeZone(cf?.timezone);
}
