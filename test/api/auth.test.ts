// Authentication on /api/v1: challenges, credential forms, the session cookie refused, tokens (minting
// rules, storage, expiry, revocation by DELETE and by password change or reset), unconfirmed accounts
// and the login-failure limit shared with the web login.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { latestMailTo, linkIn, login, unconfirmedUser } from "../helpers/accounts";
import { Client, ORIGIN } from "../helpers/client";
import { poll, sha256HexWebCrypto } from "../helpers/http";
import { ApiClient, apiUser, basic, bearer, getToken, tokenAsBasic } from "./helpers";

const BASIC = 'Basic realm="Roost API", charset="UTF-8"';

async function tokenRow(token: string) {
  return env.DB.prepare("SELECT user_id, purpose, expires_at, created_at, used_at FROM auth_tokens WHERE token_hash = ?")
    .bind(await sha256HexWebCrypto(token))
    .first<{ user_id: number; purpose: string; expires_at: number; created_at: number; used_at: number | null }>();
}

describe("401 answers", () => {
  it("carry WWW-Authenticate with the Basic (UTF-8) and Bearer challenges", async () => {
    const r = await new ApiClient().get("/posts/");
    expect(r.status).toBe(401);
    const challenge = r.headers.get("WWW-Authenticate")!;
    expect(challenge).toContain(BASIC);
    expect(challenge).toContain('Bearer realm="Roost API"');
  });

  it('a rejected bearer token gets error="invalid_token" in its challenge', async () => {
    const r = await new ApiClient(bearer("a".repeat(32))).get("/posts/");
    expect(r.status).toBe(401);
    expect(r.body.message).toBe("Invalid or expired token");
    expect(r.headers.get("WWW-Authenticate")).toContain('Bearer realm="Roost API", error="invalid_token"');
  });

  it("malformed Authorization headers are 401, never 500", async () => {
    for (const header of [
      "Basic",
      "Basic !!!notbase64!!!",
      `Basic ${btoa("no-colon-here")}`,
      "Digest username=x",
      "Bearer",
      "Bearer two words",
      `Basic ${btoa(":password")}`,
    ]) {
      const r = await new ApiClient(header).get("/posts/");
      expect(r.status, header).toBe(401);
      expect(r.headers.get("WWW-Authenticate"), header).toContain(BASIC);
    }
  });

  it("an unknown account and a wrong password answer identically (no account enumeration)", async () => {
    const u = await apiUser("enum");
    const wrong = await new ApiClient(basic(u.email, "not the password")).get("/posts/");
    const unknown = await new ApiClient(basic(`nobody-${u.username}@example.org`, "not the password")).get("/posts/");
    expect(unknown.status).toBe(wrong.status);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.headers.get("WWW-Authenticate")).toBe(wrong.headers.get("WWW-Authenticate"));
  });

  it("overlong identifiers or passwords are refused like wrong ones", async () => {
    const u = await apiUser("long");
    expect((await new ApiClient(basic(`${"a".repeat(65)}@example.org`, u.password)).get("/posts/")).status).toBe(401);
    expect((await new ApiClient(basic(u.email, "p".repeat(129))).get("/posts/")).status).toBe(401);
  });
});

describe("credential forms", () => {
  it("Basic with the username (any case) and password works", async () => {
    const u = await apiUser("casey");
    const byName = await new ApiClient(basic(u.username.toUpperCase(), u.password)).get(`/users/${u.id}`);
    expect(byName.status).toBe(200);
    expect(byName.body.username).toBe(u.username);
    const byEmail = await new ApiClient(basic(u.email.toUpperCase(), u.password)).get(`/users/${u.id}`);
    expect(byEmail.status).toBe(200);
    expect(byEmail.body.username).toBe(u.username);
  });

  it("a UTF-8 password works through Basic", async () => {
    const u = await apiUser("utf");
    const client = new Client();
    await login(client, u.email, u.password);
    const newPassword = "pässwörd-ünïcode-🔑";
    const changed = await client.post("/auth/change-password", { old_password: u.password, password: newPassword, password2: newPassword });
    expect(changed.status).toBe(303);
    expect((await new ApiClient(basic(u.email, newPassword)).get(`/users/${u.id}`)).status).toBe(200);
  });

  it("the session cookie is never accepted: a logged-in browser's cookie alone gets 401", async () => {
    const u = await apiUser("cookie");
    const cookie = `__Host-session=${u.client.session()}`;
    // The cookie is valid for the web...
    const web = await SELF.fetch(`${ORIGIN}/edit-profile`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(web.status).toBe(200);
    // ...but not for the API, on reads or writes (and a cookie POST is 401, not a CSRF 403).
    const read = await new ApiClient().get("/posts/", { headers: { Cookie: cookie } });
    expect(read.status).toBe(401);
    const write = await new ApiClient().post("/posts/", { body: "via cookie" }, { headers: { Cookie: cookie, Origin: ORIGIN } });
    expect(write.status).toBe(401);
    const n = await env.DB.prepare("SELECT count(*) AS n FROM posts WHERE author_id = ?").bind(u.id).first<{ n: number }>();
    expect(n!.n).toBe(0);
  });

  it("API responses never set cookies", async () => {
    const u = await apiUser("nocookie");
    const r = await u.passwordApi.get("/posts/");
    expect(r.status).toBe(200);
    expect(r.headers.get("Set-Cookie")).toBeNull();
    expect(r.headers.get("Cache-Control")).toBe("no-store");
  });
});

describe("tokens", () => {
  it("are stored only as a SHA-256 hash, purpose api, expiring in an hour, unused", async () => {
    const u = await apiUser("stored");
    const row = await tokenRow(u.token);
    expect(row).toMatchObject({ user_id: u.id, purpose: "api", used_at: null });
    expect(row!.expires_at - row!.created_at).toBe(3600_000);
    const raw = await env.DB.prepare("SELECT count(*) AS n FROM auth_tokens WHERE token_hash = ?").bind(u.token).first<{ n: number }>();
    expect(raw!.n).toBe(0);
  });

  it("a token cannot mint a token (401, challenging for Basic only)", async () => {
    const u = await apiUser("mint");
    for (const auth of [bearer(u.token), tokenAsBasic(u.token)]) {
      const r = await new ApiClient(auth).post("/tokens/");
      expect(r.status).toBe(401);
      expect(r.body.message).toMatch(/token cannot be used to get a token/);
      expect(r.headers.get("WWW-Authenticate")).toBe(BASIC);
    }
  });

  it("expire: a token past expires_at is 401", async () => {
    const u = await apiUser("expiry");
    expect((await u.api.get(`/users/${u.id}`)).status).toBe(200);
    await env.DB.prepare("UPDATE auth_tokens SET expires_at = ? WHERE token_hash = ?")
      .bind(Date.now() - 1, await sha256HexWebCrypto(u.token))
      .run();
    const r = await u.api.get(`/users/${u.id}`);
    expect(r.status).toBe(401);
    expect(r.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
  });

  it("minting deletes the user's expired tokens (the table does not grow forever)", async () => {
    const u = await apiUser("cleanup");
    await env.DB.prepare("UPDATE auth_tokens SET expires_at = ? WHERE user_id = ? AND purpose = 'api'")
      .bind(Date.now() - 1, u.id)
      .run();
    const fresh = await getToken(u.email, u.password);
    const rows = await env.DB.prepare("SELECT token_hash FROM auth_tokens WHERE user_id = ? AND purpose = 'api'").bind(u.id).all<{ token_hash: string }>();
    expect(rows.results.map((r) => r.token_hash)).toEqual([await sha256HexWebCrypto(fresh)]);
  });

  it("DELETE /tokens/ revokes the token used, and only that one", async () => {
    const u = await apiUser("revoke");
    const other = await getToken(u.email, u.password);
    const r = await u.api.delete("/tokens/");
    expect(r.status).toBe(204);
    expect(r.body).toBeNull();
    expect(await tokenRow(u.token)).toBeNull();
    expect((await u.api.get(`/users/${u.id}`)).status).toBe(401);
    expect((await new ApiClient(bearer(other)).get(`/users/${u.id}`)).status).toBe(200);
    // Flasky's Basic form revokes too.
    expect((await new ApiClient(tokenAsBasic(other)).delete("/tokens/")).status).toBe(204);
    expect((await new ApiClient(bearer(other)).get(`/users/${u.id}`)).status).toBe(401);
  });

  it("DELETE /tokens/ with a password is 400 (there is no token to revoke) and revokes nothing", async () => {
    const u = await apiUser("revokepw");
    const r = await u.passwordApi.delete("/tokens/");
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/token to revoke/);
    expect((await u.api.get(`/users/${u.id}`)).status).toBe(200);
  });

  it("die when the password is changed on the web (in the same write)", async () => {
    const u = await apiUser("pwchange");
    const second = await getToken(u.email, u.password);
    const res = await u.client.post("/auth/change-password", { old_password: u.password, password: "a brand new password", password2: "a brand new password" });
    expect(res.status).toBe(303);
    expect((await u.api.get(`/users/${u.id}`)).status).toBe(401);
    expect((await new ApiClient(bearer(second)).get(`/users/${u.id}`)).status).toBe(401);
    const left = await env.DB.prepare("SELECT count(*) AS n FROM auth_tokens WHERE user_id = ? AND purpose = 'api'").bind(u.id).first<{ n: number }>();
    expect(left!.n).toBe(0);
    // The old password is dead too, the new one mints again.
    expect((await new ApiClient(basic(u.email, u.password)).post("/tokens/")).status).toBe(401);
    expect((await new ApiClient(basic(u.email, "a brand new password")).post("/tokens/")).status).toBe(200);
  });

  it("a failed password change keeps the tokens", async () => {
    const u = await apiUser("pwkeep");
    const res = await u.client.post("/auth/change-password", {
      old_password: "not my password",
      password: "another password 1",
      password2: "another password 1",
    });
    expect(res.status).toBe(422);
    expect((await u.api.get(`/users/${u.id}`)).status).toBe(200);
  });

  it("die when the password is reset by mail, and only that user's", async () => {
    const u = await apiUser("pwreset");
    const bystander = await apiUser("bystander");
    const anon = new Client();
    expect((await anon.post("/auth/reset", { email: u.email })).status).toBe(303);
    const path = linkIn((await latestMailTo(u.email))!.text);
    const reset = await anon.post(path, { password: "reset password 123", password2: "reset password 123" });
    expect(reset.status).toBe(303);
    expect(reset.headers.get("Location")).toBe("/auth/login");
    expect((await u.api.get(`/users/${u.id}`)).status).toBe(401);
    expect((await bystander.api.get(`/users/${u.id}`)).status).toBe(200);
    // The reset token itself was consumed in the same batch.
    expect((await anon.post(path, { password: "reset password 456", password2: "reset password 456" })).headers.get("Location")).toBe("/auth/reset");
  });

  it("of a user who loses confirmation are refused (403)", async () => {
    const u = await apiUser("lostconfirm");
    await env.DB.prepare("UPDATE users SET confirmed = 0 WHERE id = ?").bind(u.id).run();
    const r = await u.api.get(`/users/${u.id}`);
    expect(r.status).toBe(403);
    expect(r.body.message).toBe("Unconfirmed account");
  });
});

describe("unconfirmed accounts", () => {
  it("get 403 on every endpoint kind, with a password", async () => {
    const u = await unconfirmedUser();
    const api = new ApiClient(basic(u.username, u.password));
    for (const [method, path] of [
      ["GET", `/users/${u.id}`],
      ["POST", "/posts/"],
      ["POST", "/tokens/"],
    ] as const) {
      const r = await api.request(method, path, method === "POST" && path === "/posts/" ? { body: { body: "hi" } } : {});
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.message, `${method} ${path}`).toBe("Unconfirmed account");
    }
    // Nothing was written on their behalf: no post, no API token.
    const posts = await env.DB.prepare("SELECT count(*) AS n FROM posts WHERE author_id = ?").bind(u.id).first<{ n: number }>();
    expect(posts!.n).toBe(0);
    const tokens = await env.DB.prepare("SELECT count(*) AS n FROM auth_tokens WHERE user_id = ? AND purpose = 'api'").bind(u.id).first<{ n: number }>();
    expect(tokens!.n).toBe(0);
  });

  it("a wrong password for an unconfirmed account is 401, not 403 (no status leak)", async () => {
    const u = await unconfirmedUser();
    const r = await new ApiClient(basic(u.email, "wrong password!")).get("/posts/");
    expect(r.status).toBe(401);
    expect(JSON.stringify(r.body)).not.toMatch(/unconfirmed/i);
  });
});

describe("brute force", () => {
  it("the 11th failed password in 15 minutes is 429 with Retry-After, shared with the web login", async () => {
    const u = await apiUser("brute");
    const attacker = new ApiClient(basic(u.email, "guess-wrong-password"));
    for (let i = 1; i <= 10; i++) expect((await attacker.get("/posts/")).status, `attempt ${i}`).toBe(401);
    const limited = await attacker.get("/posts/");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(limited.body.error).toBe("too many requests");
    // Even the right password waits now from that network, on the API and on the web form (one budget per
    // account and network, issue 10)...
    const sameNetwork = { "CF-Connecting-IP": attacker.ip };
    expect((await new ApiClient(basic(u.email, u.password)).request("POST", "/tokens/", { headers: sameNetwork })).status).toBe(429);
    expect((await new Client().post("/auth/login", { email: u.email, password: u.password }, sameNetwork)).status).toBe(429);
    // ...while the owner on another network is not locked out.
    expect((await new ApiClient(basic(u.email, u.password)).post("/tokens/")).status).toBe(200);
    expect((await login(new Client(), u.email, u.password)).status).toBe(303);
    // Existing tokens keep working: they are not passwords.
    expect((await u.api.get(`/users/${u.id}`)).status).toBe(200);
  });

  it("a correct password does not count as a failure", async () => {
    const u = await apiUser("nobrute");
    for (let i = 0; i < 12; i++) expect((await u.passwordApi.get(`/users/${u.id}`)).status).toBe(200);
    const events = await env.DB.prepare("SELECT count(*) AS n FROM rate_events WHERE bucket LIKE 'login-%' AND key LIKE ?")
      .bind(`user:${u.id}%`)
      .first<{ n: number }>();
    expect(events!.n).toBe(0);
  });
});

describe("last_seen", () => {
  it("moves when an API client authenticates after 5 minutes away", async () => {
    const u = await apiUser("seen");
    const old = Date.now() - 3600_000;
    await env.DB.prepare("UPDATE users SET last_seen = ? WHERE id = ?").bind(old, u.id).run();
    expect((await u.api.get(`/users/${u.id}`)).status).toBe(200);
    // Written in waitUntil, off the response path.
    const read = () => env.DB.prepare("SELECT last_seen FROM users WHERE id = ?").bind(u.id).first<{ last_seen: number }>();
    const row = await poll(read, (r) => r!.last_seen > old);
    expect(row!.last_seen).toBeGreaterThan(old);
    const seen = await u.api.get(`/users/${u.id}`);
    expect(Date.parse(seen.body.last_seen)).toBe(row!.last_seen);
  });
});
