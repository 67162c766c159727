// The client network that every per-IP limit counts against: the IPv4 address from CF-Connecting-IP, or
// the /64 of an IPv6 address. One IPv6 customer usually holds a whole /64 (often much more), so counting
// single IPv6 addresses would let one machine take 2^64 fresh allowances. IPv4-mapped IPv6
// (::ffff:1.2.3.4) is the IPv4 address it carries. Cloudflare sets the header and clients cannot forge it
// through Cloudflare; a missing or unreadable header (local tools, tests) is the network "unknown".
//
// @example clientNetwork(new Headers({ "CF-Connecting-IP": "2001:db8:1:2::9" })) // "2001:db8:1:2::/64"

export const UNKNOWN_NETWORK = "unknown";

/** The limit key for the request's client network (see the header comment). */
export function clientNetwork(headers: Headers): string {
  const raw = headers.get("CF-Connecting-IP")?.trim() ?? "";
  if (raw.includes(":")) {
    const groups = ipv6Groups(raw);
    if (!groups) return UNKNOWN_NETWORK;
    if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
      return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join(".");
    }
    return `${groups
      .slice(0, 4)
      .map((g) => g.toString(16))
      .join(":")}::/64`;
  }
  return ipv4Octets(raw) ? raw : UNKNOWN_NETWORK;
}

/** Four decimal octets without leading zeros (so one address has one spelling), or null. */
function ipv4Octets(s: string): number[] | null {
  const parts = s.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return null;
  return parts.map(Number);
}

/** The eight 16-bit groups of an IPv6 address (with at most one "::" and an optional dotted IPv4 tail), or null. */
function ipv6Groups(s: string): number[] | null {
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const parse = (half: string): number[] | null => {
    if (half === "") return [];
    const out: number[] = [];
    const parts = half.split(":");
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1 && part.includes(".")) {
        const v4 = ipv4Octets(part);
        if (!v4) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-f]{1,4}$/i.test(part)) {
        out.push(parseInt(part, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !tail) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  // "::" stands for at least one zero group.
  if (missing < 1) return null;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}
