// The social rows of issue 12 for `npm run seed`: likes, hashtags (post_tags), notifications and private
// messages, planned in Node from what this run inserted and written as JSON-array batches (local-d1.mjs).
//
// What the database's own triggers do is left to them: posts.like_count follows post_likes
// (migrations/0008_likes.sql), each notification's first actor lands in notification_actors
// (migrations/0010_notifications.sql), and posts_fts / users_fts index every inserted post and member
// (migrations/0006_search.sql). checkSocial() verifies afterwards that they did.

import { fakeMessage } from "./fake-content.mjs";
import { insertPhase } from "./local-d1.mjs";
import { formatCount } from "./progress.mjs";

/** Messages per conversation on average (a few long threads, many short ones). */
const MESSAGES_PER_CONVERSATION = 6;

/**
 * The tables --reset empties before users, follows and posts, children first, so no cascade has to find them:
 * notifications (their actors cascade), messages, conversations, likes (their trigger lowers like_count), tags.
 */
export const SOCIAL_TABLES = ["notifications", "messages", "conversations", "post_likes", "post_tags"];

/** Members (id, joined, last seen) in id order, and this run's posts (id, author, time, body in the pool). */
export async function loadSocialBase(db, maxPostIdBefore, plannedPosts) {
  const users = (await db.prepare("SELECT id, lower(username) AS name, member_since AS since, last_seen AS seen FROM users ORDER BY id").all()).results;
  const { results } = await db.prepare("SELECT id FROM posts WHERE id > ? ORDER BY id").bind(maxPostIdBefore).all();
  if (results.length !== plannedPosts.length) {
    throw new Error(`found ${results.length} new posts, expected ${plannedPosts.length}: was someone posting while the seed ran?`);
  }
  const posts = plannedPosts.map((p, i) => ({ ...p, id: results[i].id }));
  return { users, posts };
}

// --- Hashtags -------------------------------------------------------------------------------------------------

/** post_tags rows for this run's posts: the tags the app's renderer found in each body (renderPost's `tags`). */
export async function insertTags(db, posts, bodies) {
  const total = posts.reduce((n, p) => n + bodies[p.body].tags.length, 0);
  await insertPhase(db, "tags", total, "post_tags", ["post_id", "tag", "created_at"], async (push) => {
    for (const p of posts) for (const tag of bodies[p.body].tags) await push([p.id, tag, p.time]);
  });
  return total;
}

// --- Likes ------------------------------------------------------------------------------------------------------

/**
 * `count` distinct (post, member) likes on this run's posts, as keys postIndex * users + userIndex: posts are picked
 * with a strong skew over a shuffled order (most posts get none or one, a few get dozens), members half uniformly,
 * half from a skewed "active likers" order. Self-likes happen (the app allows them; they notify nobody).
 */
export function planLikes(r, count, posts, users) {
  const U = users.length;
  const possible = posts.length * U;
  if (count * 2 > possible) throw new Error(`--likes ${count} is more than half of the ${formatCount(possible)} possible likes on the new posts`);
  const keys = new Set();
  const popular = r.shuffle(posts.map((_, i) => i));
  const active = r.shuffle(users.map((_, i) => i));
  while (keys.size < count) {
    const p = popular[r.skewed(popular.length, 3)];
    const u = r.chance(0.5) ? active[r.skewed(U, 2)] : r.int(U);
    keys.add(p * U + u);
  }
  return keys;
}

/**
 * The busy member (for the bench's notifications page) is the most prolific author among this run's posts. Adds
 * likes by others on their posts until their follows and likes by others reach `inbox` events (as many as there is
 * room for). Returns the member's id, or null when `inbox` is 0.
 */
export function addInboxLikes(r, keys, posts, users, follows, inbox) {
  if (inbox === 0 || posts.length === 0) return null;
  const U = users.length;
  const byAuthor = new Map();
  for (const p of posts) byAuthor.set(p.author, (byAuthor.get(p.author) ?? 0) + 1);
  const author = [...byAuthor].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
  const self = users.findIndex((u) => u.id === author);
  const theirs = posts.flatMap((p, i) => (p.author === author ? [i] : []));
  const followers = follows.filter((f) => f.followed === author && f.follower !== author).length;
  let likedByOthers = 0;
  for (const k of keys) if (posts[Math.floor(k / U)].author === author && k % U !== self) likedByOthers += 1;
  let wanted = Math.min(inbox - followers - likedByOthers, theirs.length * (U - 1) - likedByOthers);
  while (wanted > 0) {
    const key = theirs[r.int(theirs.length)] * U + r.int(U);
    if (key % U === self || keys.has(key)) continue;
    keys.add(key);
    wanted -= 1;
  }
  return author;
}

/** Writes the likes (the like_count trigger runs per row); returns them as events for the notifications. */
export async function insertLikes(r, db, keys, posts, users, now) {
  const U = users.length;
  const events = [];
  // Sorted keys: post index major (ids ascend with it), user index minor (ids too): appends to the primary key.
  const likeKeys = Float64Array.from(keys).sort();
  await insertPhase(db, "likes", likeKeys.length, "post_likes", ["post_id", "user_id", "created_at"], async (push) => {
    for (const key of likeKeys) {
      const post = posts[Math.floor(key / U)];
      const user = users[key % U];
      const from = Math.max(post.time, user.since);
      const at = from + Math.floor(r.next() * (now - from));
      events.push({ to: post.author, kind: "like", subject: post.id, actor: user.id, post: post.id, at });
      await push([post.id, user.id, at]);
    }
  });
  return events;
}

// --- Notifications ----------------------------------------------------------------------------------------------

/**
 * A mention notification for each member a post @mentions (renderPost's `mentions`, matched case-insensitively as
 * the app's subscriber does), from the post's author at the post's time; names nobody has are skipped.
 */
export function mentionEvents(posts, bodies, users) {
  const idOf = new Map(users.map((u) => [u.name, u.id]));
  const events = [];
  for (const p of posts) {
    for (const name of bodies[p.body].mentions) {
      const to = idOf.get(name.toLowerCase());
      if (to !== undefined) events.push({ to, kind: "mention", subject: p.id, actor: p.author, post: p.id, at: p.time });
    }
  }
  return events;
}

/**
 * Notification rows for this run's follows, likes and mentions, as the app's subscribers would have written them: nobody is
 * told of their own action; what happened before the recipient was last seen is read (one row per event, read when
 * they were last seen); what came after is unread and grouped per (recipient, kind, subject) — the latest actor and
 * time on the row, the other actors beside it, as the app's upsert does. The busy member has read everything and
 * keeps exactly `inbox` rows (the newest), for the bench.
 * Returns { rows: [values…], extraActors: Map(groupKey → actor ids) }, rows oldest first.
 */
export function planNotifications(events, users, busy, inbox, now) {
  const seenById = new Map(users.map((u) => [u.id, u.seen]));
  const rows = [];
  const groups = new Map();
  const busyEvents = [];
  for (const e of events) {
    if (e.to === e.actor) continue;
    if (e.to === busy) busyEvents.push(e);
    else if (e.at <= seenById.get(e.to)) rows.push([e.to, e.kind, e.subject, e.actor, e.post, null, e.at, seenById.get(e.to)]);
    else {
      const key = `${e.to}|${e.kind}|${e.subject}`;
      const group = groups.get(key);
      if (!group) groups.set(key, { latest: e, actors: new Set([e.actor]) });
      else {
        group.actors.add(e.actor);
        if (e.at > group.latest.at) group.latest = e;
      }
    }
  }
  busyEvents.sort((a, b) => b.at - a.at);
  for (const e of busyEvents.slice(0, inbox)) rows.push([e.to, e.kind, e.subject, e.actor, e.post, null, e.at, now]);
  const extraActors = new Map();
  for (const [key, { latest: e, actors }] of groups) {
    rows.push([e.to, e.kind, e.subject, e.actor, e.post, null, e.at, null]);
    actors.delete(e.actor);
    if (actors.size > 0) extraActors.set(key, [...actors]);
  }
  rows.sort((a, b) => a[6] - b[6]);
  return { rows, extraActors, busyCount: Math.min(inbox, busyEvents.length) };
}

/**
 * Writes the notifications (the trigger records each row's actor), then the other actors of the unread groups.
 * OR IGNORE: without --reset, a member may already have an unread group of the same kind and subject (the
 * partial unique index); that event is then skipped rather than failing the batch.
 */
export async function insertNotifications(db, plan, maxNotificationIdBefore) {
  const columns = ["user_id", "kind", "subject_id", "actor_id", "post_id", "comment_id", "created_at", "read_at"];
  await insertPhase(
    db,
    "notifs",
    plan.rows.length,
    "notifications",
    columns,
    async (push) => {
      for (const row of plan.rows) await push(row);
    },
    { orIgnore: true },
  );
  if (plan.extraActors.size === 0) return 0;
  const { results } = await db
    .prepare("SELECT id, user_id AS u, kind AS k, subject_id AS s FROM notifications WHERE id > ? AND read_at IS NULL")
    .bind(maxNotificationIdBefore)
    .all();
  const idOf = new Map(results.map((n) => [`${n.u}|${n.k}|${n.s}`, n.id]));
  const pairs = [];
  for (const [key, actors] of plan.extraActors) {
    const id = idOf.get(key);
    if (id !== undefined) for (const a of actors) pairs.push([id, a]);
  }
  await insertPhase(db, "actors", pairs.length, "notification_actors", ["notification_id", "actor_id"], async (push) => {
    for (const pair of pairs) await push(pair);
  });
  return pairs.length;
}

// --- Private messages -------------------------------------------------------------------------------------------

/**
 * About `total` messages in conversations of MESSAGES_PER_CONVERSATION on average (each at least one; the rest go
 * to a skewed few, so some threads are long). People write to whom they follow: pairs come from this run's follows
 * first, then at random; never a pair that already has a conversation. Senders alternate more often than not; the
 * last sender has read the thread, the other one has in 70% of conversations (else the last message is unread).
 */
export function planMessages(r, total, users, follows, existingPairs, now) {
  if (total === 0 || users.length < 2) return { conversations: [], messages: 0 };
  const sinceById = new Map(users.map((u) => [u.id, u.since]));
  const wanted = Math.max(1, Math.round(total / MESSAGES_PER_CONVERSATION));
  const pairs = new Map();
  const addPair = (a, b) => {
    if (a === b) return;
    const key = `${Math.min(a, b)}|${Math.max(a, b)}`;
    if (!pairs.has(key) && !existingPairs.has(key)) pairs.set(key, [a, b]);
  };
  for (const i of r.shuffle(follows.map((_, i) => i))) {
    if (pairs.size >= wanted) break;
    addPair(follows[i].follower, follows[i].followed);
  }
  for (let tries = 0; pairs.size < wanted && tries < wanted * 20; tries++) addPair(users[r.int(users.length)].id, users[r.int(users.length)].id);
  const list = [...pairs.values()];
  const counts = list.map(() => 1);
  for (let i = list.length; i < total; i++) counts[r.skewed(list.length, 2)] += 1;
  const conversations = list.map(([a, b], i) => {
    const from = Math.max(sinceById.get(a), sinceById.get(b));
    let at = from + Math.floor(r.next() * (now - from) * 0.9);
    let sender = a;
    const thread = [];
    for (let m = 0; m < counts[i]; m++) {
      if (m > 0) {
        at += Math.floor(r.next() * (now - at) * 0.2);
        if (r.chance(0.6)) sender = sender === a ? b : a;
      }
      thread.push({ sender, at, body: fakeMessage(r) });
    }
    const last = thread.at(-1);
    const otherRead = r.chance(0.7) ? last.at : thread.length > 1 ? thread.at(-2).at : 0;
    const [low, high] = a < b ? [a, b] : [b, a];
    const readAt = (id) => (id === last.sender ? last.at : otherRead);
    return { low, high, lastAt: last.at, lastSender: last.sender, lowRead: readAt(low), highRead: readAt(high), thread };
  });
  return { conversations, messages: counts.reduce((s, n) => s + n, 0) };
}

/** Writes the conversations, reads their ids back, then the messages oldest first. */
export async function insertMessages(db, plan, maxConversationIdBefore) {
  const { conversations } = plan;
  await insertPhase(
    db,
    "convos",
    conversations.length,
    "conversations",
    ["user_low", "user_high", "last_at", "last_sender_id", "low_read_at", "high_read_at"],
    async (push) => {
      for (const c of conversations) await push([c.low, c.high, c.lastAt, c.lastSender, c.lowRead, c.highRead]);
    },
  );
  if (conversations.length === 0) return;
  const { results } = await db.prepare("SELECT id, user_low AS low, user_high AS high FROM conversations WHERE id > ?").bind(maxConversationIdBefore).all();
  const idOf = new Map(results.map((c) => [`${c.low}|${c.high}`, c.id]));
  const rows = conversations.flatMap((c) => c.thread.map((m) => [idOf.get(`${c.low}|${c.high}`), m.sender, m.body, m.at]));
  rows.sort((a, b) => a[3] - b[3]);
  await insertPhase(db, "messages", rows.length, "messages", ["conversation_id", "sender_id", "body", "created_at"], async (push) => {
    for (const row of rows) await push(row);
  });
}

// --- Checks -----------------------------------------------------------------------------------------------------

/**
 * What the triggers were trusted with, checked: every like_count equals its post's likes; the FTS indexes pass
 * FTS5's integrity check against their content tables; a word of the newest seeded post finds that post through
 * posts_fts, and the newest member is found by username through users_fts. Throws when any of it is wrong.
 */
export async function checkSocial(db, newestPost, newestUser) {
  const wrong = await db.prepare("SELECT count(*) AS n FROM posts p WHERE p.like_count <> (SELECT count(*) FROM post_likes l WHERE l.post_id = p.id)").first();
  if (wrong.n > 0) throw new Error(`${wrong.n} posts have a like_count that differs from their post_likes rows`);
  for (const table of ["posts_fts", "users_fts"]) {
    await db.prepare(`INSERT INTO ${table} (${table}, rank) VALUES ('integrity-check', 1)`).run();
  }
  const found = [];
  if (newestPost) {
    const word = /[A-Za-z]{4,}/.exec(newestPost.body)?.[0];
    if (word) {
      const hit = await db.prepare("SELECT count(*) AS n FROM posts_fts WHERE posts_fts MATCH ? AND rowid = ?").bind(`"${word}"`, newestPost.id).first();
      if (hit.n !== 1) throw new Error(`search for "${word}" does not find post ${newestPost.id}, which contains it`);
      found.push(`"${word}" finds post ${newestPost.id}`);
    }
  }
  if (newestUser) {
    const hit = await db
      .prepare("SELECT count(*) AS n FROM users_fts WHERE users_fts MATCH ? AND rowid = ?")
      .bind(`username:"${newestUser.username}"`, newestUser.id)
      .first();
    if (hit.n !== 1) throw new Error(`search for "${newestUser.username}" does not find member ${newestUser.id}`);
    found.push(`"${newestUser.username}" finds member ${newestUser.id}`);
  }
  return found;
}
