// Failed-password throttling (issue 10, items 5 and 6): every password check (the login form, API Basic
// auth, and the re-checks on change-password, change-email and account deletion) counts in one set of
// failure windows: per (account, client network) 10, per account 100, per client network 50, each per
// 15 minutes. Networks are simulated with CF-Connecting-IP; each test uses its own addresses.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { API, ApiClient, basic } from "../api/helpers";
import { confirmedUser, registrationForm, uniqueUser } from "../helpers/accounts";
import { Client, type FormBody, ORIGIN } from "../helpers/client";
import { fixedLimiter } from "../helpers/limiters";
import { addSite, CHROME_UA } from "../sites/helpers";

const WRONG = "wrong password!";
// Each test runs dozens of PBKDF2 checks (100 for the per-account ceiling).
const SLOW = { timeout: 60_000 };
const ip = (address: string) => ({ "CF-Connecting-IP": address });
const loginFrom = (address: string, identifier: string, password: string) => new Client().post("/auth/login", { email: identifier, password }, ip(address));
const one = async (sql: string, ...args: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...args)
    .first<Record<string, unknown>>();

function expect429(res: Response, html: string) {
  expect(res.status).toBe(429);
  const retry = Number(res.headers.get("Retry-After"));
  expect(retry).toBeGreaterThan(14 * 60);
  expect(retry).toBeLessThanOrEqual(15 * 60);
  expect(html).toContain("Too many attempts. Please try again in 15 minutes.");
}

type Recheck = {
  path: string;
  form: (password: string) => FormBody;
  /** A field the re-rendered form must still show. */
  field: string;
  /** Something that would have changed had the request been carried out. */
  state: (u: { id: number }) => Promise<unknown>;
};

const rechecks: Recheck[] = [
  {
    path: "/auth/change-password",
    form: (old) => ({ old_password: old, password: "a brand new password", password2: "a brand new password" }),
    field: 'name="old_password"',
    state: async (u) => (await one("SELECT password_hash AS h, session_epoch AS e FROM users WHERE id = ?", u.id))!,
  },
  {
    path: "/auth/change-email",
    form: (password) => ({ email: `${uniqueUser("newaddr").email}`, password }),
    field: 'name="email"',
    state: async (u) => (await one("SELECT count(*) AS n FROM auth_tokens WHERE user_id = ? AND purpose = 'change_email'", u.id))!.n,
  },
  {
    path: "/account/delete",
    form: (password) => ({ password }),
    field: 'name="password"',
    state: async (u) => (await one("SELECT count(*) AS n FROM users WHERE id = ?", u.id))!.n,
  },
];

describe("password re-checks count as failed logins (item 5)", SLOW, () => {
  rechecks.forEach((r, i) => {
    it(`${r.path}: 10 wrong passwords, then 429 with the form, Retry-After and nothing changed`, async () => {
      const u = await confirmedUser("recheck");
      const net = `192.0.2.${10 + i}`;
      const before = await r.state(u);
      for (let n = 1; n <= 10; n++) {
        const res = await u.client.post(r.path, r.form(WRONG), ip(net));
        expect(res.status, `attempt ${n}`).toBe(422);
        expect(await res.text()).toContain("Invalid password.");
      }
      // The right password now waits too: otherwise the 429 would tell the guesser nothing.
      const limited = await u.client.post(r.path, r.form(u.password), ip(net));
      const html = await limited.text();
      expect429(limited, html);
      expect(html).toContain(r.field);
      expect(await r.state(u)).toEqual(before);
      // The same window as the login form: that network cannot log in either; another network can.
      expect((await loginFrom(net, u.email, u.password)).status).toBe(429);
      expect((await loginFrom(`198.51.100.${10 + i}`, u.email, u.password)).status).toBe(303);
    });
  });

  it("the web re-checks, the login form and API Basic auth share one window", async () => {
    const u = await confirmedUser("shared");
    const net = "192.0.2.20";
    const api = (password: string) => new ApiClient(basic(u.email, password)).request("GET", "/posts/", { headers: ip(net) });
    for (let n = 0; n < 3; n++) expect((await api(WRONG)).status).toBe(401);
    for (let n = 0; n < 3; n++) expect((await u.client.post("/auth/change-password", rechecks[0]!.form(WRONG), ip(net))).status).toBe(422);
    for (let n = 0; n < 2; n++) expect((await u.client.post("/account/delete", { password: WRONG }, ip(net))).status).toBe(422);
    for (let n = 0; n < 2; n++) expect((await loginFrom(net, u.username, WRONG)).status).toBe(422);
    const limited = await api(u.password);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(14 * 60);
    expect((await loginFrom(net, u.email, u.password)).status).toBe(429);
    expect((await u.client.post("/auth/change-password", rechecks[0]!.form(u.password), ip(net))).status).toBe(429);
  });

  it("a right password does not count", async () => {
    const u = await confirmedUser("rightpw");
    const net = "192.0.2.21";
    // Past the password check, the form fails on the address: the password was right, so nothing is counted.
    for (let n = 0; n < 12; n++) {
      const res = await u.client.post("/auth/change-email", { email: u.email, password: u.password }, ip(net));
      expect(res.status, `attempt ${n}`).toBe(422);
      expect(await res.text()).toContain("That is already your email address.");
    }
    expect((await one("SELECT count(*) AS n FROM rate_events WHERE bucket LIKE 'login-%' AND key LIKE ?", `%user:${u.id}%`))!.n).toBe(0);
  });
});

describe("failed logins per account, per network and per pair (item 6)", SLOW, () => {
  it("10 failures lock the account for that network only", async () => {
    const u = await confirmedUser("pair");
    for (let n = 0; n < 10; n++) expect((await loginFrom("203.0.113.1", u.email, WRONG)).status).toBe(422);
    const limited = await loginFrom("203.0.113.1", u.email, u.password);
    expect429(limited, await limited.text());
    // The owner, on their own network, still gets in.
    expect((await loginFrom("203.0.113.2", u.email, u.password)).status).toBe(303);
  });

  it("100 failures from all networks lock the account everywhere (the ceiling)", async () => {
    const u = await confirmedUser("ceiling");
    for (let net = 0; net < 10; net++) {
      for (let n = 0; n < 10; n++) expect((await loginFrom(`203.0.114.${net}`, u.email, WRONG)).status, `net ${net} try ${n}`).toBe(422);
    }
    const limited = await loginFrom("203.0.114.200", u.email, u.password);
    expect429(limited, await limited.text());
  });

  it("50 failures from one network over many accounts lock that network out of every account", async () => {
    const victims = [await confirmedUser("spraya"), await confirmedUser("sprayb")];
    const net = "203.0.115.1";
    for (let n = 0; n < 50; n++) {
      // Known and unknown accounts count alike.
      const who = n % 10 === 0 ? victims[(n / 10) % 2]!.email : `nobody${n}-${victims[0]!.email}`;
      expect((await loginFrom(net, who, WRONG)).status, `attempt ${n}`).toBe(422);
    }
    const fresh = await confirmedUser("sprayc");
    const limited = await loginFrom(net, fresh.email, fresh.password);
    expect429(limited, await limited.text());
    expect((await loginFrom("203.0.115.2", fresh.email, fresh.password)).status).toBe(303);
  });

  it("counts an IPv6 /64 as one network, and IPv4-mapped IPv6 as its IPv4", async () => {
    const u = await confirmedUser("six");
    for (let n = 0; n < 10; n++) expect((await loginFrom(`2001:db8:5:6::${n + 1}`, u.email, WRONG)).status).toBe(422);
    expect((await loginFrom("2001:db8:5:6:ffff::1", u.email, u.password)).status).toBe(429);
    expect((await loginFrom("2001:db8:5:7::1", u.email, u.password)).status).toBe(303);

    const v = await confirmedUser("mapped");
    for (let n = 0; n < 5; n++) expect((await loginFrom("::ffff:192.0.2.99", v.email, WRONG)).status).toBe(422);
    for (let n = 0; n < 5; n++) expect((await loginFrom("192.0.2.99", v.email, WRONG)).status).toBe(422);
    expect((await loginFrom("192.0.2.99", v.email, v.password)).status).toBe(429);
  });

  it("answers unknown accounts like known ones, at the same D1 cost", async () => {
    const u = await confirmedUser("cost");
    const queries = (res: Response) => Number(/desc="(\d+) queries"/.exec(res.headers.get("Server-Timing") ?? "")?.[1]);
    const known = await loginFrom("203.0.116.1", u.email, WRONG);
    const unknown = await loginFrom("203.0.116.1", `nobody-${u.email}`, WRONG);
    expect(known.status).toBe(422);
    expect(unknown.status).toBe(422);
    // One lookup, one conditional INSERT for all three windows.
    expect(queries(known)).toBe(2);
    expect(queries(unknown)).toBe(2);
    // A success costs the lookup, the INSERT and giving the slots back.
    expect(queries(await loginFrom("203.0.116.1", u.email, u.password))).toBe(3);
  });

  it("lets the window pass: failures older than 15 minutes do not count", async () => {
    const u = await confirmedUser("window6");
    for (let n = 0; n < 10; n++) await loginFrom("203.0.117.1", u.email, WRONG);
    expect((await loginFrom("203.0.117.1", u.email, u.password)).status).toBe(429);
    await env.DB.prepare("UPDATE rate_events SET created_at = created_at - 16 * 60 * 1000 WHERE bucket LIKE 'login-%'").run();
    expect((await loginFrom("203.0.117.1", u.email, u.password)).status).toBe(303);
  });
});

describe("one client-network key for every per-IP limit (item 6)", SLOW, () => {
  it("registrations: addresses of one IPv6 /64 share the hourly allowance", async () => {
    const app = createApp();
    let lastEmail = "";
    const registerFrom = async (address: string) => {
      const u = uniqueUser("reg6");
      lastEmail = u.email;
      const ctx = createExecutionContext();
      const res = await app.request(
        `${ORIGIN}/auth/register`,
        {
          method: "POST",
          body: new URLSearchParams(registrationForm(u)),
          headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, ...ip(address) },
        },
        { ...env, RATE_REGISTRATIONS_PER_HOUR: "5" },
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return res;
    };
    for (let n = 1; n <= 5; n++) expect((await registerFrom(`2001:db8:77:1::${n}`)).status, `registration ${n}`).toBe(303);
    expect((await registerFrom("2001:db8:77:1:abcd::9")).status).toBe(429);
    // The refused registration left no account behind.
    const refused = await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = ?").bind(lastEmail).first<{ n: number }>();
    expect(refused!.n).toBe(0);
    expect((await registerFrom("2001:db8:77:2::1")).status).toBe(303);
    const admitted = await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = ?").bind(lastEmail).first<{ n: number }>();
    expect(admitted!.n).toBe(1);
  });

  it("the API and beacon limiters count an IPv6 /64 as one client", async () => {
    const owner = await confirmedUser("limiters");
    const site = await addSite(owner.client);
    const app = createApp();
    const limitedEnv = { ...env, API_IP_LIMITER: fixedLimiter(2), BEACON_IP_LIMITER: fixedLimiter(2) };
    const send = async (url: string, address: string) => {
      const ctx = createExecutionContext();
      const res = await app.request(url, { headers: { ...ip(address), "User-Agent": CHROME_UA, Accept: "application/json" } }, limitedEnv, ctx);
      await waitOnExecutionContext(ctx);
      return res.status;
    };
    const beacon = `${ORIGIN}/sites/${site.id}/visit?url=${encodeURIComponent(`${site.baseUrl}/p`)}`;
    for (const [url, ok] of [
      [`${API}/posts/`, 401],
      [beacon, 204],
    ] as const) {
      expect(await send(url, "2001:db8:88:1::1")).toBe(ok);
      expect(await send(url, "2001:db8:88:1::2")).toBe(ok);
      expect(await send(url, "2001:db8:88:1:ffff::3")).toBe(429);
      expect(await send(url, "2001:db8:88:2::1")).toBe(ok);
    }
  });
});
