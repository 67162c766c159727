// Who the client is, as far as Cloudflare tells us: the connecting address (clients cannot set this header
// through Cloudflare). Used as the key of every per-client limit.

export function clientIp(headers: Headers): string {
  return headers.get("CF-Connecting-IP") ?? "unknown";
}
