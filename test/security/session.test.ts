// Session cookies and KV sessions: cookie attributes, hashed KV keys, rotation on login, logout, forged cookies, idle expiry, epoch revocation, last_seen writes.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { confirmedUser, login, register, uniqueUser } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { getWithSession, poll, sessionSetCookie, sha256HexWebCrypto, sleep } from "../helpers/http";

const DAY_MS = 24 * 60 * 60 * 1000;

type Stored = { userId: number; epoch: number; persistent: boolean; createdAt: number; touchedAt: number };

async function kvKeyOf(token: string): Promise<string> {
  return `session:${await sha256HexWebCrypto(token)}`;
}

async function allSessionKeys(): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.SESSIONS.list({ cursor });
    names.push(...page.keys.map((k) => k.name));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return names;
}

async function greeting(token: string | undefined): Promise<string> {
  const res = await getWithSession("/", token);
  expect(res.status).toBe(200);
  const html = await res.text();
  const m = html.match(/Hello, ([^!<]+)!/);
  // A stranger gets the front page's pitch instead of a greeting (issue 15).
  return m?.[1] ?? (html.includes("Your own blog, among friends.") ? "Stranger" : "(no greeting)");
}

async function lastSeen(id: number): Promise<number> {
  const row = await env.DB.prepare("SELECT last_seen FROM users WHERE id = ?").bind(id).first<{ last_seen: number }>();
  return row!.last_seen;
}

describe("the session cookie", () => {
  it("is __Host-session=<32 base32 chars>; Path=/; HttpOnly; Secure; SameSite=Lax, a browser-session cookie", async () => {
    const u = uniqueUser("sess");
    const client = new Client();
    await register(client, u);
    const res = await login(client, u.email, u.password);
    expect(res.status).toBe(303);
    const cookie = sessionSetCookie(res)!;
    expect(cookie).toBeDefined();
    expect(cookie.value).toMatch(/^[a-z2-7]{32}$/);
    expect(Object.fromEntries(cookie.attrs)).toEqual({ path: "/", httponly: "", secure: "", samesite: "Lax" });
  });

  it("with remember_me=y it lasts 30 days (Max-Age=2592000)", async () => {
    const u = uniqueUser("sess");
    const client = new Client();
    await register(client, u);
    const res = await login(client, u.email, u.password, true);
    const cookie = sessionSetCookie(res)!;
    expect(cookie.value).toMatch(/^[a-z2-7]{32}$/);
    expect(Object.fromEntries(cookie.attrs)).toEqual({ "max-age": "2592000", path: "/", httponly: "", secure: "", samesite: "Lax" });
  });
});

describe("KV storage", () => {
  it("stores session:<sha256 hex of the token>, never the token itself", async () => {
    const u = await confirmedUser("kv");
    const token = u.client.session()!;
    const key = await kvKeyOf(token);
    expect(key).toMatch(/^session:[0-9a-f]{64}$/);
    const keys = await allSessionKeys();
    expect(keys).toContain(key);
    expect(keys.some((k) => k.includes(token))).toBe(false);
    const value = await env.SESSIONS.get(key);
    expect(value).not.toBeNull();
    expect(value).not.toContain(token);
    expect(JSON.parse(value!)).toMatchObject({ userId: u.id });
    // Nothing in the namespace holds the token anywhere.
    for (const k of keys) expect((await env.SESSIONS.get(k)) ?? "").not.toContain(token);
  });

  it("a new token on every login; the previous session's KV entry is gone and its cookie dead", async () => {
    const u = await confirmedUser("rotate");
    const first = u.client.session()!;
    const res = await login(u.client, u.email, u.password);
    expect(res.status).toBe(303);
    const second = u.client.session()!;
    expect(second).toMatch(/^[a-z2-7]{32}$/);
    expect(second).not.toBe(first);
    expect(await env.SESSIONS.get(await kvKeyOf(first))).toBeNull();
    expect(await env.SESSIONS.get(await kvKeyOf(second))).not.toBeNull();
    expect(await greeting(first)).toBe("Stranger");
    expect(await greeting(second)).toBe(u.username);
  });

  it("a login from another browser does not end this one's session", async () => {
    const u = await confirmedUser("twobrowsers");
    const other = new Client();
    await login(other, u.username, u.password);
    expect(other.session()).not.toBe(u.client.session());
    expect(await greeting(u.client.session())).toBe(u.username);
    expect(await greeting(other.session())).toBe(u.username);
  });
});

describe("logout", () => {
  it("the old cookie no longer authenticates and its KV entry is deleted", async () => {
    const u = await confirmedUser("logout");
    const token = u.client.session()!;
    expect(await greeting(token)).toBe(u.username);
    const res = await u.client.post("/auth/logout");
    expect(res.status).toBe(303);
    const cleared = sessionSetCookie(res)!;
    expect(cleared.attrs.get("max-age")).toBe("0");
    expect(u.client.session()).toBeUndefined();
    expect(await env.SESSIONS.get(await kvKeyOf(token))).toBeNull();
    // A copy of the cookie kept by an attacker or another tab is dead too.
    expect(await greeting(token)).toBe("Stranger");
  });
});

describe("forged cookies are anonymous", () => {
  it.each([
    ["garbage", "garbage"],
    ["well-formed but unknown", "a".repeat(32)],
    ["upper-case token", "A".repeat(32)],
    ["very long", "x".repeat(4000)],
    ["quotes and semicolons", '"abc\\"def'],
  ])("%s → 200, the stranger's front page", async (_label, value) => {
    expect(await greeting(value)).toBe("Stranger");
  });

  it("the KV key (the token's hash) is not itself a credential", async () => {
    const u = await confirmedUser("hashcookie");
    const hash = await sha256HexWebCrypto(u.client.session()!);
    expect(await greeting(hash)).toBe("Stranger");
    expect(await greeting(hash.slice(0, 32))).toBe("Stranger");
  });
});

describe("expiry and revocation", () => {
  it("a session idle for 8 days is anonymous", async () => {
    const u = await confirmedUser("idle");
    const token = u.client.session()!;
    const key = await kvKeyOf(token);
    const stored = (await env.SESSIONS.get<Stored>(key, "json"))!;
    await env.SESSIONS.put(key, JSON.stringify({ ...stored, createdAt: Date.now() - 9 * DAY_MS, touchedAt: Date.now() - 8 * DAY_MS }));
    expect(await greeting(token)).toBe("Stranger");
  });

  it("a session idle for 6 days still works and its idle timer is refreshed", async () => {
    const u = await confirmedUser("idle");
    const token = u.client.session()!;
    const key = await kvKeyOf(token);
    const stored = (await env.SESSIONS.get<Stored>(key, "json"))!;
    const sixDaysAgo = Date.now() - 6 * DAY_MS;
    await env.SESSIONS.put(key, JSON.stringify({ ...stored, touchedAt: sixDaysAgo }));
    expect(await greeting(token)).toBe(u.username);
    const after = await poll(
      async () => (await env.SESSIONS.get<Stored>(key, "json"))!,
      (s) => s.touchedAt > sixDaysAgo,
    );
    expect(after.touchedAt).toBeGreaterThan(Date.now() - 60_000);
  });

  it("bumping users.session_epoch ends the session at once", async () => {
    const u = await confirmedUser("epoch");
    const token = u.client.session()!;
    const key = await kvKeyOf(token);
    expect(await greeting(token)).toBe(u.username);
    await env.DB.prepare("UPDATE users SET session_epoch = session_epoch + 1 WHERE id = ?").bind(u.id).run();
    expect(await greeting(token)).toBe("Stranger");
    // The stale KV entry is cleaned up too (in waitUntil).
    expect(
      await poll(
        () => env.SESSIONS.get(key),
        (v) => v === null,
      ),
    ).toBeNull();
    // A fresh login starts a session under the new epoch.
    await login(u.client, u.email, u.password);
    expect(await greeting(u.client.session())).toBe(u.username);
  });

  it("a deleted user's session is anonymous", async () => {
    const u = await confirmedUser("gone");
    const token = u.client.session()!;
    await env.DB.prepare("DELETE FROM users WHERE id = ?").bind(u.id).run();
    expect(await greeting(token)).toBe("Stranger");
  });
});

describe("last_seen", () => {
  it("is written when older than 5 minutes, and not rewritten on every request", async () => {
    const u = await confirmedUser("seen");
    const token = u.client.session()!;
    const tenMinutesAgo = Date.now() - 10 * 60 * 1000;
    await env.DB.prepare("UPDATE users SET last_seen = ? WHERE id = ?").bind(tenMinutesAgo, u.id).run();

    const before = Date.now();
    expect(await greeting(token)).toBe(u.username);
    // The write happens in waitUntil, after the response.
    const updated = await poll(
      () => lastSeen(u.id),
      (v) => v !== tenMinutesAgo,
    );
    expect(updated).toBeGreaterThanOrEqual(before - 1000);
    expect(updated).toBeLessThanOrEqual(Date.now());

    await sleep(20);
    expect(await greeting(token)).toBe(u.username);
    await sleep(500);
    expect(await lastSeen(u.id)).toBe(updated);
  });
});
