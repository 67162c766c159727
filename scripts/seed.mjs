// `npm run seed -- [--users N] [--posts M] [--follows K] [--likes L] [--messages P] [--visits V] [--reset]`: fills the
// LOCAL D1 database that `npm start` (wrangler dev) uses with fake members, follows, Markdown posts (some with
// #hashtags), likes, notifications and private messages, for trying the app and for `npm run bench`.
// Every seeded member is confirmed, has role User and the password `password`.
//
// Fast by design: the password is hashed once (PBKDF2 at the app's cost) and shared; post bodies are rendered by the
// app's own Markdown renderer into a pool of distinct bodies; rows go straight into the local D1 through Miniflare
// as JSON-array batches (see lib/local-d1.mjs) instead of through HTTP or `wrangler d1 execute`.
import { createHash, pbkdf2Sync, randomBytes, randomInt } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { fail, formatSeconds, log, root } from "./common.mjs";
import { createRandom, fakePostMarkdown, fakeUser, withHashtags, withMention } from "./lib/fake-content.mjs";
import { applyMigrations, d1PersistDir, insertPhase, openLocalD1, tableExists } from "./lib/local-d1.mjs";
import { createProgress, formatCount } from "./lib/progress.mjs";
import {
  addInboxLikes,
  checkSocial,
  insertLikes,
  insertMessages,
  insertNotifications,
  insertTags,
  loadSocialBase,
  mentionEvents,
  planLikes,
  planMessages,
  planNotifications,
  SOCIAL_TABLES,
} from "./lib/seed-social.mjs";

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const PASSWORD = "password";

const HELP = `Usage: npm run seed -- [options]

Fills the local D1 database (.wrangler/state, the one npm start uses) with fake data.
All seeded members are confirmed, role User, password "${PASSWORD}".

  --users N            members to create (default 100)
  --posts M            posts to create (default 2000)
  --follows K          follows between members, besides each member following themselves (default 1000)
  --likes L            likes on this run's posts (default: as many as posts, 1 per post on average; skewed: most
                       posts get none or one, a few get dozens). posts.like_count follows them (trigger)
  --tagged P           percent of posts that end with 1-3 #hashtags (default 25); stored in post_tags as the app
                       stores them (its own renderer finds them); a few tags are on many posts, most on few
  --mentions P         percent of posts that end with an @mention of a member (default 5): a mention
                       notification each, as the app sends them
  --messages P         private messages (default 3 per new member), ~6 per conversation (a few long threads),
                       mostly between people who follow each other; 30% of conversations end unread
  --inbox N            the most prolific new author ends up with exactly N notifications, all read (default
                       10000: the bench's notifications page); extra likes on their posts make up the number
                       (fewer when their posts cannot take that many; the summary says). 0 = no such member
  --visits V           analytics visits over the last 30 days for a "Demo site" of the first seeded member
                       (default 0), with its rollups (see scripts/seed-visits.mjs)
  --reset              delete ALL users, posts and follows first (registered accounts too), and with them all
                       likes, hashtags, notifications, conversations and messages
  --seed S             random seed, to reproduce a data set (default: random, printed)
  --distinct-bodies B  distinct post bodies rendered through the app's Markdown renderer (default 3000;
                       ~0.25 ms each; posts share them at random)
  -h, --help           this text

Proportions (defaults): a quarter of posts carry 1-3 #hashtags, 1 in 20 an @mention; 1 like per post on
average; 3 private messages per member; every new follow, every like of someone else's post and every
mention notifies, as the app does.
What happened before the recipient was last seen is read (one row per event); what came after is unread and
grouped per post ("alice and 3 others liked your post"), one unread follow group per member. So at 10k
members, 200k posts and 500k follows: ~210k likes, ~95k hashtag rows on ~50k posts, ~720k notifications,
~30k messages in ~5k conversations. No comments are seeded, so no comment or reply notifications.
Afterwards the seed checks that every like_count matches its likes and that posts_fts and users_fts pass
FTS5's integrity-check and find the newest post and member.`;

function parseCount(name, raw, fallback) {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new Error(`--${name} must be a whole number, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      users: { type: "string" },
      posts: { type: "string" },
      follows: { type: "string" },
      likes: { type: "string" },
      tagged: { type: "string" },
      mentions: { type: "string" },
      messages: { type: "string" },
      inbox: { type: "string" },
      visits: { type: "string" },
      reset: { type: "boolean", default: false },
      seed: { type: "string" },
      "distinct-bodies": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const users = parseCount("users", values.users, 100);
  const posts = parseCount("posts", values.posts, 2000);
  const tagged = parseCount("tagged", values.tagged, 25);
  const mentions = parseCount("mentions", values.mentions, 5);
  for (const [name, value] of [
    ["tagged", tagged],
    ["mentions", mentions],
  ]) {
    if (value > 100) throw new Error(`--${name} is a percentage (0-100), got ${value}`);
  }
  return {
    help: values.help,
    users,
    posts,
    follows: parseCount("follows", values.follows, 1000),
    likes: parseCount("likes", values.likes, posts),
    tagged,
    mentions,
    messages: parseCount("messages", values.messages, users * 3),
    inbox: parseCount("inbox", values.inbox, 10_000),
    visits: parseCount("visits", values.visits, 0),
    reset: values.reset,
    seed: parseCount("seed", values.seed, randomInt(2 ** 31)),
    distinctBodies: Math.max(1, parseCount("distinct-bodies", values["distinct-bodies"], 3000)),
  };
}

// --- The app's own code (TypeScript, loaded through tsx) ------------------------------------------------------

/**
 * Imports a module from src/ with tsx. Retries for a while when the file is missing or does not compile yet
 * (a colleague may be saving it right now), then gives up with a message saying what is missing.
 */
async function importAppModule(relativePath, what, attempts = 15) {
  let tsImport;
  try {
    ({ tsImport } = await import("tsx/esm/api"));
  } catch {
    throw new Error("tsx is not installed (it comes with drizzle-kit / vitest): run npm install first");
  }
  const file = path.join(root, relativePath);
  for (let attempt = 1; ; attempt++) {
    try {
      if (!existsSync(file)) throw new Error(`${relativePath} does not exist`);
      return await tsImport(file, import.meta.url);
    } catch (error) {
      if (attempt >= attempts) throw new Error(`cannot load ${what} from ${relativePath}: ${error.message}`);
      if (attempt === 1) log(`waiting for ${relativePath} (${error.message.split("\n")[0]}); retrying for ${attempts * 2}s…`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

/**
 * The shared password hash, in the app's format `pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>`. Hashed once
 * with Node's PBKDF2 (fast, native), then checked with the app's own verifyPassword so a format drift fails here
 * instead of at login.
 */
async function sharedPasswordHash() {
  const { PBKDF2_ITERATIONS, verifyPassword } = await importAppModule("src/lib/password.ts", "the password helpers");
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(PASSWORD.normalize("NFKC"), salt, PBKDF2_ITERATIONS, 32, "sha256");
  const stored = `pbkdf2_sha256$${PBKDF2_ITERATIONS}$${salt.toString("base64")}$${hash.toString("base64")}`;
  const check = await verifyPassword(PASSWORD, stored);
  if (!check.ok || check.needsRehash) throw new Error("the seed's password hash does not verify with src/lib/password.ts: update scripts/seed.mjs");
  return stored;
}

/**
 * Renders `count` distinct Markdown bodies through the app's renderer: { source, html, tags, mentions }. `tagged`
 * percent of them end with #hashtags, `mentioning` percent with an @mention of one of `usernames`; which tags and
 * names a body has is what the app's renderPost reports (as the posts service stores and announces them), not
 * what the generator meant.
 */
async function renderBodyPool(r, count, { tagged, mentioning, usernames }) {
  const { renderPost } = await importAppModule("src/lib/markdown.ts", "renderPost");
  const seen = new Set();
  const pool = [];
  for (let tries = 0; pool.length < count && tries < count * 3; tries++) {
    let source = fakePostMarkdown(r);
    if (r.next() * 100 < tagged) source = withHashtags(r, source);
    if (usernames.length > 0 && r.next() * 100 < mentioning) source = withMention(r, source, r.pick(usernames));
    if (seen.has(source)) continue;
    seen.add(source);
    const { html, tags, mentions } = renderPost(source);
    pool.push({ source, html, tags, mentions });
  }
  return pool;
}

// --- Database steps -------------------------------------------------------------------------------------------

async function checkSchema(db) {
  for (const table of ["roles", "users", "follows", "posts"]) {
    if (!(await tableExists(db, table))) throw new Error(`table ${table} is missing after migrations: is migrations/ complete?`);
  }
  const role = await db.prepare("SELECT id FROM roles WHERE is_default = 1 ORDER BY id LIMIT 1").first();
  if (!role) throw new Error("no default role in the roles table: the roles migration (0001_roles.sql) has not run");
  return role.id;
}

/**
 * Deletes the social rows (seed-social.mjs SOCIAL_TABLES), follows and posts first, then users (whose foreign
 * keys cascade to tokens and anything newer). The AUTOINCREMENT counters are kept on purpose: new ids never
 * reuse an old one, so a browser still holding a session cookie of a deleted account cannot wake up as a
 * different seeded member.
 */
async function wipe(db) {
  const wipeStart = performance.now();
  const counts = [];
  for (const table of [...SOCIAL_TABLES, "follows", "posts", "users"]) {
    // Counted first: D1's meta.changes also counts what triggers change (the search index's rows, like_count).
    const [count] = await db.batch([db.prepare(`SELECT count(*) AS n FROM ${table}`), db.prepare(`DELETE FROM ${table}`)]);
    counts.push(`${formatCount(count.results[0].n)} ${table}`);
  }
  log(`--reset: deleted ${counts.join(", ")} in ${formatSeconds(performance.now() - wipeStart)}`);
}

async function loadExistingUsers(db) {
  const { results } = await db.prepare("SELECT id, lower(username) AS username, email, member_since AS memberSince FROM users").all();
  return results;
}

/** Existing follows between two different members (self-follows never collide: planFollows skips a === b). */
async function loadFollowKeys(db, keyOf) {
  const { results } = await db.prepare("SELECT follower_id AS a, followed_id AS b FROM follows WHERE follower_id <> followed_id").all();
  return new Set(results.map((row) => keyOf(row.a, row.b)));
}

/** Refuses impossible requests before anything is written (no half-seeded database). */
async function checkFeasible(db, opts, existingCount) {
  if (opts.users === 0 && existingCount === 0 && (opts.posts > 0 || opts.follows > 0)) {
    throw new Error("there are no users to post or follow: pass --users N");
  }
  // Followers are the new members (or, with --users 0, the existing ones); anyone else can be followed.
  const actors = opts.users > 0 ? opts.users : existingCount;
  const taken = opts.users > 0 || opts.reset ? 0 : (await db.prepare("SELECT count(*) AS n FROM follows WHERE follower_id <> followed_id").first()).n;
  const possible = actors * (existingCount + opts.users - 1) - taken;
  if (opts.follows > possible) throw new Error(`--follows ${opts.follows} is more than the ${formatCount(possible)} possible new follows for these users`);
  const likers = existingCount + opts.users;
  if (opts.likes * 2 > opts.posts * likers) {
    throw new Error(
      `--likes ${opts.likes} is more than half of the ${formatCount(opts.posts * likers)} possible likes on ${formatCount(opts.posts)} new posts`,
    );
  }
}

// --- Planning: who exists, who posts when, who follows whom ------------------------------------------------------

function planUsers(r, count, existing, now) {
  const takenNames = new Set(existing.map((u) => u.username));
  const takenEmails = new Set(existing.map((u) => u.email));
  const people = [];
  while (people.length < count) {
    const person = fakeUser(r, takenNames);
    if (takenEmails.has(person.email)) continue;
    takenEmails.add(person.email);
    // Joined some time in the last year, at least an hour ago, so everything they did fits after it.
    person.memberSince = now - HOUR_MS - Math.floor(r.next() * (YEAR_MS - HOUR_MS));
    person.lastActivity = person.memberSince;
    people.push(person);
  }
  return people;
}

/**
 * Authors and times for `count` posts, oldest first, so ids grow with created_at as they would in real life. A
 * skewed pick over a shuffled order gives a few prolific authors and a long tail (and ids do not predict who).
 */
function planPosts(r, count, actors, now) {
  const order = r.shuffle(actors.map((_, i) => i));
  const authors = new Uint32Array(count);
  const times = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const actor = order[r.skewed(order.length, 2)];
    const since = actors[actor].memberSince;
    authors[i] = actor;
    times[i] = since + Math.floor(r.next() * (now - since));
    actors[actor].lastActivity = Math.max(actors[actor].lastActivity, times[i]);
  }
  const sorted = new Uint32Array(count).map((_, i) => i).sort((a, b) => times[a] - times[b]);
  return { authors, times, sorted };
}

/**
 * K distinct (follower, followed) pairs: followers are this run's actors, followed anyone, never oneself, never a
 * pair that already exists. Half the picks favour popular members. When K is at least half of what is possible,
 * enumerate and sample instead, since rejection sampling would crawl.
 */
function planFollows(r, count, actorIds, allIds, existingKeys, keyOf) {
  const possible = actorIds.length * (allIds.length - 1) - existingKeys.size;
  if (count > possible) throw new Error(`--follows ${count} is more than the ${possible} possible new follows for these users`);
  const keys = new Set();
  if (count * 2 >= possible) {
    const candidates = [];
    for (const a of actorIds) for (const b of allIds) if (a !== b && !existingKeys.has(keyOf(a, b))) candidates.push(keyOf(a, b));
    for (const k of r.shuffle(candidates).slice(0, count)) keys.add(k);
  } else {
    const popular = r.shuffle([...allIds]);
    while (keys.size < count) {
      const a = actorIds[r.int(actorIds.length)];
      const b = r.chance(0.5) ? popular[r.skewed(popular.length, 2)] : allIds[r.int(allIds.length)];
      const key = keyOf(a, b);
      if (a !== b && !existingKeys.has(key)) keys.add(key);
    }
  }
  // Insert in primary-key order: appending to the B-tree is much cheaper than random inserts.
  return Float64Array.from(keys).sort();
}

// --- Main ---------------------------------------------------------------------------------------------------

async function seed(opts) {
  const started = performance.now();
  const now = Date.now();
  const r = createRandom(opts.seed);

  log(`seeding ${path.relative(root, d1PersistDir)} (seed ${opts.seed}): applying migrations`);
  const applied = await applyMigrations();
  log(`${applied > 0 ? `applied ${applied} migration(s)` : "migrations up to date"} in ${formatSeconds(performance.now() - started)}`);

  const { db, close } = await openLocalD1();
  try {
    const roleId = await checkSchema(db);
    const before = opts.reset ? [] : await loadExistingUsers(db);
    await checkFeasible(db, opts, before.length);
    if (opts.reset) await wipe(db);
    const existing = opts.reset ? await loadExistingUsers(db) : before;
    const maxExistingId = existing.reduce((m, u) => Math.max(m, u.id), 0);

    const passwordHash = opts.users > 0 ? await sharedPasswordHash() : null;
    // New members (or, with --users 0, the existing ones) write the posts and do the following.
    const people = planUsers(r, opts.users, existing, now);
    const actors = people.length > 0 ? people : existing.map((u) => ({ ...u, lastActivity: u.memberSince }));
    const renderStart = performance.now();
    const bodies =
      opts.posts > 0
        ? await renderBodyPool(r, Math.min(opts.posts, opts.distinctBodies), {
            tagged: opts.tagged,
            mentioning: opts.mentions,
            usernames: [...existing, ...people].map((u) => u.username),
          })
        : [];
    if (bodies.length)
      log(`rendered ${formatCount(bodies.length)} distinct post bodies with src/lib/markdown.ts in ${formatSeconds(performance.now() - renderStart)}`);
    const posts = planPosts(r, opts.posts, actors, now);

    console.log("");
    await insertPhase(
      db,
      "users",
      people.length,
      "users",
      ["email", "username", "password_hash", "role_id", "confirmed", "name", "location", "about_me", "member_since", "last_seen", "avatar_hash"],
      async (push) => {
        for (const p of people) {
          const lastSeen = p.lastActivity + Math.floor(r.next() * (now - p.lastActivity));
          const avatar = createHash("md5").update(p.email.trim().toLowerCase()).digest("hex");
          await push([p.email, p.username, passwordHash, roleId, 1, p.name, p.location, p.aboutMe, p.memberSince, lastSeen, avatar]);
        }
      },
    );

    // Ids come from the database; match them back by username (someone may register while we run).
    if (people.length > 0) {
      const { results } = await db.prepare("SELECT id, lower(username) AS username FROM users WHERE id > ?").bind(maxExistingId).all();
      const idByName = new Map(results.map((row) => [row.username, row.id]));
      for (const p of people) p.id = idByName.get(p.username.toLowerCase());
      if (people.some((p) => p.id === undefined)) throw new Error("some inserted users could not be found again");
    }

    // Everyone follows themselves: the app shows your own posts in your Followed feed.
    await insertPhase(db, "self", people.length, "follows", ["follower_id", "followed_id", "created_at"], async (push) => {
      for (const p of people) await push([p.id, p.id, p.memberSince]);
    });

    const all = [...existing, ...people];
    const sinceById = new Map(all.map((u) => [u.id, u.memberSince]));
    const span = all.reduce((m, u) => Math.max(m, u.id), 0) + 1;
    const keyOf = (a, b) => a * span + b;
    const existingKeys = people.length > 0 || opts.follows === 0 ? new Set() : await loadFollowKeys(db, keyOf);
    const followKeys = planFollows(
      r,
      opts.follows,
      actors.map((a) => a.id),
      all.map((u) => u.id),
      existingKeys,
      keyOf,
    );
    const newFollows = []; // this run's follows between two members: each notifies (seed-social.mjs)
    await insertPhase(db, "follows", followKeys.length, "follows", ["follower_id", "followed_id", "created_at"], async (push) => {
      for (const key of followKeys) {
        const a = Math.floor(key / span);
        const b = key - a * span;
        const since = Math.max(sinceById.get(a), sinceById.get(b));
        const at = since + Math.floor(r.next() * (now - since));
        newFollows.push({ follower: a, followed: b, at });
        await push([a, b, at]);
      }
    });

    const maxIds = await maxIdsOf(db, ["posts", "notifications", "conversations"]);
    const plannedPosts = []; // in insertion order: ids ascend with it
    await insertPhase(db, "posts", opts.posts, "posts", ["author_id", "body", "body_html", "created_at", "updated_at"], async (push) => {
      for (const i of posts.sorted) {
        const body = r.int(bodies.length);
        const author = actors[posts.authors[i]].id;
        plannedPosts.push({ author, time: posts.times[i], body });
        await push([author, bodies[body].source, bodies[body].html, posts.times[i], posts.times[i]]);
      }
    });

    const social = await seedSocial(db, r, opts, { now, bodies, plannedPosts, newFollows, maxIds });

    if (opts.visits > 0) {
      const { seedVisits } = await import("./seed-visits.mjs");
      const progress = createProgress("visits", opts.visits);
      let shown = 0;
      const onProgress = (n) => {
        progress.add(n - shown);
        shown = n;
      };
      const site = await seedVisits(db, { visits: opts.visits, onProgress });
      progress.finish();
      log(`visits: site ${site.siteId} (${site.baseUrl}), rollups rebuilt in ${formatSeconds(site.rollupMs)} — log in as ${site.ownerEmail} / ${PASSWORD}`);
    }

    await summarize(db, opts, started, social);
  } finally {
    await close();
  }
}

/** The largest id of each table now (0 when empty): rows with a larger id are this run's. */
async function maxIdsOf(db, tables) {
  const results = await db.batch(tables.map((t) => db.prepare(`SELECT coalesce(max(id), 0) AS n FROM ${t}`)));
  return Object.fromEntries(tables.map((t, i) => [t, results[i].results[0].n]));
}

/**
 * Hashtags, likes, notifications and messages for this run's posts, follows and members (lib/seed-social.mjs),
 * then the checks that the triggers kept like_count and the search indexes right.
 */
async function seedSocial(db, r, opts, { now, bodies, plannedPosts, newFollows, maxIds }) {
  const { users, posts } = await loadSocialBase(db, maxIds.posts, plannedPosts);
  const tags = await insertTags(db, posts, bodies);
  const likeKeys = posts.length > 0 ? planLikes(r, opts.likes, posts, users) : new Set();
  const busy = addInboxLikes(r, likeKeys, posts, users, newFollows, opts.inbox);
  const likeEvents = await insertLikes(r, db, likeKeys, posts, users, now);
  const followEvents = newFollows.map((f) => ({ to: f.followed, kind: "follow", subject: 0, actor: f.follower, post: null, at: f.at }));
  const plan = planNotifications([...followEvents, ...likeEvents, ...mentionEvents(posts, bodies, users)], users, busy, opts.inbox, now);
  const extraActors = await insertNotifications(db, plan, maxIds.notifications);
  const existingPairs = opts.reset
    ? new Set()
    : new Set((await db.prepare("SELECT user_low AS l, user_high AS h FROM conversations").all()).results.map((c) => `${c.l}|${c.h}`));
  const messages = planMessages(r, opts.messages, users, newFollows, existingPairs, now);
  await insertMessages(db, messages, maxIds.conversations);
  const newest = posts.at(-1);
  const newestUser = await db.prepare("SELECT id, username FROM users ORDER BY id DESC LIMIT 1").first();
  const checkStart = performance.now();
  const checks = await checkSocial(db, newest ? { id: newest.id, body: bodies[newest.body].source } : null, newestUser);
  const busyUser = busy === null ? null : await db.prepare("SELECT username, email FROM users WHERE id = ?").bind(busy).first();
  return {
    rows: tags + likeKeys.size + plan.rows.length + extraActors + messages.conversations.length + messages.messages,
    text:
      `${formatCount(tags)} hashtags, ${formatCount(likeKeys.size)} likes, ${formatCount(plan.rows.length)} notifications ` +
      `(${kindCounts(plan.rows)}; +${formatCount(extraActors)} grouped actors), ${formatCount(messages.messages)} messages in ${formatCount(messages.conversations.length)} conversations`,
    busy: busyUser ? { ...busyUser, notifications: plan.busyCount } : null,
    checks: [...checks, `in ${formatSeconds(performance.now() - checkStart)}`],
  };
}

/** "2,907 follow, 15,518 like, 300 mention" from notification rows (kind is their second value). */
function kindCounts(rows) {
  const counts = new Map();
  for (const row of rows) counts.set(row[1], (counts.get(row[1]) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${formatCount(n)} ${kind}`).join(", ");
}

async function summarize(db, opts, started, social) {
  const totals = await db.batch(["users", "follows", "posts"].map((t) => db.prepare(`SELECT count(*) AS n FROM ${t}`)));
  const [users, follows, posts] = totals.map((t) => t.results[0].n);
  const top = await db
    .prepare("SELECT u.username, u.email, count(*) AS n FROM posts p JOIN users u ON u.id = p.author_id GROUP BY p.author_id ORDER BY n DESC LIMIT 1")
    .first();
  const elapsed = performance.now() - started;
  const inserted = opts.users * 2 + opts.follows + opts.posts + opts.visits + social.rows;
  console.log("");
  log(
    `done in ${formatSeconds(elapsed)}: inserted ${formatCount(opts.users)} users, ${formatCount(opts.users + opts.follows)} follows ` +
      `(${formatCount(opts.users)} self), ${formatCount(opts.posts)} posts, ${social.text}${opts.visits ? `, ${formatCount(opts.visits)} visits` : ""} — ${formatCount(inserted / (elapsed / 1000))} rows/s overall`,
  );
  log(`database now holds ${formatCount(users)} users, ${formatCount(follows)} follows, ${formatCount(posts)} posts`);
  if (top) log(`most prolific: ${top.username} (${formatCount(top.n)} posts) — log in as ${top.email} / ${PASSWORD}`);
  if (social.busy) log(`${formatCount(social.busy.notifications)} notifications: ${social.busy.username} — log in as ${social.busy.email} / ${PASSWORD}`);
  log(`checked: like_count matches post_likes; posts_fts and users_fts pass FTS5's integrity-check; ${social.checks.join("; ")}`);
  log("npm start serves this data; a wrangler dev that is already running sees it on its next request");
}

try {
  const opts = parseOptions(process.argv.slice(2));
  if (opts.help) {
    console.log(HELP);
  } else {
    await seed(opts);
  }
} catch (error) {
  fail(error.message);
  process.exitCode = 1;
}
