// Sharing a report: read-only links (valid, revoked, with a password right and wrong, someone else's or a
// guessed one), what a shared view shows and hides, the public page, and who may manage any of it
// (owner only, signed in, same-origin).
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DAY } from "../../src/config";
import { sha256Hex } from "../../src/lib/tokens";
import { confirmedUser, expectSentToLogin } from "../helpers/accounts";
import { Client, ORIGIN } from "../helpers/client";
import { addSite, decodeHtml, ownerWithSite, store, uniqueHost, visit } from "./helpers";

async function siteWithVisits(prefix: string) {
  const { u, site } = await ownerWithSite(prefix);
  // Two pageviews yesterday, from a page only this site has.
  const t = Date.now() - (Date.now() % DAY) - DAY + 3_600_000;
  await store([visit(site.id, { ts: t, path: `/only-${prefix}` }), visit(site.id, { ts: t + 1000, path: `/only-${prefix}` })]);
  return { u, site };
}

/** Creates a link through the form; returns its path (/share/<token>) as the page shows it once. */
async function createLink(client: Client, siteId: number, form: Record<string, string> = {}): Promise<string> {
  const res = await client.post(`/sites/${siteId}/shares`, form);
  expect(res.status).toBe(201);
  const html = await res.text();
  const url = /value="([^"]+\/share\/[a-z2-7]{32})"/.exec(html)?.[1];
  if (!url) throw new Error("no link on the page");
  return new URL(decodeHtml(url)).pathname;
}

const anonymous = () => new Client();
const shareRows = async (siteId: number) =>
  (
    await env.DB.prepare(
      "SELECT id, label, token_hash AS tokenHash, password_hash AS passwordHash, last_used_at AS lastUsedAt FROM site_shares WHERE site_id = ?",
    )
      .bind(siteId)
      .all<{
        id: number;
        label: string;
        tokenHash: string;
        passwordHash: string | null;
        lastUsedAt: number | null;
      }>()
  ).results;

describe("a read-only link", () => {
  it("shows the report to anyone, without the visits, settings, snippet or anything of the account", async () => {
    const { u, site } = await siteWithVisits("shview");
    const path = await createLink(u.client, site.id, { label: "For the board" });
    const rows = await shareRows(site.id);
    expect(rows).toHaveLength(1);
    // Only the token's hash is stored.
    expect(rows[0]!.tokenHash).toBe(sha256Hex(path.split("/").pop()!));
    expect(rows[0]!.lastUsedAt).toBeNull();

    const res = await anonymous().get(`${path}?period=7d`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
    const html = await res.text();
    expect(html).toMatch(/<dt>Pageviews<\/dt><dd>2<\/dd>/);
    expect(html).toContain("/only-shview");
    expect(html).toContain("Shared report (read only)");
    for (const hidden of ["visits-table", "visits.csv", "tracker.js", "Settings", "/rename", "/delete", "/sharing", "live-visitors", "Your sites"]) {
      expect(html, hidden).not.toContain(hidden);
    }
    // The period links stay on the link.
    expect(html).toContain(`href="${path}?period=30d"`);
    expect((await shareRows(site.id))[0]!.lastUsedAt).toBeGreaterThan(Date.now() - 60_000);

    // The owner's list shows it with its last use, and never the token again.
    const list = await (await u.client.get(`/sites/${site.id}/sharing`)).text();
    expect(list).toContain("For the board");
    expect(list).not.toContain("Never");
    expect(list).not.toContain(path);
  });

  it("is a 404 once revoked, as a guessed or malformed one is", async () => {
    const { u, site } = await siteWithVisits("shrevoke");
    const path = await createLink(u.client, site.id);
    expect((await anonymous().get(path)).status).toBe(200);
    const [row] = await shareRows(site.id);
    const res = await u.client.post(`/sites/${site.id}/shares/${row!.id}/revoke`);
    expect(res.status).toBe(303);
    expect(await shareRows(site.id)).toHaveLength(0);
    for (const p of [path, `/share/${"a".repeat(32)}`, "/share/not-a-token", `/share/${"A".repeat(32)}`]) {
      const r = await anonymous().get(p);
      expect(r.status, p).toBe(404);
      expect(decodeHtml(await r.text())).toContain("There is no such report");
    }
  });

  it("asks for its password first: wrong is a 401 that shows nothing, right opens this link only", async () => {
    const { u, site } = await siteWithVisits("shpass");
    const path = await createLink(u.client, site.id, { label: "Investors", password: "correct horse" });
    const other = await createLink(u.client, site.id, { label: "Other", password: "another secret" });
    const [row] = await shareRows(site.id);
    expect(row!.passwordHash).toMatch(/^pbkdf2_sha256\$100000\$/);

    const reader = anonymous();
    const locked = await reader.get(path);
    expect(locked.status).toBe(200);
    const lockedHtml = await locked.text();
    expect(lockedHtml).toContain("This report is protected");
    expect(lockedHtml).not.toContain("/only-shpass");

    const wrong = await reader.post(path, { password: "wrong horse" });
    expect(wrong.status).toBe(401);
    const wrongHtml = decodeHtml(await wrong.text());
    expect(wrongHtml).toContain("That password is not right.");
    expect(wrongHtml).not.toContain("/only-shpass");
    expect((await reader.post(path, { password: "" })).status).toBe(422);

    const right = await reader.post(path, { password: "correct horse" });
    expect(right.status).toBe(303);
    expect(right.headers.get("Location")).toBe(path);
    expect(right.headers.get("Set-Cookie")).toContain(`Path=${path}`);
    const opened = await reader.get(path);
    expect(await opened.text()).toContain("/only-shpass");
    // The same cookie does not open the other link, nor a forged one any link.
    expect(await (await reader.get(other)).text()).toContain("This report is protected");
    const forged = await anonymous().get(path, { Cookie: `share_unlock=${Date.now() + 1000}.${"0".repeat(64)}` });
    expect(await forged.text()).toContain("This report is protected");
    // Revoking it shuts the unlocked reader out too.
    await u.client.post(`/sites/${site.id}/shares/${row!.id}/revoke`);
    expect((await reader.get(path)).status).toBe(404);
  });

  it("stops password guessing after 10 tries per link and network", async () => {
    const { u, site } = await siteWithVisits("shguess");
    const path = await createLink(u.client, site.id, { password: "long enough" });
    const reader = anonymous();
    for (let i = 0; i < 10; i++) expect((await reader.post(path, { password: `guess ${i}` })).status).toBe(401);
    const limited = await reader.post(path, { password: "long enough" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBeTruthy();
  });

  it.each([
    [{ password: "short" }, "at least 8 characters"],
    [{ label: "x".repeat(81) }, "at most 80 characters"],
  ])("refuses %j with a 422 that says why, and stores nothing", async (form, message) => {
    const { u, site } = await siteWithVisits("shbad");
    const res = await u.client.post(`/sites/${site.id}/shares`, form);
    expect(res.status).toBe(422);
    expect(decodeHtml(await res.text())).toContain(message);
    expect(await shareRows(site.id)).toHaveLength(0);
  });
});

describe("filters on a shared view", () => {
  it.each([
    ["a read-only link", "link"],
    ["the public page", "public"],
  ])("%s filters the numbers, keeps its filter and period links on its own URL and refuses a bad filter with a 400", async (_name, kind) => {
    const { u, site } = await siteWithVisits(`shf${kind}`);
    // One more pageview yesterday, from another page: the filter must leave it out.
    await store([visit(site.id, { ts: Date.now() - (Date.now() % DAY) - DAY + 7_200_000, path: "/other" })]);
    let base = `/sites/${site.id}/public`;
    if (kind === "link") base = await createLink(u.client, site.id);
    else expect((await u.client.post(`/sites/${site.id}/public`, { public: "y" })).status).toBe(303);
    const reader = anonymous();
    const all = await (await reader.get(`${base}?period=7d`)).text();
    expect(all).toMatch(/<dt>Pageviews<\/dt><dd>3<\/dd>/);
    const res = await reader.get(`${base}?period=7d&f=page:is:/only-shf${kind}`);
    expect(res.status).toBe(200);
    const html = decodeHtml(await res.text());
    expect(html).toMatch(/<dt>Pageviews<\/dt><dd>2<\/dd>/);
    // Chips, period links, the add-filter form and the comparison toggle all stay on the shared URL.
    expect(html).toContain(`href="${base}?period=7d"`); // remove the filter
    expect(html).toContain(`href="${base}?period=30d&f=${encodeURIComponent(`page:is:/only-shf${kind}`)}"`);
    expect(html).toContain(`action="${base}" class="filter-add"`);
    expect(html).not.toContain(`href="/sites/${site.id}?`);
    expect(html).not.toContain("visits-table");
    const bad = await reader.get(`${base}?period=7d&f=colour:is:red`);
    expect(bad.status).toBe(400);
  });
});

describe("managing links", () => {
  it("is the owner's alone: another member can neither list, create nor revoke them", async () => {
    const { u, site } = await siteWithVisits("shown");
    await createLink(u.client, site.id, { label: "Mine" });
    const [row] = await shareRows(site.id);
    const other = await confirmedUser("shother");
    const theirs = await addSite(other.client, `https://${uniqueHost("shother")}`, "Theirs");
    expect((await other.client.get(`/sites/${site.id}/sharing`)).status).toBe(404);
    expect((await other.client.post(`/sites/${site.id}/shares`, { label: "Sneaky" })).status).toBe(404);
    expect((await other.client.post(`/sites/${site.id}/shares/${row!.id}/revoke`)).status).toBe(404);
    // Their own site's id with my link's id: still not theirs.
    expect((await other.client.post(`/sites/${theirs.id}/shares/${row!.id}/revoke`)).status).toBe(404);
    expect((await other.client.post(`/sites/${site.id}/public`, { public: "y" })).status).toBe(404);
    expect((await shareRows(site.id)).map((r) => r.label)).toEqual(["Mine"]);
    expect((await shareRows(theirs.id)).length).toBe(0);
  });

  it("needs a session: anonymous requests go to the login page and change nothing", async () => {
    const { u, site } = await siteWithVisits("shanon");
    await createLink(u.client, site.id);
    const [row] = await shareRows(site.id);
    const anon = anonymous();
    expectSentToLogin(await anon.get(`/sites/${site.id}/sharing`));
    expectSentToLogin(await anon.post(`/sites/${site.id}/shares`, { label: "x" }));
    expectSentToLogin(await anon.post(`/sites/${site.id}/shares/${row!.id}/revoke`));
    expectSentToLogin(await anon.post(`/sites/${site.id}/public`, { public: "y" }));
    expect(await shareRows(site.id)).toHaveLength(1);
  });

  it("refuses cross-site form posts (CSRF) with a 403", async () => {
    const { u, site } = await siteWithVisits("shcsrf");
    await createLink(u.client, site.id);
    const [row] = await shareRows(site.id);
    const evil = { Origin: "https://evil.example" };
    expect((await u.client.post(`/sites/${site.id}/shares`, { label: "x" }, evil)).status).toBe(403);
    expect((await u.client.post(`/sites/${site.id}/shares/${row!.id}/revoke`, {}, evil)).status).toBe(403);
    expect((await u.client.post(`/sites/${site.id}/public`, { public: "y" }, evil)).status).toBe(403);
    expect(await shareRows(site.id)).toHaveLength(1);
    const pub = await env.DB.prepare("SELECT is_public AS p FROM sites WHERE id = ?").bind(site.id).first<{ p: number }>();
    expect(pub!.p).toBe(0);
  });
});

describe("the public page", () => {
  it("is a 404 until the owner makes the report public, and again once private", async () => {
    const { u, site } = await siteWithVisits("shpublic");
    const url = `${ORIGIN}/sites/${site.id}/public`;
    expect((await SELF.fetch(url)).status).toBe(404);
    expect((await u.client.post(`/sites/${site.id}/public`, { public: "y" })).status).toBe(303);
    const res = await SELF.fetch(`${url}?period=30d`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("/only-shpublic");
    expect(html).not.toContain("visits-table");
    expect(html).toContain(`href="/sites/${site.id}/public?period=7d"`);
    const list = await (await u.client.get(`/sites/${site.id}/sharing`)).text();
    expect(list).toContain("Anyone can read the report");
    expect((await u.client.post(`/sites/${site.id}/public`, { public: "" })).status).toBe(303);
    expect((await SELF.fetch(url)).status).toBe(404);
    // A bad period on the public page is the picker's 400, not a 500.
    await u.client.post(`/sites/${site.id}/public`, { public: "y" });
    expect((await SELF.fetch(`${url}?from=nope&to=2026-01-01`)).status).toBe(400);
    expect((await u.client.post(`/sites/${site.id}/public`, { public: "maybe" })).status).toBe(400);
  });
});
