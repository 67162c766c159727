// The seed's planners for the social rows (seed-social.mjs), in plain Node: `node --test scripts/lib/`.
// What the database's triggers then do with the rows is checked by the seed itself at the end of a run.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createRandom } from "./fake-content.mjs";
import { addInboxLikes, mentionEvents, planLikes, planMessages, planNotifications } from "./seed-social.mjs";

const NOW = 1_000_000;
const users = [
  { id: 1, name: "ada", since: 0, seen: 100 },
  { id: 2, name: "ben", since: 0, seen: 100 },
  { id: 3, name: "chen", since: 0, seen: 100 },
  { id: 4, name: "dana", since: 0, seen: 100 },
];
const like = (to, actor, post, at) => ({ to, kind: "like", subject: post, actor, post, at });
const follow = (to, actor, at) => ({ to, kind: "follow", subject: 0, actor, post: null, at });

test("events before the recipient was last seen are read, one row each; later ones group per subject while unread", () => {
  const events = [like(1, 2, 10, 50), like(1, 3, 10, 60), like(1, 2, 10, 150), like(1, 3, 10, 170), like(1, 1, 10, 180), follow(1, 3, 120), follow(1, 4, 130)];
  const plan = planNotifications(events, users, null, 0, NOW);
  const [userId, kind, subject, actor, post, comment, at, readAt] = [0, 1, 2, 3, 4, 5, 6, 7];
  const read = plan.rows.filter((r) => r[readAt] !== null);
  const unread = plan.rows.filter((r) => r[readAt] === null);
  assert.deepEqual(
    read.map((r) => [r[kind], r[actor], r[at], r[readAt]]),
    [
      ["like", 2, 50, 100],
      ["like", 3, 60, 100],
    ],
  );
  // One unread like group on post 10 (latest actor 3 at 170, the self-like skipped), one unread follow group.
  assert.deepEqual(
    unread.map((r) => [r[userId], r[kind], r[subject], r[actor], r[post], r[comment], r[at]]),
    [
      [1, "follow", 0, 4, null, null, 130],
      [1, "like", 10, 3, 10, null, 170],
    ],
  );
  assert.deepEqual(plan.extraActors.get("1|like|10"), [2]);
  assert.deepEqual(plan.extraActors.get("1|follow|0"), [3]);
  // Oldest first, as ids then grow with time.
  assert.deepEqual(
    plan.rows.map((r) => r[at]),
    [50, 60, 130, 170],
  );
});

test("the busy member keeps exactly the newest `inbox` notifications, all read", () => {
  const events = [1, 2, 3, 4, 5].map((i) => like(4, 1 + (i % 3), 20 + i, 200 + i));
  const plan = planNotifications(events, users, 4, 3, NOW);
  assert.equal(plan.busyCount, 3);
  assert.deepEqual(
    plan.rows.map((r) => [r[6], r[7]]),
    [
      [203, NOW],
      [204, NOW],
      [205, NOW],
    ],
  );
});

test("planLikes draws distinct likes and refuses more than half of what is possible", () => {
  const posts = Array.from({ length: 50 }, (_, i) => ({ id: 100 + i, author: 1 + (i % 4), time: i }));
  const keys = planLikes(createRandom(1), 60, posts, users);
  assert.equal(keys.size, 60);
  assert.throws(() => planLikes(createRandom(1), 101, posts, users), /more than half/);
});

test("addInboxLikes tops the most prolific author up to exactly `inbox` follows and likes by others", () => {
  const r = createRandom(7);
  const many = Array.from({ length: 40 }, (_, i) => ({ id: i + 1, name: `u${i}`, since: 0, seen: 0 }));
  const posts = Array.from({ length: 30 }, (_, i) => ({ id: 500 + i, author: i < 20 ? 5 : 6, time: i }));
  const follows = [
    { follower: 1, followed: 5, at: 1 },
    { follower: 2, followed: 5, at: 2 },
  ];
  const keys = planLikes(r, 25, posts, many);
  const busy = addInboxLikes(r, keys, posts, many, follows, 300);
  assert.equal(busy, 5);
  const U = many.length;
  const likesByOthers = [...keys].filter((k) => posts[Math.floor(k / U)].author === 5 && many[k % U].id !== 5).length;
  assert.equal(likesByOthers + follows.length, 300);
  assert.equal(addInboxLikes(r, keys, posts, many, follows, 0), null);
});

test("planMessages: one conversation per pair (low < high, none that exists), every message placed, the last sender has read it", () => {
  const many = Array.from({ length: 30 }, (_, i) => ({ id: i + 1, since: i * 10, seen: 0 }));
  const follows = [
    { follower: 3, followed: 2, at: 5 },
    { follower: 2, followed: 3, at: 6 },
    { follower: 4, followed: 9, at: 7 },
  ];
  const plan = planMessages(createRandom(3), 120, many, follows, new Set(["4|9"]), NOW);
  const pairs = plan.conversations.map((c) => `${c.low}|${c.high}`);
  assert.equal(new Set(pairs).size, pairs.length);
  assert.ok(!pairs.includes("4|9"));
  assert.ok(pairs.includes("2|3"));
  assert.equal(plan.messages, 120);
  assert.equal(
    plan.conversations.reduce((n, c) => n + c.thread.length, 0),
    120,
  );
  for (const c of plan.conversations) {
    assert.ok(c.low < c.high);
    assert.equal(c.lastAt, c.thread.at(-1).at);
    assert.equal(c.lastSender === c.low ? c.lowRead : c.highRead, c.lastAt);
    assert.ok(c.thread.every((m, i) => (m.sender === c.low || m.sender === c.high) && (i === 0 || m.at >= c.thread[i - 1].at) && m.at <= NOW));
    assert.ok(c.thread.every((m) => m.body.length > 0 && m.body.length <= 2000));
  }
  assert.deepEqual(planMessages(createRandom(3), 0, many, follows, new Set(), NOW), { conversations: [], messages: 0 });
});

test("mentionEvents: names match case-insensitively, unknown names are skipped", () => {
  const bodies = [{ mentions: ["Ben", "nobody"] }, { mentions: [] }];
  const posts = [
    { id: 70, author: 1, time: 40, body: 0 },
    { id: 71, author: 2, time: 41, body: 1 },
  ];
  assert.deepEqual(mentionEvents(posts, bodies, users), [{ to: 2, kind: "mention", subject: 70, actor: 1, post: 70, at: 40 }]);
});
