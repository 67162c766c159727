// Fixtures for the analytics tests: sites made through the real form, visits built like the beacon builds
// them and stored through the consumer's own ingest (or written straight into D1), beacon requests, polling.
import { env, SELF } from "cloudflare:test";
import type { VisitMessage } from "../../src/db/visit-fields";
import type { Filter } from "../../src/features/sites/filters";
import { ingestVisits } from "../../src/features/sites/ingest";
import type { ReportQuery } from "../../src/features/sites/queries";
import { confirmedUser, insertUsers } from "../helpers/accounts";
import { type Client, ORIGIN } from "../helpers/client";

export const CHROME_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
export const IPHONE_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1";

let seq = 0;
/** A host no other test in this file uses. */
export function uniqueHost(prefix = "site"): string {
  seq += 1;
  return `${prefix}${seq}-${Math.random().toString(36).slice(2, 8)}.example`;
}

/** Adds a site through POST /sites; returns its id (from the redirect). */
export async function addSite(client: Client, baseUrl = `https://${uniqueHost()}`, name = "My site"): Promise<{ id: number; baseUrl: string }> {
  const res = await client.post("/sites", { name, base_url: baseUrl });
  if (res.status !== 303) throw new Error(`add site failed: ${res.status} ${await res.text()}`);
  const id = Number(/^\/sites\/(\d+)$/.exec(res.headers.get("Location") ?? "")?.[1]);
  if (!id) throw new Error(`no site id in ${res.headers.get("Location")}`);
  const row = await env.DB.prepare("SELECT base_url AS baseUrl FROM sites WHERE id = ?").bind(id).first<{ baseUrl: string }>();
  return { id, baseUrl: row!.baseUrl };
}

/** What the beacon derives from CHROME_UA and a Wellington, New Zealand connection. */
/** A confirmed member with one site named after `prefix` (on a host no other test uses). */
export async function ownerWithSite(prefix: string) {
  const u = await confirmedUser(prefix);
  const site = await addSite(u.client, `https://${uniqueHost(prefix)}`, `${prefix} site`);
  return { u, site };
}

export const CHROME_IN_WELLINGTON = { browser: "Chrome", os: "Windows", device: "desktop", country: "NZ", region: "Wellington", city: "Wellington" } as const;

let uidSeq = 0;
export function visit(siteId: number, overrides: Partial<VisitMessage> = {}): VisitMessage {
  uidSeq += 1;
  return {
    uid: `t${Date.now().toString(36)}${uidSeq}${Math.random().toString(36).slice(2, 10)}`,
    siteId,
    ts: Date.now(),
    path: "/",
    referrerHost: null,
    event: "pageview",
    ...CHROME_IN_WELLINGTON,
    latitude: -41.28,
    longitude: 174.77,
    visitor: "0123456789abcdef0123456789abcdef",
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    utmTerm: null,
    utmContent: null,
    props: null,
    ...overrides,
  };
}

export function hexId(n: number): string {
  return n.toString(16).padStart(32, "0");
}

export async function store(visits: VisitMessage[]): Promise<number> {
  let stored = 0;
  for (let i = 0; i < visits.length; i += 500) stored += await ingestVisits(env.DB, visits.slice(i, i + 500));
  return stored;
}

export function beacon(
  siteId: number | string,
  init: { method?: string; query?: Record<string, string>; body?: BodyInit; headers?: Record<string, string>; cf?: Record<string, unknown> } = {},
) {
  const url = new URL(`/sites/${siteId}/visit`, ORIGIN);
  for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
  return SELF.fetch(url.toString(), {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    body: init.body,
    headers: { "User-Agent": CHROME_UA, ...init.headers },
    redirect: "manual",
    ...(init.cf ? { cf: init.cf } : {}),
  } as RequestInit);
}

export async function visitRows(siteId: number) {
  const { results } = await env.DB.prepare("SELECT * FROM visits WHERE site_id = ? ORDER BY ts, id").bind(siteId).all<Record<string, unknown>>();
  return results;
}

/** Waits until the queue consumer has stored `n` visits for the site (it runs after a ~1 s batch timeout). */
export async function waitForVisits(siteId: number, n: number, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const rows = await visitRows(siteId);
    if (rows.length >= n || Date.now() > end) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function decodeHtml(s: string): string {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&");
}

/** A member and a site of theirs, inserted straight into D1: for tests that call the report's queries directly. */
export async function insertedSite(prefix: string): Promise<{ ownerId: number; siteId: number }> {
  const [owner] = await insertUsers(1, prefix);
  const site = await env.DB.prepare("INSERT INTO sites (user_id, name, base_url, created_at) VALUES (?, ?, ?, 0) RETURNING id")
    .bind(owner!.id, prefix, `https://${prefix}-${Math.random().toString(36).slice(2)}.example`)
    .first<{ id: number }>();
  return { ownerId: owner!.id, siteId: site!.id };
}

/** Numbers below `n` from a fixed seed (a linear congruential generator): the same fixture on every run. */
export function seededRandom(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
}

/** Thirty visitors, each keeping browser, OS, device and country (they come from the IP and user agent it hashes). */
export const PEOPLE = Array.from({ length: 30 }, (_, i) => ({
  visitor: hexId(9000 + i),
  browser: ["Firefox", "Chrome", "Safari"][i % 3]!,
  os: ["Linux", "Windows", "iOS", "macOS"][i % 4]!,
  device: ["desktop", "mobile"][i % 2]!,
  country: ["DE", "FR", null][i % 3] ?? null,
}));

/** A filter dimension's value on a hit, as the report sees it (a missing country is ""). */
export function dimOf(v: VisitMessage, dim: Filter["dim"]): string | null {
  const map = {
    page: v.path,
    referrer: v.referrerHost,
    country: v.country ?? "",
    region: v.region,
    city: v.city,
    browser: v.browser,
    os: v.os,
    device: v.device,
    event: v.event,
    utm_source: v.utmSource,
    utm_medium: v.utmMedium,
    utm_campaign: v.utmCampaign,
    utm_term: v.utmTerm,
    utm_content: v.utmContent,
  };
  return dim.startsWith("prop:") ? (JSON.parse(v.props ?? "{}")[dim.slice(5)] ?? null) : map[dim as keyof typeof map];
}

/** Whether a hit passes a filter, read in plain JS. */
export function matches(v: VisitMessage, f: Filter): boolean {
  const x = dimOf(v, f.dim);
  if (f.op === "is") return x === f.value;
  if (f.op === "is_not") return x !== f.value;
  return x?.includes(f.value) ?? false;
}

/** The report query of seven daily buckets from `from` (and the seven before), as the owner, for direct calls of reportRows. */
export function weekQuery(
  site: { siteId: number; ownerId: number },
  from: number,
  days: { dimsFrom: number; dimsTo: number; sessionsFrom: number; topN: number },
  filters: Filter[],
): ReportQuery {
  const DAY_MS = 86_400_000;
  const edges = Array.from({ length: 8 }, (_, i) => from + i * DAY_MS);
  const to = edges[7]!;
  return {
    siteId: site.siteId,
    access: { userId: site.ownerId },
    from,
    to,
    edges,
    previousEdges: edges.map((t) => t - 7 * DAY_MS),
    ...days,
    liveSince: to,
    page: { before: null, after: null, offset: 0 },
    perPage: 50,
    filters,
  };
}
