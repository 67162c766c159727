// Issue 10 item 1: the Administrator role comes only from using a link mailed to ADMIN_EMAIL, never from
// registering the address, and never travels to another address. Unconfirmed accounts cannot change their
// email; the real owner of a squatted address takes the account back with "Forgot your password?".
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { confirmedUser, latestMailTo, linkIn, login, register, unconfirmedUser, uniqueUser } from "../helpers/accounts";
import { Client } from "../helpers/client";

const ADMIN = "admin@example.com"; // ADMIN_EMAIL in wrangler.toml (development vars)

async function account(email: string) {
  return env.DB.prepare("SELECT u.id, u.email, u.username, u.confirmed, r.name AS role FROM users u JOIN roles r ON r.id = u.role_id WHERE u.email = ?")
    .bind(email)
    .first<{ id: number; email: string; username: string; confirmed: number; role: string }>();
}

async function roleOf(id: number) {
  return (await env.DB.prepare("SELECT r.name AS role FROM users u JOIN roles r ON r.id = u.role_id WHERE u.id = ?").bind(id).first<{ role: string }>())?.role;
}

/** Someone who does not own the admin mailbox registers it and logs in. */
async function squatter() {
  const u = { ...uniqueUser("squat"), email: ADMIN };
  const client = new Client();
  expect((await register(client, u)).status).toBe(303);
  expect((await login(client, ADMIN, u.password)).status).toBe(303);
  return { ...u, client };
}

beforeEach(async () => {
  await env.DB.prepare("DELETE FROM users WHERE email = ?").bind(ADMIN).run();
});

describe("the Administrator role and ADMIN_EMAIL", () => {
  it("is not granted on registration, only when the confirmation link mailed to ADMIN_EMAIL is used", async () => {
    const s = await squatter();
    expect(await account(ADMIN)).toMatchObject({ confirmed: 0, role: "User" });
    const link = linkIn((await latestMailTo(ADMIN))!.text);
    expect((await s.client.follow(await s.client.get(link))).html).toContain("You have confirmed your account. Thanks!");
    expect(await account(ADMIN)).toMatchObject({ confirmed: 1, role: "Administrator" });
  });

  it("cannot be squatted: an unconfirmed account cannot move its email to an address it owns", async () => {
    const s = await squatter();
    const mine = uniqueUser("squatmail").email;
    const page = await s.client.get("/auth/change-email");
    expect(page.status).toBe(303);
    expect(page.headers.get("Location")).toBe("/auth/unconfirmed");
    const res = await s.client.post("/auth/change-email", { email: mine, password: s.password });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/auth/unconfirmed");
    expect((await s.client.follow(res)).html).toContain("Please confirm your account");
    expect(await latestMailTo(mine)).toBeNull();
    const tokens = await env.DB.prepare("SELECT count(*) AS n FROM auth_tokens WHERE purpose = 'change_email' AND new_email = ?")
      .bind(mine)
      .first<{ n: number }>();
    expect(tokens!.n).toBe(0);
    expect(await account(ADMIN)).toMatchObject({ confirmed: 0, role: "User" });
  });

  it("goes to the real owner: a password reset confirms the account, makes it Administrator and ends the squatter's sessions", async () => {
    const s = await squatter();
    expect(await (await s.client.get("/auth/unconfirmed")).text()).toContain("Please confirm your account");
    const owner = new Client();
    await owner.post("/auth/reset", { email: ADMIN });
    const link = linkIn((await latestMailTo(ADMIN))!.text);
    expect(link).toMatch(/^\/auth\/reset\//);
    const done = await owner.post(link, { password: "the owner's own secret", password2: "the owner's own secret" });
    expect(done.status).toBe(303);
    expect(await account(ADMIN)).toMatchObject({ confirmed: 1, role: "Administrator" });
    // The squatter's session and password are gone; the owner logs in to a confirmed account.
    expect(await (await s.client.get("/")).text()).toContain("Your own blog, among friends.");
    expect((await login(new Client(), ADMIN, s.password)).status).toBe(422);
    const ownerLogin = new Client();
    expect((await login(ownerLogin, ADMIN, "the owner's own secret")).status).toBe(303);
    expect((await ownerLogin.get("/")).status).toBe(200);
  });

  it("is granted by an email-change confirmation to ADMIN_EMAIL", async () => {
    const u = await confirmedUser("toadmin");
    expect(await roleOf(u.id)).toBe("User");
    expect((await u.client.post("/auth/change-email", { email: ADMIN, password: u.password })).status).toBe(303);
    expect(await roleOf(u.id)).toBe("User");
    const link = linkIn((await latestMailTo(ADMIN))!.text);
    expect((await u.client.follow(await u.client.get(link))).html).toContain("Your email address has been updated.");
    expect(await account(ADMIN)).toMatchObject({ id: u.id, role: "Administrator" });
  });

  it("is not carried to another address: moving away from ADMIN_EMAIL drops to the default role", async () => {
    const u = await confirmedUser("fromadmin");
    await u.client.post("/auth/change-email", { email: ADMIN, password: u.password });
    await u.client.get(linkIn((await latestMailTo(ADMIN))!.text));
    expect(await roleOf(u.id)).toBe("Administrator");
    const elsewhere = uniqueUser("away").email;
    await u.client.post("/auth/change-email", { email: elsewhere, password: u.password });
    const res = await u.client.get(linkIn((await latestMailTo(elsewhere))!.text));
    expect(res.status).toBe(303);
    expect(await account(elsewhere)).toMatchObject({ id: u.id, role: "User" });
  });

  it("leaves an Administrator appointed in the admin editor alone when they change their (other) address", async () => {
    const u = await confirmedUser("appointed", { role: "Administrator" });
    const elsewhere = uniqueUser("appointednew").email;
    await u.client.post("/auth/change-email", { email: elsewhere, password: u.password });
    await u.client.get(linkIn((await latestMailTo(elsewhere))!.text));
    expect(await account(elsewhere)).toMatchObject({ id: u.id, role: "Administrator" });
  });
});

describe("what an unconfirmed account can still do", () => {
  it("resend the confirmation, change the password, log out and delete the account", async () => {
    const u = await unconfirmedUser("unconf", { login: true });
    const client = u.client;
    expect((await client.post("/auth/confirm")).headers.get("Location")).toBe("/auth/unconfirmed");
    const pw = await client.post("/auth/change-password", { old_password: u.password, password: "another secret", password2: "another secret" });
    expect(pw.status).toBe(303);
    expect(pw.headers.get("Location")).toBe("/");
    const del = await client.post("/account/delete", { password: "another secret" });
    expect(del.status).toBe(303);
    expect((await client.follow(del)).html).toContain("Your account and everything in it have been deleted.");
    expect(await account(u.email)).toBeNull();
  });
});

describe("migration 0005_unconfirmed_admins", () => {
  it("drops unconfirmed Administrators (granted by the old registration) to the default role, and no one else", async () => {
    const squat = await squatter();
    const real = await confirmedUser("realadmin");
    for (const email of [ADMIN, real.email]) {
      await env.DB.prepare("UPDATE users SET role_id = (SELECT id FROM roles WHERE name = 'Administrator') WHERE email = ?").bind(email).run();
    }
    const migrations = (env as unknown as { TEST_MIGRATIONS: { name: string; queries: string[] }[] }).TEST_MIGRATIONS;
    const migration = migrations.find((m) => m.name === "0005_unconfirmed_admins.sql");
    expect(migration).toBeDefined();
    for (const q of migration!.queries) await env.DB.prepare(q).run();
    expect(await account(ADMIN)).toMatchObject({ username: squat.username, confirmed: 0, role: "User" });
    expect(await roleOf(real.id)).toBe("Administrator");
  });
});
