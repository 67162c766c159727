// Fixtures for the goals and funnels tests: known visits, a site with three goals made through the form,
// and the report's goals panel read back as text.
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { DAY } from "../../src/config";
import type { VisitMessage } from "../../src/db/visit-fields";
import { decodeHtml, hexId, ownerWithSite, store, visit } from "./helpers";

const HOUR = 3_600_000;
const DE = { country: "DE", region: "Bavaria", city: "Munich" };
const FR = { country: "FR", region: "Île-de-France", city: "Paris" };

/**
 * Yesterday: visitor 1 (DE) reads /, /pricing, then signs up; visitor 2 (FR) reads /blog/a then /blog/b;
 * visitor 3 (DE) signs up first, then reads /pricing. Today: visitor 1 (DE, a new visitor id day) reads
 * /pricing and signs up.
 */
export function goalFixture(siteId: number): VisitMessage[] {
  const t = Date.now() - (Date.now() % DAY);
  const y = t - DAY;
  return [
    visit(siteId, { visitor: hexId(1), ts: y + 1 * HOUR, path: "/", ...DE }),
    visit(siteId, { visitor: hexId(1), ts: y + 2 * HOUR, path: "/pricing", ...DE }),
    visit(siteId, { visitor: hexId(1), ts: y + 3 * HOUR, path: "/pricing", event: "signup", ...DE }),
    visit(siteId, { visitor: hexId(2), ts: y + 1 * HOUR, path: "/blog/a", ...FR }),
    visit(siteId, { visitor: hexId(2), ts: y + 2 * HOUR, path: "/blog/b", ...FR }),
    visit(siteId, { visitor: hexId(3), ts: y + 1 * HOUR, path: "/", event: "signup", ...DE }),
    visit(siteId, { visitor: hexId(3), ts: y + 2 * HOUR, path: "/pricing", ...DE }),
    visit(siteId, { visitor: hexId(1), ts: t + 1000, path: "/pricing", ...DE }),
    visit(siteId, { visitor: hexId(1), ts: t + 2000, path: "/pricing", event: "signup", ...DE }),
  ];
}

export async function ownerWithGoals(prefix: string) {
  const { u, site } = await ownerWithSite(prefix);
  await store(goalFixture(site.id));
  for (const g of [
    { kind: "event", value: "signup" },
    { kind: "page", value: "/pricing" },
    { kind: "page", value: "/blog/*" },
  ]) {
    expect((await u.client.post(`/sites/${site.id}/goals`, g)).status).toBe(303);
  }
  return { u, site };
}

export const goalRows = async (siteId: number) =>
  (await env.DB.prepare("SELECT id, kind, value FROM site_goals WHERE site_id = ? ORDER BY id").bind(siteId).all<{ id: number; kind: string; value: string }>())
    .results;

/** The goals panel's rows as text: [label, visitors, conversions, rate]. */
export function goalTable(html: string): string[][] {
  const panel = /<section class="top-panel goals-panel"[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";
  return [...panel.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
    .map((m) => [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => decodeHtml(c[1]!.replace(/<[^>]+>/g, "").trim())))
    .filter((r) => r.length > 0);
}
