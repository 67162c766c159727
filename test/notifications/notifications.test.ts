// Notifications: each kind is written by its event's subscriber (never for one's own action, nothing when
// the row is gone), unread ones group per subject, /notifications lists only the member's own newest first
// and marks them read, and the nav's badge counts the unread ones with no query of its own.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { getConfig } from "../../src/config";
import { getDb } from "../../src/db";
import { publish } from "../../src/events/commit";
import { postWithApiFan } from "../api/helpers";
import { type Account, confirmedUser, expectSentToLogin, unconfirmedUser } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { d1Queries, d1RowsRead, HX, rawPost } from "../helpers/http";
import { insertComment, insertPost } from "../helpers/posts";

/** The notification lines of a member's page, as text (tags stripped, whitespace collapsed). */
async function linesOf(member: Account, path = "/notifications"): Promise<string[]> {
  const res = await member.client.get(path);
  expect(res.status).toBe(200);
  const html = await res.text();
  return [...html.matchAll(/<li class="notification[^"]*">([\s\S]*?)<\/li>/g)].map((m) =>
    m[1]!
      .replace(/<[^>]+>/g, "")
      .replace(/&quot;/g, '"')
      .replace(/\s+/g, " ")
      .trim(),
  );
}

/** The nav's unread count as the member sees it on any page ("" when none). */
async function badgeOf(member: Account): Promise<string> {
  const html = await (await member.client.get("/explore")).text();
  const badge = html.match(/<span id="notification-badge"[^>]*>([\s\S]*?)<\/span>\s*<\/li>/);
  expect(badge).not.toBeNull();
  return badge![1]!.replace(/<[^>]+>/g, "").trim();
}

const comment = (who: Account, postId: number, body: string) => who.client.post(`/post/${postId}/comments`, { body });
const strip = (line: string) => line.replace(/\s*(just now|\d+ \w+ ago)$/, "");

describe("each kind", () => {
  it("a follow tells the followed member, with a link to the follower; the follower is told nothing", async () => {
    const alice = await confirmedUser("nfa");
    const bob = await confirmedUser("nfb");
    expect((await alice.client.post(`/follow/${bob.username}`)).status).toBe(303);
    expect((await linesOf(bob)).map(strip)).toEqual([`New: ${alice.username} followed you`]);
    expect(await (await bob.client.get("/notifications")).text()).toContain(`href="/user/${alice.username}"`);
    expect(await linesOf(alice)).toEqual([]);
  });

  it("a comment tells the post's author, quoting the post; commenting on one's own post tells nobody", async () => {
    const author = await confirmedUser("nca");
    const reader = await confirmedUser("ncr");
    const postId = await insertPost(author.id, "Thoughts on **rust** and other metals", Date.now());
    expect((await comment(author, postId, "my own note")).status).toBe(303);
    expect(await linesOf(author)).toEqual([]);
    expect((await comment(reader, postId, "nice")).status).toBe(303);
    expect((await linesOf(author)).map(strip)).toEqual([`New: ${reader.username} commented on your post: "Thoughts on **rust** and other metals"`]);
    expect(await linesOf(reader)).toEqual([]);
  });

  it("a comment tells everyone else who commented on the post (once each); the author only as the author", async () => {
    const author = await confirmedUser("nra");
    const early = await confirmedUser("nre");
    const late = await confirmedUser("nrl");
    const postId = await insertPost(author.id, "a thread", Date.now());
    await insertComment(postId, early.id, "first");
    await insertComment(postId, early.id, "second");
    await insertComment(postId, author.id, "author replies");
    expect((await comment(late, postId, "me too")).status).toBe(303);
    expect((await linesOf(early)).map(strip)).toEqual([`New: ${late.username} also commented on a post you commented on: "a thread"`]);
    expect((await linesOf(author)).map(strip)).toEqual([`New: ${late.username} commented on your post: "a thread"`]);
    expect(await linesOf(late)).toEqual([]);
  });

  it("a moderator disabling a comment tells its author without naming the moderator; enabling it again withdraws that", async () => {
    const writer = await confirmedUser("nmw");
    const moderator = await confirmedUser("nmm", { role: "Moderator" });
    const postId = await insertPost(moderator.id, "moderated thread", Date.now());
    const first = await insertComment(postId, writer.id, "something rude");
    const second = await insertComment(postId, writer.id, "something else rude");
    expect((await moderator.client.post(`/moderate/disable/${first}`)).status).toBe(303);
    expect((await moderator.client.post(`/moderate/disable/${second}`)).status).toBe(303);
    expect((await moderator.client.post(`/moderate/enable/${second}`)).status).toBe(303);
    const lines = (await linesOf(writer)).map(strip);
    expect(lines).toEqual(['New: A moderator disabled your comment: "something rude"']);
    expect(lines.join(" ")).not.toContain(moderator.username);
  });

  it("an event whose row is gone by the time it is handled writes nothing", async () => {
    const a = await confirmedUser("nga");
    const b = await confirmedUser("ngb");
    const ctx = { db: getDb(env.DB), config: getConfig(env), env, now: Date.now() };
    // No such follow, no such comment: the INSERT … SELECT selects nothing.
    await publish(ctx, [
      { type: "user.followed", followerId: a.id, followedId: b.id },
      { type: "comment.created", commentId: 999_999_999, postId: 999_999_999, authorId: a.id },
      { type: "comment.moderated", commentId: 999_999_999, disabled: true, moderatorId: a.id },
    ]);
    const n = await env.DB.prepare("SELECT count(*) AS n FROM notifications WHERE user_id IN (?, ?)").bind(a.id, b.id).first<{ n: number }>();
    expect(n!.n).toBe(0);
  });
});

describe("likes and mentions", () => {
  const notificationRows = async (userId: number, kind: string) =>
    (await env.DB.prepare("SELECT actor_id, subject_id FROM notifications WHERE user_id = ? AND kind = ?").bind(userId, kind).all()).results;

  it("a like tells the post's author, grouped per post; a repeated like or one's own like tells nobody", async () => {
    const author = await confirmedUser("nla");
    const fans = [await confirmedUser("nl1"), await confirmedUser("nl2"), await confirmedUser("nl3"), await confirmedUser("nl4")];
    const postId = await insertPost(author.id, "a likeable thought", Date.now());
    expect((await author.client.post(`/post/${postId}/like`)).status).toBe(303);
    expect(await notificationRows(author.id, "like")).toEqual([]);
    for (const fan of fans) expect((await fan.client.post(`/post/${postId}/like`)).status).toBe(303);
    expect((await linesOf(author)).map(strip)).toEqual([`New: ${fans[3]!.username} and 3 others liked your post: "a likeable thought"`]);
    // Read now: a like that adds nothing (already liked) must not start a new line.
    expect((await fans[0]!.client.post(`/post/${postId}/like`)).status).toBe(303);
    expect(await badgeOf(author)).toBe("");
    expect(await linesOf(fans[0]!)).toEqual([]);
  });

  it("a like through the API tells the author too; a like of a missing post writes nothing", async () => {
    const { author, fan, postId } = await postWithApiFan("nlapi");
    expect((await fan.api.post(`/posts/${postId}/like`)).status).toBe(200);
    expect((await fan.api.post(`/posts/${postId}/like`)).status).toBe(200);
    expect(await notificationRows(author.id, "like")).toEqual([{ actor_id: fan.id, subject_id: postId }]);
    expect((await fan.api.post("/posts/999999999/like")).status).toBe(404);
    const n = await env.DB.prepare("SELECT count(*) AS n FROM notifications WHERE actor_id = ?").bind(fan.id).first<{ n: number }>();
    expect(n!.n).toBe(1);
  });

  it("a new post tells each existing member it mentions, once, whatever the case; never the author", async () => {
    const author = await confirmedUser("nma");
    const bob = await confirmedUser("nmb");
    const body = `hey @${bob.username} and @${bob.username.toUpperCase()}, @${author.username} and @nosuchmember${Date.now()}`;
    expect((await author.client.post("/", { body })).status).toBe(303);
    expect((await linesOf(bob)).map(strip)).toEqual([`New: ${author.username} mentioned you: "${body.slice(0, 59)}…"`]);
    expect(await notificationRows(author.id, "mention")).toEqual([]);
  });

  it("editing a post tells only the members newly mentioned", async () => {
    const author = await confirmedUser("nme");
    const bob = await confirmedUser("nmeb");
    const carol = await confirmedUser("nmec");
    expect((await author.client.post("/", { body: `for @${bob.username}` })).status).toBe(303);
    const postId = (await env.DB.prepare("SELECT id FROM posts WHERE author_id = ?").bind(author.id).first<{ id: number }>())!.id;
    expect(await linesOf(bob)).toHaveLength(1); // read now
    expect((await author.client.post(`/edit/${postId}`, { body: `for @${bob.username} and @${carol.username}` })).status).toBe(303);
    expect(await notificationRows(bob.id, "mention")).toHaveLength(1);
    expect(await badgeOf(bob)).toBe("");
    expect((await linesOf(carol)).map(strip)).toEqual([`New: ${author.username} mentioned you: "for @${bob.username} and @${carol.username}"`]);
  });
});

describe("grouping and reading", () => {
  it("unread comments on one post read as one line counting people, not comments", async () => {
    const author = await confirmedUser("ngr");
    const postId = await insertPost(author.id, "popular", Date.now());
    const people = [await confirmedUser("ng1"), await confirmedUser("ng2"), await confirmedUser("ng3"), await confirmedUser("ng4")];
    for (const p of people) expect((await comment(p, postId, `hi from ${p.username}`)).status).toBe(303);
    expect((await comment(people[1]!, postId, "again")).status).toBe(303);
    // The latest actor is named; the other three are counted once each.
    expect((await linesOf(author)).map(strip)).toEqual([`New: ${people[1]!.username} and 3 others commented on your post: "popular"`]);
  });

  it("opening the page marks everything read; what comes after starts a new line, newest first", async () => {
    const author = await confirmedUser("nrd");
    const one = await confirmedUser("nr1");
    const two = await confirmedUser("nr2");
    const postId = await insertPost(author.id, "read me", Date.now());
    await comment(one, postId, "first");
    await one.client.post(`/follow/${author.username}`);
    expect(await badgeOf(author)).toBe("2 unread");
    expect((await linesOf(author)).map(strip)).toEqual([`New: ${one.username} followed you`, `New: ${one.username} commented on your post: "read me"`]);
    expect(await badgeOf(author)).toBe("");
    await comment(two, postId, "second");
    expect(await badgeOf(author)).toBe("1 unread");
    expect((await linesOf(author)).map(strip)).toEqual([
      `New: ${two.username} commented on your post: "read me"`,
      `${one.username} followed you`,
      `${one.username} commented on your post: "read me"`,
    ]);
  });

  it("the list is keyset paginated (25 a page) at a fixed cost, and every page marks read", async () => {
    const member = await confirmedUser("npg");
    const others = await Promise.all(Array.from({ length: 3 }, (_, i) => confirmedUser(`npo${i}`)));
    const start = Date.now() - 3_600_000;
    // 30 follow notifications, read already except the newest, each its own row (read rows never group).
    const stmts = Array.from({ length: 30 }, (_, i) =>
      env.DB.prepare("INSERT INTO notifications (user_id, kind, subject_id, actor_id, created_at, read_at) VALUES (?, 'follow', 0, ?, ?, ?)").bind(
        member.id,
        others[i % 3]!.id,
        start + i * 1000,
        i === 29 ? null : start,
      ),
    );
    await env.DB.batch(stmts);
    const first = await member.client.get("/notifications");
    expect(d1Queries(first)).toBe(2); // the session (with the badge's count) and one batch: page + mark read
    const html = await first.text();
    expect(html.match(/<li class="notification/g)).toHaveLength(25);
    const older = html.match(/href="(\/notifications\?page=2&amp;before=[\d.]+)"/)![1]!.replace(/&amp;/g, "&");
    const second = await member.client.get(older);
    expect(d1Queries(second)).toBe(2);
    expect((await second.text()).match(/<li class="notification/g)).toHaveLength(5);
  });
});

describe("the badge", () => {
  it("is in the nav of confirmed members only, and its refresh costs only the session's query", async () => {
    const member = await confirmedUser("nbm");
    const fan = await confirmedUser("nbf");
    await fan.client.post(`/follow/${member.username}`);
    const res = await member.client.get("/notifications/badge", HX);
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toContain("no-store");
    expect(d1Queries(res)).toBe(1);
    const html = await res.text();
    expect(html).toContain('hx-trigger="every 30s, roost:visible from:document"');
    expect(html.replace(/<[^>]+>/g, "").trim()).toBe("1 unread");
    expect(await (await new Client().get("/explore")).text()).not.toContain("notification-badge");
    const unconfirmed = await unconfirmedUser("nbu", { login: true });
    expect(await (await unconfirmed.client.get("/account")).text()).not.toContain("notification-badge");
  });

  it("puts the unread count in the tab title once there is one, and tells the refresh the count", async () => {
    const member = await confirmedUser("nbt");
    const fan = await confirmedUser("nbtf");
    const titleOf = async (path: string) => (await (await member.client.get(path)).text()).match(/<title>([^<]*)<\/title>/)?.[1];
    expect(await titleOf("/explore")).toBe("Explore · Roost");
    // Three unread notifications about three subjects (follows of one member would group into one).
    const insert = "INSERT INTO notifications (user_id, kind, subject_id, actor_id, created_at) VALUES (?, 'follow', ?, ?, ?)";
    await env.DB.batch([1, 2, 3].map((subject) => env.DB.prepare(insert).bind(member.id, subject, fan.id, Date.now())));
    expect(await titleOf("/explore")).toBe("(3) Explore · Roost");
    // The badge's refresh carries the count for public/app.js to put in document.title.
    expect(await (await member.client.get("/notifications/badge", HX)).text()).toContain('data-unread="3"');
    // Opening the list reads them all: its own title has no count, nor do later pages.
    expect(await titleOf("/notifications")).toBe("Notifications · Roost");
    expect(await titleOf("/explore")).toBe("Explore · Roost");
    expect(await (await member.client.get("/notifications/badge", HX)).text()).toContain('data-unread="0"');
  });

  it("counts 99+ at most", async () => {
    const member = await confirmedUser("nb99");
    const fan = await confirmedUser("nb99f");
    const stmts = Array.from({ length: 120 }, (_, i) =>
      env.DB.prepare("INSERT INTO notifications (user_id, kind, subject_id, actor_id, created_at) VALUES (?, 'follow', ?, ?, ?)").bind(
        member.id,
        i + 1,
        fan.id,
        Date.now(),
      ),
    );
    await env.DB.batch(stmts);
    expect(await badgeOf(member)).toBe("99+ unread");
  });
});

describe("someone else's and bad requests", () => {
  it("a member sees only their own notifications, and nobody else's reading marks theirs read", async () => {
    const owner = await confirmedUser("nso");
    const stranger = await confirmedUser("nss");
    const admin = await confirmedUser("nsa", { role: "Administrator" });
    const fan = await confirmedUser("nsf");
    await fan.client.post(`/follow/${owner.username}`);
    expect(await linesOf(stranger)).toEqual([]);
    expect(await linesOf(admin)).toEqual([]);
    expect(await badgeOf(owner)).toBe("1 unread");
  });

  it("anonymous visitors are sent to log in; unconfirmed members to confirm", async () => {
    for (const path of ["/notifications", "/notifications/badge", "/notifications/settings"]) expectSentToLogin(await new Client().get(path));
    const unconfirmed = await unconfirmedUser("nsu", { login: true });
    const res = await unconfirmed.client.get("/notifications");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/auth/unconfirmed");
  });

  it("wrong methods answer 405 with Allow", async () => {
    const member = await confirmedUser("nsm");
    for (const path of ["/notifications", "/notifications/badge"]) {
      const res = await member.client.post(path);
      expect(res.status).toBe(405);
      expect(res.headers.get("Allow")).toContain("GET");
    }
  });
});

describe("mail settings", () => {
  it("are off by default, saved as ticked, and a tampered value is a 422 that changes nothing", async () => {
    const member = await confirmedUser("nms");
    const form = async () => (await (await member.client.get("/notifications/settings")).text()).match(/name="mail_\w+"[^>]*checked/g) ?? [];
    expect(await form()).toEqual([]);
    const saved = await member.client.post("/notifications/settings", { mail_follow: "y", mail_moderated: "y" });
    expect(saved.status).toBe(303);
    const row = () => env.DB.prepare("SELECT mail_kinds AS bits FROM notification_settings WHERE user_id = ?").bind(member.id).first<{ bits: number }>();
    expect((await row())!.bits).toBe(1 | 8);
    expect((await form()).map((m) => m.match(/mail_\w+/)![0])).toEqual(["mail_follow", "mail_moderated"]);
    const bad = await member.client.post("/notifications/settings", { mail_follow: "yes please" });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("That form was not sent as the page has it");
    expect((await row())!.bits).toBe(1 | 8);
    const htmx = await member.client.post("/notifications/settings", { mail_comment: "y" }, HX);
    expect(htmx.status).toBe(200);
    expect(await htmx.text()).toContain("Your choices have been saved.");
    expect((await row())!.bits).toBe(2);
  });

  it("refuse a cross-site post (CSRF)", async () => {
    const member = await confirmedUser("nmc");
    const res = await rawPost(
      "/notifications/settings",
      { Origin: "https://evil.example", Cookie: `__Host-session=${member.client.session()}` },
      { mail_follow: "y" },
    );
    expect(res.status).toBe(403);
    const row = await env.DB.prepare("SELECT count(*) AS n FROM notification_settings WHERE user_id = ?").bind(member.id).first<{ n: number }>();
    expect(row!.n).toBe(0);
  });
});

describe("a member with a long history", () => {
  it("pays for their unread notifications only: the badge's count does not read the read ones", async () => {
    const member = await confirmedUser("nhist");
    const actor = await confirmedUser("nhista");
    // 400 old, read notifications and 2 unread ones, written directly (as years of use would leave them).
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 402)
       INSERT INTO notifications (user_id, kind, subject_id, actor_id, created_at, read_at)
       SELECT ?1, 'follow', i, ?2, i, CASE WHEN i <= 400 THEN i ELSE NULL END FROM n`,
    )
      .bind(member.id, actor.id)
      .run();
    const res = await member.client.get("/notifications/badge");
    expect(res.status).toBe(200);
    expect((await res.text()).replace(/<[^>]+>/g, " ")).toMatch(/\b2\b/);
    // The session's user row, its unread counts and the badge: a handful of index entries, not 400 rows.
    expect(d1RowsRead(res)).toBeLessThan(100);
  });
});
