// Funnels: 2 to 8 goals in order within a visitor's day. The owner's forms (every bad input, someone else's
// site or goal, no session, CSRF), removing a goal removes its funnels, and the report's step counts and
// drop-offs on known visits, filtered, and on the public page.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { funnelResults, type Goal } from "../../src/features/sites/goals";
import { confirmedUser, expectSentToLogin } from "../helpers/accounts";
import { Client, ORIGIN } from "../helpers/client";
import { goalRows, ownerWithGoals } from "./goal-fixtures";
import { decodeHtml } from "./helpers";

const funnelRows = async (siteId: number) =>
  (
    await env.DB.prepare("SELECT id, name, steps FROM site_funnels WHERE site_id = ? ORDER BY id")
      .bind(siteId)
      .all<{ id: number; name: string; steps: string }>()
  ).results;

/** A site with the three goals (signup, /pricing, /blog/*) and their ids by value. */
async function siteWithGoals(prefix: string) {
  const { u, site } = await ownerWithGoals(prefix);
  const ids = Object.fromEntries((await goalRows(site.id)).map((g) => [g.value, String(g.id)]));
  return { u, site, ids };
}

/** A funnel's table on the report as text rows: [step, visitors, drop-off, drop-off %]. */
function funnelTable(html: string, name: string): string[][] {
  const section = new RegExp(`<section class="top-panel funnel" aria-label="Funnel ${name}">[\\s\\S]*?</section>`).exec(html)?.[0] ?? "";
  return [...section.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
    .map((m) => [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => decodeHtml(c[1]!.replace(/<[^>]+>/g, "").trim())))
    .filter((r) => r.length > 0);
}

describe("the report's funnels", () => {
  it("counts visitors per step in order within their day, with the drop-off", async () => {
    const { u, site, ids } = await siteWithGoals("funnum");
    expect((await u.client.post(`/sites/${site.id}/funnels`, { name: "Pricing to signup", step1: ids["/pricing"]!, step2: ids.signup! })).status).toBe(303);
    // The same goal twice: a second blog page after the first.
    expect((await u.client.post(`/sites/${site.id}/funnels`, { name: "Two posts", step1: ids["/blog/*"]!, step2: ids["/blog/*"]! })).status).toBe(303);
    const html = await (await u.client.get(`/sites/${site.id}?period=7d`)).text();
    // Visitor 1 (both days) priced then signed up; visitor 3 signed up before pricing, so stops at step 1.
    expect(funnelTable(html, "Pricing to signup")).toEqual([
      ["1. Page /pricing", "3", "–", "–"],
      ["2. Event signup", "2", "1", "33.3%"],
    ]);
    expect(funnelTable(html, "Two posts")).toEqual([
      ["1. Page /blog/*", "1", "–", "–"],
      ["2. Page /blog/*", "1", "0", "0%"],
    ]);
    const filtered = await (await u.client.get(`/sites/${site.id}?period=7d&f=country:is:FR`)).text();
    expect(funnelTable(filtered, "Pricing to signup")).toEqual([
      ["1. Page /pricing", "0", "–", "–"],
      ["2. Event signup", "0", "0", "–"],
    ]);
    expect(funnelTable(filtered, "Two posts")[0]).toEqual(["1. Page /blog/*", "1", "–", "–"]);
  });

  it("shows funnels read-only on the public page", async () => {
    const { u, site, ids } = await siteWithGoals("funpublic");
    await u.client.post(`/sites/${site.id}/funnels`, { name: "Buy", step1: ids["/pricing"]!, step2: ids.signup! });
    await u.client.post(`/sites/${site.id}/public`, { public: "y" });
    const html = await (await SELF.fetch(`${ORIGIN}/sites/${site.id}/public?period=7d`)).text();
    expect(funnelTable(html, "Buy")[1]).toEqual(["2. Event signup", "2", "1", "33.3%"]);
    expect(html).not.toContain(`/sites/${site.id}/funnels`);
  });

  it("walks steps greedily: the earliest conversion at or after the previous step", () => {
    const goals: Goal[] = [
      { id: 1, kind: "page", value: "/a" },
      { id: 2, kind: "event", value: "b" },
      { id: 3, kind: "page", value: "/c" },
    ];
    const funnel = [{ id: 9, name: "F", steps: "[1,2,3,1]" }];
    const hits = [
      // Reaches all four: /a at 1, b at 5, /c at 6, /a again at 7.
      { goal: 1, who: "d:v1", times: "7,1" },
      { goal: 2, who: "d:v1", times: "5" },
      { goal: 3, who: "d:v1", times: "6" },
      // b before /a: only step 1.
      { goal: 1, who: "d:v2", times: "10" },
      { goal: 2, who: "d:v2", times: "3" },
      // /a and b in the same millisecond count (different goals).
      { goal: 1, who: "d:v3", times: "4" },
      { goal: 2, who: "d:v3", times: "4" },
    ];
    expect(funnelResults(funnel, goals, hits)[0]!.steps.map((s) => s.visitors)).toEqual([3, 2, 1, 1]);
  });
});

describe("managing funnels", () => {
  it.each([
    [{ name: "", step1: "A", step2: "B" }, "Enter a name for the funnel."],
    [{ name: "x".repeat(81), step1: "A", step2: "B" }, "at most 80 characters"],
    [{ name: "One step", step1: "A" }, "Choose at least 2 steps."],
    [{ name: "No steps" }, "Choose at least 2 steps."],
    [{ name: "Nine", step1: "A", step2: "B", step9: "A" }, "A funnel has at most 8 steps."],
    [{ name: "Words", step1: "A", step2: "pricing" }, "Choose each step from your goals."],
    [{ name: "Unknown", step1: "A", step2: "999999" }, "Each step must be one of this site's goals."],
  ])("refuses %j with a 422 and its reason, storing nothing", async (form, message) => {
    const { u, site, ids } = await siteWithGoals("funbad");
    const body = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v === "A" ? ids.signup! : v === "B" ? ids["/pricing"]! : v]));
    const res = await u.client.post(`/sites/${site.id}/funnels`, body);
    expect(res.status).toBe(422);
    expect(decodeHtml(await res.text())).toContain(message);
    expect(await funnelRows(site.id)).toEqual([]);
  });

  it("stores up to 8 steps in order (gaps skipped), refuses a duplicate name whatever its case", async () => {
    const { u, site, ids } = await siteWithGoals("funok");
    const steps = { step1: ids["/pricing"]!, step3: ids.signup!, step8: ids["/pricing"]! };
    expect((await u.client.post(`/sites/${site.id}/funnels`, { name: "Checkout", ...steps })).status).toBe(303);
    expect((await funnelRows(site.id)).map((f) => [f.name, JSON.parse(f.steps)])).toEqual([
      ["Checkout", [Number(ids["/pricing"]), Number(ids.signup), Number(ids["/pricing"])]],
    ]);
    const dup = await u.client.post(`/sites/${site.id}/funnels`, { name: "checkout", ...steps });
    expect(dup.status).toBe(422);
    expect(await dup.text()).toContain("already has a funnel with that name");
    expect(await funnelRows(site.id)).toHaveLength(1);
    const page = decodeHtml(await (await u.client.get(`/sites/${site.id}/goals`)).text());
    expect(page).toContain("Page /pricing → Event signup → Page /pricing");
  });

  it("refuses another site's goal as a step", async () => {
    const { u, site, ids } = await siteWithGoals("funforeign");
    const other = await siteWithGoals("funforeign2");
    const res = await u.client.post(`/sites/${site.id}/funnels`, { name: "Mixed", step1: ids.signup!, step2: other.ids.signup! });
    expect(res.status).toBe(422);
    expect(await funnelRows(site.id)).toEqual([]);
  });

  it("removes a funnel; removing a goal removes the funnels that use it and no others", async () => {
    const { u, site, ids } = await siteWithGoals("fundel");
    await u.client.post(`/sites/${site.id}/funnels`, { name: "Uses blog", step1: ids["/blog/*"]!, step2: ids.signup! });
    await u.client.post(`/sites/${site.id}/funnels`, { name: "No blog", step1: ids["/pricing"]!, step2: ids.signup! });
    await u.client.post(`/sites/${site.id}/funnels`, { name: "Gone", step1: ids["/pricing"]!, step2: ids["/pricing"]! });
    expect((await u.client.post(`/sites/${site.id}/goals/${ids["/blog/*"]}/delete`)).status).toBe(303);
    expect((await funnelRows(site.id)).map((f) => f.name)).toEqual(["No blog", "Gone"]);
    const gone = (await funnelRows(site.id))[1]!;
    expect((await u.client.post(`/sites/${site.id}/funnels/${gone.id}/delete`)).status).toBe(303);
    expect((await funnelRows(site.id)).map((f) => f.name)).toEqual(["No blog"]);
  });

  it("is the owner's only (404 for another member, login for anonymous) and refuses cross-site posts", async () => {
    const { u, site, ids } = await siteWithGoals("funowner");
    await u.client.post(`/sites/${site.id}/funnels`, { name: "Mine", step1: ids["/pricing"]!, step2: ids.signup! });
    const [funnel] = await funnelRows(site.id);
    const other = await confirmedUser("funother");
    const form = { name: "Theirs", step1: ids["/pricing"]!, step2: ids.signup! };
    expect((await other.client.post(`/sites/${site.id}/funnels`, form)).status).toBe(404);
    expect((await other.client.post(`/sites/${site.id}/funnels/${funnel!.id}/delete`)).status).toBe(404);
    expectSentToLogin(await new Client().post(`/sites/${site.id}/funnels`, form));
    expectSentToLogin(await new Client().post(`/sites/${site.id}/funnels/${funnel!.id}/delete`));
    const evil = { Origin: "https://evil.example" };
    expect((await u.client.post(`/sites/${site.id}/funnels`, form, evil)).status).toBe(403);
    expect((await u.client.post(`/sites/${site.id}/funnels/${funnel!.id}/delete`, {}, evil)).status).toBe(403);
    expect((await funnelRows(site.id)).map((f) => f.name)).toEqual(["Mine"]);
  });
});
