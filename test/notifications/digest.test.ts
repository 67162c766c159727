// The hourly notification digest: only members who chose kinds by mail, only those kinds, unread and new
// since their last digest, one mail per member per hour even when the cron runs twice or twice at once.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { HOUR } from "../../src/config";
import { HOURLY_CRON, sendDigests } from "../../src/features/notifications";
import { type Account, confirmedUser } from "../helpers/accounts";
import { insertPost } from "../helpers/posts";

const digestsTo = (to: string) =>
  env.DB.prepare(`SELECT subject, text FROM mail_outbox WHERE "to" = ? AND kind = 'notification_digest' ORDER BY id`)
    .bind(to)
    .all<{ subject: string; text: string }>()
    .then((r) => r.results);

/** A time in the hour after now: its digest covers everything written so far. */
const nextHour = () => Date.now() + HOUR;

async function fanOf(member: Account, prefix: string) {
  const fan = await confirmedUser(prefix);
  expect((await fan.client.post(`/follow/${member.username}`)).status).toBe(303);
  return fan;
}

describe("the hourly digest", () => {
  it("mails the chosen kinds once, even when the cron runs twice, and twice at once", async () => {
    const member = await confirmedUser("dgm");
    expect((await member.client.post("/notifications/settings", { mail_follow: "y" })).status).toBe(303);
    const fan = await fanOf(member, "dgf");
    const commenter = await confirmedUser("dgc");
    const postId = await insertPost(member.id, "my digest post", Date.now());
    expect((await commenter.client.post(`/post/${postId}/comments`, { body: "hello" })).status).toBe(303);
    const at = nextHour();
    await Promise.all([sendDigests(env, at), sendDigests(env, at)]);
    await sendDigests(env, at + 60_000);
    const mails = await digestsTo(member.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("[Roost] 1 new notification");
    expect(mails[0]!.text).toContain(`${fan.username} followed you.`);
    // Comments were not chosen by mail: they stay on the page only.
    expect(mails[0]!.text).not.toContain("commented");
    expect(mails[0]!.text).toContain("/notifications/settings");
  });

  it("mails nothing to members who chose nothing, and nothing already read or already mailed", async () => {
    const quiet = await confirmedUser("dgq");
    await fanOf(quiet, "dgqf");
    const reader = await confirmedUser("dgr");
    expect((await reader.client.post("/notifications/settings", { mail_follow: "y" })).status).toBe(303);
    await fanOf(reader, "dgrf");
    expect((await reader.client.get("/notifications")).status).toBe(200); // read on the page
    const at = nextHour();
    await sendDigests(env, at);
    expect(await digestsTo(quiet.email)).toEqual([]);
    expect(await digestsTo(reader.email)).toEqual([]);
    // The next hour: only what is new since this one.
    const later = await fanOf(reader, "dgrl");
    // It happened in the next hour (the clock does not move in a test; its row's time does).
    await env.DB.prepare("UPDATE notifications SET created_at = ? WHERE user_id = ? AND actor_id = ?")
      .bind(at + 1000, reader.id, later.id)
      .run();
    await sendDigests(env, at + HOUR);
    const mails = await digestsTo(reader.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain(`${later.username} followed you.`);
  });

  it("the Worker's scheduled handler runs it on the hourly cron", async () => {
    const { createExecutionContext, createScheduledController, waitOnExecutionContext } = await import("cloudflare:test");
    const worker = (await import("../../src/index")).default;
    const member = await confirmedUser("dgw");
    expect((await member.client.post("/notifications/settings", { mail_follow: "y" })).status).toBe(303);
    await fanOf(member, "dgwf");
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: HOURLY_CRON, scheduledTime: nextHour() }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await digestsTo(member.email)).toHaveLength(1);
  });
});
