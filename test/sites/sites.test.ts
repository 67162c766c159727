// Sites pages: add (every kind of bad input), list, rename, delete with confirmation and cascade, and who may
// see what — the owner only; another member gets 404 for every site route, an anonymous visitor is sent to log
// in before any lookup (so existing and missing ids answer alike).
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { confirmedUser, unconfirmedUser } from "../helpers/accounts";
import { Client, ORIGIN } from "../helpers/client";
import { HX } from "../helpers/http";
import { addSite, decodeHtml, store, uniqueHost, visit } from "./helpers";

const siteCount = async (userId: number) => (await env.DB.prepare("SELECT count(*) AS n FROM sites WHERE user_id = ?").bind(userId).first<{ n: number }>())!.n;

describe("adding a site", () => {
  it("lists the new site and shows its snippet with absolute URLs from BASE_URL (never the Host header)", async () => {
    const u = await confirmedUser("adder");
    const res = await u.client.post("/sites", { name: "  My   Blog ", base_url: "HTTPS://Blog.Example.ORG/Posts/" });
    expect(res.status).toBe(303);
    const id = Number(res.headers.get("Location")!.split("/").pop());
    const page = await u.client.get(`/sites/${id}`, { Host: "evil.example" });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("Site added.");
    expect(html).toContain("<h1>My Blog</h1>");
    // Hosts are case-insensitive and lower-cased; paths are not.
    expect(html).toContain("https://blog.example.org/Posts");
    const snippet = decodeHtml(/<pre><code id="snippet-code">([\s\S]*?)<\/code><\/pre>/.exec(html)![1]!);
    expect(snippet).toBe(
      `<script defer src="http://127.0.0.1:8787/tracker.js" data-site="${id}"></script>\n` +
        `<noscript><img src="http://127.0.0.1:8787/sites/${id}/visit" alt="" width="1" height="1" referrerpolicy="no-referrer-when-downgrade"></noscript>`,
    );
    expect(html).not.toContain("evil.example");
    const list = await (await u.client.get("/sites")).text();
    expect(list).toContain(`<a href="/sites/${id}">My Blog</a>`);
    // The nav marks the section you are in (issue 15 design system).
    expect(list).toContain('<a href="/sites" aria-current="page">Sites</a>');
  });

  it("re-shows the form with a message for each bad input (422), and adds nothing", async () => {
    const u = await confirmedUser("badsite");
    const long = `https://${"a".repeat(190)}.example`;
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ name: "", base_url: "https://ok.example" }, "name", /Enter a name/],
      [{ name: "   ", base_url: "https://ok.example" }, "name", /Enter a name/],
      [{ name: "n".repeat(81), base_url: "https://ok.example" }, "name", /at most 80/],
      [{ name: "Site", base_url: "" }, "base_url", /Enter the site/],
      [{ name: "Site" }, "base_url", /Enter the site/],
      [{ base_url: "https://ok.example" }, "name", /Enter a name/],
      [{ name: "Site", base_url: long }, "base_url", /at most 200/],
      [{ name: "Site", base_url: "example.com" }, "base_url", /starting with https:\/\//],
      [{ name: "Site", base_url: "ftp://example.com" }, "base_url", /Only http:\/\/ and https:\/\//],
      [{ name: "Site", base_url: "javascript:alert(1)" }, "base_url", /Only http:\/\/ and https:\/\//],
      [{ name: "Site", base_url: "https://example.com/?page=1" }, "base_url", /query/],
      [{ name: "Site", base_url: "https://example.com/#x" }, "base_url", /fragment/],
      [{ name: "Site", base_url: "https://me:secret@example.com" }, "base_url", /user name or password/],
    ];
    for (const [form, field, message] of cases) {
      const res = await u.client.post("/sites", form);
      expect(res.status, JSON.stringify(form)).toBe(422);
      const html = decodeHtml(await res.text());
      expect(html, JSON.stringify(form)).toMatch(new RegExp(`id="add-site-${field}-error"[^>]*>[^<]*${message.source}`));
    }
    expect(await siteCount(u.id)).toBe(0);
  });

  it("treats a file upload (a wrong type) as an empty field", async () => {
    const u = await confirmedUser("multipart");
    const form = new FormData();
    form.set("name", new File(["x"], "name.txt"));
    form.set("base_url", "https://file.example");
    const res = await u.client.fetch("/sites", { method: "POST", body: form, headers: { Origin: ORIGIN } });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Enter a name for the site.");
  });

  it("answers htmx with just the form fragment", async () => {
    const u = await confirmedUser("hxsite");
    const res = await u.client.post("/sites", { name: "", base_url: "" }, HX);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html.startsWith('<form id="add-site-form"')).toBe(true);
    expect(html).not.toContain("<html");
  });

  it("refuses a base URL the member already has (also when written differently), but not another member's", async () => {
    const u = await confirmedUser("dup");
    const host = uniqueHost("dup");
    await addSite(u.client, `https://${host}/blog`);
    const res = await u.client.post("/sites", { name: "Again", base_url: `HTTPS://${host.toUpperCase()}/blog/` });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("You already have a site with this base URL.");
    expect(await siteCount(u.id)).toBe(1);
    const other = await confirmedUser("dupother");
    await addSite(other.client, `https://${host}/blog`);
    expect(await siteCount(other.id)).toBe(1);
  });

  it("stops at 50 sites per member", async () => {
    const u = await confirmedUser("many");
    await env.DB.batch(
      Array.from({ length: 50 }, (_, i) =>
        env.DB.prepare("INSERT INTO sites (user_id, name, base_url, created_at) VALUES (?, ?, ?, ?)").bind(u.id, `s${i}`, `https://m${i}.example`, Date.now()),
      ),
    );
    const res = await u.client.post("/sites", { name: "One more", base_url: "https://one-more.example" });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("at most 50 sites");
    expect(await siteCount(u.id)).toBe(50);
  });

  it("needs a session and a same-site form", async () => {
    const anon = new Client();
    const res = await anon.post("/sites", { name: "x", base_url: "https://anon.example" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/auth/login?next=%2F");
    expect((await anon.get("/sites")).headers.get("Location")).toBe("/auth/login?next=%2Fsites");
    const u = await confirmedUser("csrfsite");
    const forged = await u.client.post("/sites", { name: "x", base_url: "https://forged.example" }, { Origin: "https://evil.example" });
    expect(forged.status).toBe(403);
    expect(await siteCount(u.id)).toBe(0);
  });

  it("sends unconfirmed members to confirm first", async () => {
    const u = await unconfirmedUser("unconf", { login: true });
    const client = u.client;
    const res = await client.get("/sites");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/auth/unconfirmed");
    expect((await client.follow(res)).html).toContain(`Please confirm your account, ${u.username}`);
  });
});

describe("renaming and deleting", () => {
  it("renames with validation; htmx gets the form back on errors", async () => {
    const u = await confirmedUser("renamer");
    const site = await addSite(u.client);
    for (const [name, message] of [
      ["", "Enter a name for the site."],
      ["x".repeat(81), "at most 80 characters"],
    ]) {
      const res = await u.client.post(`/sites/${site.id}/rename`, { name: name! });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain(message);
      const hx = await u.client.post(`/sites/${site.id}/rename`, { name: name! }, HX);
      expect(hx.status).toBe(422);
      expect((await hx.text()).startsWith('<form id="rename-site-form"')).toBe(true);
    }
    // A file instead of text is an empty name.
    const form = new FormData();
    form.set("name", new File(["x"], "name.txt"));
    const file = await u.client.fetch(`/sites/${site.id}/rename`, { method: "POST", body: form, headers: { Origin: ORIGIN } });
    expect(file.status).toBe(422);
    expect(await file.text()).toContain("Enter a name for the site.");
    const ok = await u.client.post(`/sites/${site.id}/rename`, { name: "Renamed <b>site</b>" });
    expect(ok.status).toBe(303);
    const html = await (await u.client.get(`/sites/${site.id}`)).text();
    expect(html).toContain("<h1>Renamed &lt;b&gt;site&lt;/b&gt;</h1>");
  });

  it("asks before deleting, then deletes the site with its visits and rollups", async () => {
    const u = await confirmedUser("deleter");
    const site = await addSite(u.client, `https://${uniqueHost("del")}`, "Doomed");
    await store([visit(site.id, { path: "/a" }), visit(site.id, { path: "/b", event: "signup" })]);
    const confirm = await u.client.get(`/sites/${site.id}/delete`);
    const html = await confirm.text();
    expect(confirm.status).toBe(200);
    expect(html).toContain("Delete Doomed?");
    expect(html).toContain("2 recorded visits");
    expect(html).toContain(`<form method="post" action="/sites/${site.id}/delete"`);
    // Looking at the confirmation deleted nothing.
    expect(await siteCount(u.id)).toBe(1);
    const res = await u.client.post(`/sites/${site.id}/delete`);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/sites");
    expect(await (await u.client.get("/sites")).text()).toContain("Deleted Doomed and its visits.");
    for (const table of ["sites", "visits", "visit_hourly", "visit_dims", "visitor_days"]) {
      const col = table === "sites" ? "id" : "site_id";
      const n = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${col} = ?`).bind(site.id).first<{ n: number }>();
      expect(n!.n, table).toBe(0);
    }
    expect((await u.client.post(`/sites/${site.id}/delete`)).status).toBe(404);
  });

  it("refuses GET for state changes with 405 and Allow: POST, renaming nothing", async () => {
    const u = await confirmedUser("getrename");
    const site = await addSite(u.client, undefined, "Kept");
    const res = await u.client.get(`/sites/${site.id}/rename?name=Changed`);
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("POST");
    expect(await (await u.client.get(`/sites/${site.id}`)).text()).toContain("Kept");
  });
});

describe("owner only", () => {
  it("gives another member 404 on every site route and changes nothing", async () => {
    const owner = await confirmedUser("owner");
    const site = await addSite(owner.client, `https://${uniqueHost("own")}`, "Private");
    await store([visit(site.id)]);
    const other = await confirmedUser("snoop");
    const missing = 987654;
    for (const id of [site.id, missing, "abc", "0"]) {
      for (const path of [
        `/sites/${id}`,
        `/sites/${id}?period=30d`,
        `/sites/${id}/live`,
        `/sites/${id}/visits`,
        `/sites/${id}/visits.csv`,
        `/sites/${id}/delete`,
      ]) {
        const res = await other.client.get(path);
        expect(res.status, path).toBe(404);
        expect(await res.text(), path).not.toContain("Private");
      }
      expect((await other.client.post(`/sites/${id}/rename`, { name: "Mine now" })).status).toBe(404);
      expect((await other.client.post(`/sites/${id}/delete`)).status).toBe(404);
    }
    const row = await env.DB.prepare("SELECT name FROM sites WHERE id = ?").bind(site.id).first<{ name: string }>();
    expect(row!.name).toBe("Private");
    expect(await (await other.client.get("/sites")).text()).not.toContain("Private");
  });

  it("sends anonymous visitors to log in, the same way for existing and missing sites", async () => {
    const owner = await confirmedUser("anonowner");
    const site = await addSite(owner.client);
    for (const suffix of ["", "/live", "/visits", "/visits.csv", "/delete"]) {
      const a = await SELF.fetch(`${ORIGIN}/sites/${site.id}${suffix}`, { redirect: "manual" });
      const b = await SELF.fetch(`${ORIGIN}/sites/99999999${suffix}`, { redirect: "manual" });
      expect([a.status, b.status]).toEqual([303, 303]);
      expect(a.headers.get("Location")).toBe(`/auth/login?next=${encodeURIComponent(`/sites/${site.id}${suffix}`)}`);
      expect(b.headers.get("Location")).toBe(`/auth/login?next=${encodeURIComponent(`/sites/99999999${suffix}`)}`);
    }
    const anon = new Client();
    expect((await anon.post(`/sites/${site.id}/delete`)).status).toBe(303);
    expect((await anon.post(`/sites/${site.id}/rename`, { name: "x" })).status).toBe(303);
    expect(await siteCount(owner.id)).toBe(1);
  });

  it("lists only the member's own sites, with their pageviews of the last 7 days", async () => {
    const a = await confirmedUser("lista");
    const b = await confirmedUser("listb");
    const mine = await addSite(a.client, `https://${uniqueHost("mine")}`, "Alpha site");
    await addSite(b.client, `https://${uniqueHost("theirs")}`, "Beta site");
    await store([visit(mine.id), visit(mine.id, { path: "/x" }), visit(mine.id, { event: "signup" }), visit(mine.id, { ts: Date.now() - 20 * 86_400_000 })]);
    const html = await (await a.client.get("/sites")).text();
    expect(html).toContain("Alpha site");
    expect(html).not.toContain("Beta site");
    expect(html).toMatch(/<td class="num">2<\/td>/);
  });
});
