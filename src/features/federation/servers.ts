// Remote servers (issue 13): the Administrator's block list and the servers Roost has heard from.
// A block names a host and covers its subdomains (blocking example.com blocks a.example.com): a host is blocked
// when it or any parent domain is on the list, one indexed lookup per candidate in one statement. IP addresses
// match only themselves. Hosts are stored lower-case, without port, IDNs in their ASCII (punycode) form.
import { type AnyColumn, desc, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { blockedServers, knownServers, remoteActors, remoteFollowers } from "../../db/schema";

/** Longest reason an Administrator may note for a block. */
export const MAX_BLOCK_REASON = 500;

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * The host an Administrator typed (a bare host, or a URL or handle pasted from elsewhere), normalized; null
 * when it is not a public-looking host name (at least two labels, a non-numeric top level) or an IP address.
 *
 * @example normalizeHost("https://Mastodon.Example/@bob") // "mastodon.example"
 */
export function normalizeHost(input: string): string | null {
  let text = input.trim().toLowerCase();
  // "@bob@mastodon.example" or "bob@mastodon.example": the server is after the last "@".
  if (!text.includes("://") && text.includes("@")) text = text.slice(text.lastIndexOf("@") + 1);
  if (!text || /\s/.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text.includes("://") ? text : `https://${text}`);
  } catch {
    return null;
  }
  if (url.username || url.password) return null;
  const host = url.hostname.replace(/\.$/, "");
  if (host.length > 253) return null;
  if (IPV4.test(host) || /^\[[0-9a-f:.]+\]$/.test(host)) return host;
  const labels = host.split(".");
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1] ?? "")) return null;
  return host;
}

/** The host and each of its parent domains (a block on any of them covers it); an IP address only itself. */
export function hostCandidates(host: string): string[] {
  const h = host.toLowerCase().replace(/\.$/, "");
  if (IPV4.test(h) || h.startsWith("[")) return [h];
  const labels = h.split(".");
  return labels.slice(0, -1).map((_, i) => labels.slice(i).join("."));
}

/** The hostname of a URL (no port), lower-case; null when it is not an absolute URL. */
export function hostOf(url: string | URL): string | null {
  try {
    return new URL(url).hostname.toLowerCase() || null;
  } catch {
    return null;
  }
}

/** D1 takes at most 100 bound parameters a statement; no real host name has this many labels. */
const MAX_CANDIDATES = 90;

/**
 * SQL: 1 when any of these hosts is blocked (directly or through a parent domain), else 0; for a statement
 * that asks more in the same round trip. Null when there is no host to check.
 */
export function blockedHostsExist(hosts: string[]): SQL | null {
  const candidates = [...new Set(hosts.flatMap(hostCandidates))].slice(-MAX_CANDIDATES);
  if (!candidates.length) return null;
  return sql`EXISTS (SELECT 1 FROM blocked_servers WHERE host IN (${sql.join(
    candidates.map((h) => sql`${h}`),
    sql`, `,
  )}))`;
}

/** Whether any of these hosts is blocked (directly or through a parent domain): one statement. */
export async function anyBlockedHost(db: Db, hosts: string[]): Promise<boolean> {
  const exists = blockedHostsExist(hosts);
  if (!exists) return false;
  const rows = await db.all<{ blocked: number }>(sql`SELECT ${exists} AS blocked`);
  return rows[0]?.blocked === 1;
}

/**
 * Whether Roost refuses to talk to `host`: nothing from it is accepted, nothing is fetched from or delivered
 * to it. The delivery code asks this before each remote inbox.
 *
 * @example if (await isBlockedHost(db, new URL(inbox).hostname)) return; // drop the delivery
 */
export const isBlockedHost = (db: Db, host: string) => anyBlockedHost(db, [host]);

export type BlockedServer = { host: string; reason: string | null; createdAt: number };
export type KnownServer = { host: string; firstSeen: number; lastSeen: number; activities: number };

export function listBlockedServers(db: Db): Promise<BlockedServer[]> {
  return db.select().from(blockedServers).orderBy(blockedServers.host);
}

/** The servers whose signed activities the inbox accepted, most recently heard from first. */
export function listKnownServers(db: Db, limit = 200): Promise<KnownServer[]> {
  return db.select().from(knownServers).orderBy(desc(knownServers.lastSeen)).limit(limit);
}

/**
 * SQL: the URL host in `column` (a `host[:port]`, as `remote_actors.host` stores it) is `blocked` or one of its
 * subdomains (what a block covers). `blocked` is a host name, a column or an expression.
 */
export const hostUnder = (column: AnyColumn | SQL, blocked: string | AnyColumn | SQL) =>
  sql`(${column} = ${blocked} OR ${column} LIKE '%.' || ${blocked} OR ${column} LIKE ${blocked} || ':%' OR ${column} LIKE '%.' || ${blocked} || ':%')`;

/** SQL: no blocked server covers the URL host in `column` (one look at the short block list per row). */
export const notBlocked = (column: AnyColumn | SQL) => sql`NOT EXISTS (SELECT 1 FROM blocked_servers b WHERE ${hostUnder(column, sql`b.host`)})`;

/**
 * Adds a block and, in the same batch, removes what Roost stored from that server and its subdomains: its
 * remote actors, and with them (cascade) their follows of our members. Null when the host is already on the
 * list (the first block and its reason stand); else how many remote followers went.
 */
export async function blockServer(db: Db, host: string, reason: string | null, now = Date.now()): Promise<{ followersRemoved: number } | null> {
  const [followers, added] = await db.batch([
    db
      .select({ n: sql<number>`count(*)` })
      .from(remoteFollowers)
      .innerJoin(remoteActors, sql`${remoteActors.id} = ${remoteFollowers.remoteActorId}`)
      .where(hostUnder(remoteActors.host, host)),
    db.insert(blockedServers).values({ host, reason, createdAt: now }).onConflictDoNothing().returning({ host: blockedServers.host }),
    db.delete(remoteActors).where(hostUnder(remoteActors.host, host)),
  ]);
  return added.length > 0 ? { followersRemoved: followers[0]?.n ?? 0 } : null;
}

/** Lifts a block; false when the host was not on the list. */
export async function unblockServer(db: Db, host: string): Promise<boolean> {
  const removed = await db.delete(blockedServers).where(sql`${blockedServers.host} = ${host}`).returning({ host: blockedServers.host });
  return removed.length > 0;
}

/** Counts an activity the inbox accepted from `host`: first seen once, last seen and the count every time. */
export async function recordActivityFrom(db: Db, host: string, now = Date.now()): Promise<void> {
  await db
    .insert(knownServers)
    .values({ host, firstSeen: now, lastSeen: now, activities: 1 })
    .onConflictDoUpdate({ target: knownServers.host, set: { lastSeen: now, activities: sql`${knownServers.activities} + 1` } });
}
