// Fixtures for the analytics tests: sites made through the real form, visits built like the beacon builds
// them and stored through the consumer's own ingest (or written straight into D1), beacon requests, polling.
import { env, SELF } from "cloudflare:test";
import type { VisitMessage } from "../../src/db/visit-fields";
import { ingestVisits } from "../../src/features/sites/ingest";
import { confirmedUser } from "../helpers/accounts";
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
