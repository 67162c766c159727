// /admin/servers (features/federation/web-routes.tsx): only Administrators block and unblock remote servers and
// see the servers Roost talks to; every bad input is a clear form error, never a 500.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { type Account, confirmedUser, expectSentToLogin } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { HX } from "../helpers/http";

const PAGE = "/admin/servers";
let admin: Account;

beforeAll(async () => {
  admin = await confirmedUser("srvadmin", { role: "Administrator" });
});

const blockedRow = (host: string) =>
  env.DB.prepare("SELECT host, reason FROM blocked_servers WHERE host = ?").bind(host).first<{ host: string; reason: string | null }>();

describe("who may use the page", () => {
  it("sends a visitor without a session to the login page, for the page and both actions", async () => {
    const anon = new Client();
    expectSentToLogin(await anon.get(PAGE));
    expectSentToLogin(await anon.post(`${PAGE}/block`, { host: "anon.example" }));
    expectSentToLogin(await anon.post(`${PAGE}/unblock`, { host: "anon.example" }));
    expect(await blockedRow("anon.example")).toBeNull();
  });

  it.each(["User", "Moderator"])("refuses a %s (403)", async (role) => {
    const member = await confirmedUser(`srv${role.toLowerCase()}`, { role });
    expect((await member.client.get(PAGE)).status).toBe(403);
    expect((await member.client.post(`${PAGE}/block`, { host: `${role}.example` })).status).toBe(403);
    expect(await blockedRow(`${role.toLowerCase()}.example`)).toBeNull();
    await env.DB.prepare("INSERT INTO blocked_servers (host, created_at) VALUES ('keep.example', 1) ON CONFLICT DO NOTHING").run();
    expect((await member.client.post(`${PAGE}/unblock`, { host: "keep.example" })).status).toBe(403);
    expect(await blockedRow("keep.example")).not.toBeNull();
  });

  it("is in the Account menu of Administrators only", async () => {
    expect(await (await admin.client.get("/")).text()).toContain('<a href="/admin/servers">Remote Servers</a>');
    const member = await confirmedUser("srvmenu");
    expect(await (await member.client.get("/")).text()).not.toContain("/admin/servers");
  });

  it("refuses a cross-site POST from an Administrator's browser (CSRF)", async () => {
    const res = await admin.client.post(`${PAGE}/block`, { host: "csrf.example" }, { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" });
    expect(res.status).toBe(403);
    expect(await blockedRow("csrf.example")).toBeNull();
  });

  it("answers a GET of an action with 405, changing nothing", async () => {
    const res = await admin.client.get(`${PAGE}/block?host=get.example`);
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("POST");
  });
});

describe("blocking a server", () => {
  it("blocks a host typed as a URL or handle, lists it with its reason, and unblocks it", async () => {
    const res = await admin.client.post(`${PAGE}/block`, { host: "https://Bad.Example/@troll", reason: "Harassment" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(PAGE);
    expect(await blockedRow("bad.example")).toEqual({ host: "bad.example", reason: "Harassment" });
    const page = await (await admin.client.get(PAGE)).text();
    expect(page).toContain("Blocked bad.example and its subdomains.");
    expect(page).toMatch(/<td>bad\.example<\/td>\s*<td>Harassment<\/td>/);

    const lifted = await admin.client.post(`${PAGE}/unblock`, { host: "bad.example" });
    expect(lifted.status).toBe(303);
    expect(await blockedRow("bad.example")).toBeNull();
    expect(await (await admin.client.get(PAGE)).text()).toContain("Unblocked bad.example.");
  });

  it("stores no reason when none is given", async () => {
    expect((await admin.client.post(`${PAGE}/block`, { host: "quiet.example", reason: "  " })).status).toBe(303);
    expect(await blockedRow("quiet.example")).toEqual({ host: "quiet.example", reason: null });
  });

  it.each([
    ["an empty host", { host: "" }, "Enter the server to block."],
    ["no host field at all", {}, "Enter the server to block."],
    ["a host that is not one", { host: "not a host" }, "Enter a server&#39;s host name, such as mastodon.example."],
    ["a single label", { host: "localhost" }, "Enter a server&#39;s host name, such as mastodon.example."],
    ["a host over 253 characters", { host: `${"a".repeat(250)}.example` }, "A host name is at most 253 characters."],
    ["a reason over 500 characters", { host: "long.example", reason: "x".repeat(501) }, "The reason must be at most 500 characters."],
  ])("refuses %s (422) with the message by the field", async (_, form, message) => {
    const res = await admin.client.post(`${PAGE}/block`, form);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain(message);
    expect(html).toContain('aria-invalid="true"');
    expect(await env.DB.prepare("SELECT count(*) AS n FROM blocked_servers WHERE host = 'long.example'").first<{ n: number }>()).toEqual({ n: 0 });
  });

  it("answers an htmx request with just the form and its error", async () => {
    const res = await admin.client.post(`${PAGE}/block`, { host: "" }, HX);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/^<form id="block-server-form"/);
    expect(html).not.toContain("<html");
  });

  it("refuses a duplicate (409), keeping the first reason", async () => {
    expect((await admin.client.post(`${PAGE}/block`, { host: "twice.example", reason: "first" })).status).toBe(303);
    const again = await admin.client.post(`${PAGE}/block`, { host: "TWICE.example", reason: "second" });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("twice.example is already blocked.");
    expect(await blockedRow("twice.example")).toEqual({ host: "twice.example", reason: "first" });
  });

  it("answers 404 when unblocking a server that is not blocked, or not a host", async () => {
    expect((await admin.client.post(`${PAGE}/unblock`, { host: "never.example" })).status).toBe(404);
    expect((await admin.client.post(`${PAGE}/unblock`, { host: "" })).status).toBe(404);
    expect((await admin.client.post(`${PAGE}/unblock`, {})).status).toBe(404);
  });
});

describe("servers Roost talks to", () => {
  it("lists known servers, most recent first, with their counts, marking blocked ones (subdomains too)", async () => {
    await env.DB.batch([
      env.DB.prepare("INSERT INTO known_servers (host, first_seen, last_seen, activities) VALUES ('old.example', 1000, 2000, 3)"),
      env.DB.prepare("INSERT INTO known_servers (host, first_seen, last_seen, activities) VALUES ('a.shady.example', 1000, 5000, 41)"),
    ]);
    expect((await admin.client.post(`${PAGE}/block`, { host: "shady.example" })).status).toBe(303);
    const html = await (await admin.client.get(PAGE)).text();
    const known = html.slice(html.indexOf("Servers Roost talks to"));
    expect(known.indexOf("a.shady.example")).toBeLessThan(known.indexOf("old.example"));
    expect(known).toMatch(/a\.shady\.example <span[^>]*>blocked<\/span>/);
    expect(known).toMatch(/<td class="num">41<\/td>/);
    expect(known).not.toMatch(/old\.example <span/);
  });
});
