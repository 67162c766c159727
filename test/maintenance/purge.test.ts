// The daily purge deletes expired and used tokens, old delivered mail and old rate events, and keeps
// everything still in use.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { purgeExpired } from "../../src/maintenance/purge";
import { confirmedUser, register, uniqueUser } from "../helpers/accounts";
import { Client } from "../helpers/client";

const NOW = Date.now();
const DAY = 86_400_000;

async function ids(table: string, where = "1 = 1") {
  return (await env.DB.prepare(`SELECT id FROM ${table} WHERE ${where} ORDER BY id`).all<{ id: number }>()).results.map((r) => r.id);
}

describe("purgeExpired", () => {
  it("removes what has expired or been used and keeps the rest", async () => {
    const u = await confirmedUser("purge");
    const tok = (hash: string, expires: number, used: number | null) =>
      env.DB.prepare("INSERT INTO auth_tokens (token_hash, user_id, purpose, created_at, expires_at, used_at) VALUES (?, ?, 'reset', ?, ?, ?) RETURNING id")
        .bind(hash, u.id, NOW - DAY, expires, used)
        .first<{ id: number }>();
    const live = (await tok("live".padEnd(64, "0"), NOW + 3600_000, null))!.id;
    await tok("expired".padEnd(64, "0"), NOW - 1, null);
    await tok("used".padEnd(64, "0"), NOW + 3600_000, NOW - 1000);

    const mail = (status: string, created: number) =>
      env.DB.prepare(
        "INSERT INTO mail_outbox (\"to\", kind, subject, text, html, status, created_at) VALUES ('p@example.org', 'x', 's', 't', 'h', ?, ?) RETURNING id",
      )
        .bind(status, created)
        .first<{ id: number }>();
    const oldSent = (await mail("sent", NOW - 31 * DAY))!.id;
    const oldPending = (await mail("pending", NOW - 31 * DAY))!.id;
    const recentSent = (await mail("captured", NOW - DAY))!.id;

    await env.DB.prepare("INSERT INTO rate_events (bucket, key, created_at) VALUES ('t', 'old', ?), ('t', 'new', ?)")
      .bind(NOW - 2 * DAY, NOW - 60_000)
      .run();

    const counts = await purgeExpired(env, NOW);
    expect(counts.tokens).toBeGreaterThanOrEqual(2);
    const tokens = await ids("auth_tokens", `user_id = ${u.id} AND purpose = 'reset'`);
    expect(tokens).toEqual([live]);
    const outbox = await ids("mail_outbox", "\"to\" = 'p@example.org'");
    expect(outbox).toEqual([oldPending, recentSent]); // unsent mail is never dropped
    expect(outbox).not.toContain(oldSent);
    const events = (await env.DB.prepare("SELECT key FROM rate_events WHERE bucket = 't'").all<{ key: string }>()).results.map((r) => r.key);
    expect(events).toEqual(["new"]);
    // The confirmed user's own (used) confirm token went too; the account is untouched.
    expect(await ids("users", `id = ${u.id}`)).toEqual([u.id]);
  });

  it("deletes in chunks beyond one statement's batch", async () => {
    const values = Array.from({ length: 60 }, (_, i) => `('chunk', 'k${i}', ${NOW - 3 * DAY})`).join(", ");
    for (let i = 0; i < 100; i++) await env.DB.prepare(`INSERT INTO rate_events (bucket, key, created_at) VALUES ${values}`).run();
    const counts = await purgeExpired(env, NOW);
    expect(counts.rateEvents).toBeGreaterThanOrEqual(6000);
    expect(await ids("rate_events", "bucket = 'chunk'")).toEqual([]);
  });
});

describe("purgeExpired and unconfirmed accounts", () => {
  it("deletes accounts left unconfirmed for 7 days, freeing their email and username, and keeps the rest", async () => {
    const stale = uniqueUser("stale");
    const fresh = uniqueUser("fresh");
    for (const u of [stale, fresh]) expect((await register(new Client(), u)).status).toBe(303);
    const old = await confirmedUser("oldconfirmed");
    const setAge = (email: string, ms: number) =>
      env.DB.prepare("UPDATE users SET member_since = ? WHERE email = ?")
        .bind(NOW - ms, email)
        .run();
    await setAge(stale.email, 7 * DAY + 60_000);
    await setAge(fresh.email, 7 * DAY - 60_000);
    await setAge(old.email, 400 * DAY);

    const counts = await purgeExpired(env, NOW);
    expect(counts.unconfirmedUsers).toBeGreaterThanOrEqual(1);
    const left = async (email: string) => (await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = ?").bind(email).first<{ n: number }>())!.n;
    expect(await left(stale.email)).toBe(0);
    expect(await left(fresh.email)).toBe(1);
    expect(await left(old.email)).toBe(1);
    // Its follows and tokens went with it (cascade), and both its email and username can be registered again.
    const orphans = await env.DB.prepare(
      "SELECT (SELECT count(*) FROM follows WHERE follower_id NOT IN (SELECT id FROM users)) + (SELECT count(*) FROM auth_tokens WHERE user_id NOT IN (SELECT id FROM users)) AS n",
    ).first<{ n: number }>();
    expect(orphans!.n).toBe(0);
    expect((await register(new Client(), { ...stale, password: "someone new here" })).status).toBe(303);
  });
});

describe("the Worker's scheduled handler", () => {
  it("purges on the daily cron only, and sweeps mail on every run", async () => {
    const { createExecutionContext, createScheduledController, waitOnExecutionContext } = await import("cloudflare:test");
    const worker = (await import("../../src/index")).default;
    const { DAILY_CRON } = await import("../../src/maintenance/purge");
    const stale = () =>
      env.DB.prepare("INSERT INTO rate_events (bucket, key, created_at) VALUES ('cron', 'k', ?)")
        .bind(Date.now() - 3 * DAY)
        .run();
    const left = async () => (await env.DB.prepare("SELECT count(*) AS n FROM rate_events WHERE bucket = 'cron'").first<{ n: number }>())!.n;
    await stale();
    for (const [cron, expected] of [
      ["*/5 * * * *", 1],
      [DAILY_CRON, 0],
    ] as const) {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ cron, scheduledTime: Date.now() }), env, ctx);
      await waitOnExecutionContext(ctx);
      expect(await left()).toBe(expected);
    }
  });
});
