// CSRF defence on cookie-authenticated POSTs (/auth/login, /auth/logout, /auth/register): cross-site or unlabelled requests are refused and change nothing.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { confirmedUser, registrationForm, unconfirmedUser, uniqueUser } from "../helpers/accounts";
import { ORIGIN } from "../helpers/client";
import { getWithSession, rawPost, SESSION_COOKIE, sessionSetCookie } from "../helpers/http";

const REJECTED: [string, Record<string, string>][] = [
  ["no Origin and no Sec-Fetch-Site", {}],
  ["Origin https://evil.example", { Origin: "https://evil.example" }],
  ["Origin: null", { Origin: "null" }],
  ["Sec-Fetch-Site cross-site without Origin", { "Sec-Fetch-Site": "cross-site" }],
  ["Sec-Fetch-Site same-site without Origin", { "Sec-Fetch-Site": "same-site" }],
  ["same host on another port", { Origin: "http://127.0.0.1:9999" }],
  ["look-alike host", { Origin: "http://127.0.0.1:8787.evil.example" }],
  ["evil Origin despite Sec-Fetch-Site same-origin", { Origin: "https://evil.example", "Sec-Fetch-Site": "same-origin" }],
];

const ACCEPTED: [string, Record<string, string>][] = [
  ["same Origin", { Origin: ORIGIN }],
  ["Sec-Fetch-Site same-origin without Origin", { "Sec-Fetch-Site": "same-origin" }],
];

async function userCount(email: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = ?").bind(email).first<{ n: number }>();
  return row!.n;
}

const registeredUser = () => unconfirmedUser("csrf");

describe("POST /auth/register", () => {
  it.each(REJECTED)("%s → 403 and no account is created", async (_label, headers) => {
    const u = uniqueUser("csrfreg");
    const res = await rawPost("/auth/register", headers, registrationForm(u));
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("another site");
    expect(await userCount(u.email)).toBe(0);
    const mail = await env.DB.prepare('SELECT count(*) AS n FROM mail_outbox WHERE "to" = ?').bind(u.email).first<{ n: number }>();
    expect(mail!.n).toBe(0);
  });

  it.each(ACCEPTED)("%s → the account is created", async (_label, headers) => {
    const u = uniqueUser("csrfreg");
    const res = await rawPost("/auth/register", headers, registrationForm(u));
    expect(res.status).toBe(303);
    expect(await userCount(u.email)).toBe(1);
  });
});

describe("POST /auth/login", () => {
  it.each(REJECTED)("%s → 403 and no session, even with the right password", async (_label, headers) => {
    const u = await registeredUser();
    const res = await rawPost("/auth/login", headers, { email: u.email, password: u.password });
    expect(res.status).toBe(403);
    expect(sessionSetCookie(res)).toBeUndefined();
  });

  it.each(ACCEPTED)("%s → logged in", async (_label, headers) => {
    const u = await registeredUser();
    const res = await rawPost("/auth/login", headers, { email: u.email, password: u.password });
    expect(res.status).toBe(303);
    expect(sessionSetCookie(res)?.value).toMatch(/^[a-z2-7]{32}$/);
  });

  it("a JSON client gets a JSON 403", async () => {
    const res = await rawPost("/auth/login", { Accept: "application/json", Origin: "https://evil.example" }, { email: "x@example.org", password: "x" });
    expect(res.status).toBe(403);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe("forbidden");
    expect(typeof body.message).toBe("string");
  });
});

describe("POST /auth/logout", () => {
  it.each(REJECTED)("%s → 403 and the user stays logged in", async (_label, headers) => {
    const u = await confirmedUser("csrfout");
    const token = u.client.session()!;
    const res = await rawPost("/auth/logout", { ...headers, Cookie: `${SESSION_COOKIE}=${token}` });
    expect(res.status).toBe(403);
    // The cookie is not cleared and the session still works.
    expect(sessionSetCookie(res)).toBeUndefined();
    const home = await getWithSession("/", token);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain(`Hello, ${u.username}!`);
  });

  it("the logged-in user's page is not changed by a rejected logout (shown in a normal browser session)", async () => {
    const u = await confirmedUser("csrfout");
    const res = await u.client.post("/auth/logout", {}, { Origin: "https://evil.example" });
    expect(res.status).toBe(403);
    const { html } = await u.client.follow(await u.client.get("/"));
    expect(html).toContain(`Hello, ${u.username}!`);
  });

  it.each(ACCEPTED)("%s → logged out", async (_label, headers) => {
    const u = await confirmedUser("csrfout");
    const token = u.client.session()!;
    const res = await rawPost("/auth/logout", { ...headers, Cookie: `${SESSION_COOKIE}=${token}` });
    expect(res.status).toBe(303);
    const home = await getWithSession("/", token);
    expect(await home.text()).toContain("Your own blog, among friends.");
  });
});

describe("safe methods are not checked", () => {
  it("a cross-site GET of the login page is fine", async () => {
    const res = await getWithSession("/auth/login", undefined, { "Sec-Fetch-Site": "cross-site" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<h1>Log In</h1>");
  });
});
