// `npm run seed -- [--users N] [--posts M] [--follows K] [--visits V] [--reset]`: fills the LOCAL D1 database that `npm start`
// (wrangler dev) uses with fake members, follows and Markdown posts, for trying the app and for `npm run bench`.
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
import { createRandom, fakePostMarkdown, fakeUser } from "./lib/fake-content.mjs";
import { applyMigrations, createJsonInserter, d1PersistDir, openLocalD1, tableExists } from "./lib/local-d1.mjs";
import { createProgress, formatCount } from "./lib/progress.mjs";

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const PASSWORD = "password";

const HELP = `Usage: npm run seed -- [options]

Fills the local D1 database (.wrangler/state, the one npm start uses) with fake data.
All seeded members are confirmed, role User, password "${PASSWORD}".

  --users N            members to create (default 100)
  --posts M            posts to create (default 2000)
  --follows K          follows between members, besides each member following themselves (default 1000)
  --visits V           analytics visits over the last 30 days for a "Demo site" of the first seeded member
                       (default 0), with its rollups (see scripts/seed-visits.mjs)
  --reset              delete ALL users, posts and follows first (registered accounts too)
  --seed S             random seed, to reproduce a data set (default: random, printed)
  --distinct-bodies B  distinct post bodies rendered through the app's Markdown renderer (default 3000;
                       ~0.25 ms each; posts share them at random)
  -h, --help           this text`;

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
      visits: { type: "string" },
      reset: { type: "boolean", default: false },
      seed: { type: "string" },
      "distinct-bodies": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  return {
    help: values.help,
    users: parseCount("users", values.users, 100),
    posts: parseCount("posts", values.posts, 2000),
    follows: parseCount("follows", values.follows, 1000),
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

/** Renders `count` distinct Markdown bodies through the app's renderer: [source, html] pairs. */
async function renderBodyPool(r, count) {
  const { renderPostMarkdown } = await importAppModule("src/lib/markdown.ts", "renderPostMarkdown");
  const seen = new Set();
  const pool = [];
  for (let tries = 0; pool.length < count && tries < count * 3; tries++) {
    const source = fakePostMarkdown(r);
    if (seen.has(source)) continue;
    seen.add(source);
    pool.push([source, renderPostMarkdown(source)]);
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
 * Deletes follows and posts first, then users (whose foreign keys cascade to tokens and anything newer). The
 * AUTOINCREMENT counters are kept on purpose: new ids never reuse an old one, so a browser still holding a
 * session cookie of a deleted account cannot wake up as a different seeded member.
 */
async function wipe(db) {
  const counts = [];
  for (const table of ["follows", "posts", "users"]) {
    const result = await db.prepare(`DELETE FROM ${table}`).run();
    counts.push(`${formatCount(result.meta.changes)} ${table}`);
  }
  log(`--reset: deleted ${counts.join(", ")}`);
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
}

/** Runs one insert phase with a progress line; `fill(push)` pushes the rows. */
async function insertPhase(db, label, total, table, columns, fill) {
  if (total === 0) return;
  const progress = createProgress(label, total);
  const inserter = createJsonInserter(db, { table, columns, onWritten: (n) => progress.add(n) });
  await fill((values) => inserter.push(values));
  await inserter.finish();
  progress.finish();
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
  if (applied > 0) log(`applied ${applied} migration(s)`);

  const { db, close } = await openLocalD1();
  try {
    const roleId = await checkSchema(db);
    const before = opts.reset ? [] : await loadExistingUsers(db);
    await checkFeasible(db, opts, before.length);
    if (opts.reset) await wipe(db);
    const existing = opts.reset ? await loadExistingUsers(db) : before;
    const maxExistingId = existing.reduce((m, u) => Math.max(m, u.id), 0);

    const passwordHash = opts.users > 0 ? await sharedPasswordHash() : null;
    const renderStart = performance.now();
    const bodies = opts.posts > 0 ? await renderBodyPool(r, Math.min(opts.posts, opts.distinctBodies)) : [];
    if (bodies.length)
      log(`rendered ${formatCount(bodies.length)} distinct post bodies with src/lib/markdown.ts in ${formatSeconds(performance.now() - renderStart)}`);

    // New members (or, with --users 0, the existing ones) write the posts and do the following.
    const people = planUsers(r, opts.users, existing, now);
    const actors = people.length > 0 ? people : existing.map((u) => ({ ...u, lastActivity: u.memberSince }));
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
    await insertPhase(db, "follows", followKeys.length, "follows", ["follower_id", "followed_id", "created_at"], async (push) => {
      for (const key of followKeys) {
        const a = Math.floor(key / span);
        const b = key - a * span;
        const since = Math.max(sinceById.get(a), sinceById.get(b));
        await push([a, b, since + Math.floor(r.next() * (now - since))]);
      }
    });

    await insertPhase(db, "posts", opts.posts, "posts", ["author_id", "body", "body_html", "created_at", "updated_at"], async (push) => {
      for (const i of posts.sorted) {
        const [body, html] = bodies[r.int(bodies.length)];
        await push([actors[posts.authors[i]].id, body, html, posts.times[i], posts.times[i]]);
      }
    });

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

    await summarize(db, opts, started);
  } finally {
    await close();
  }
}

async function summarize(db, opts, started) {
  const totals = await db.batch(["users", "follows", "posts"].map((t) => db.prepare(`SELECT count(*) AS n FROM ${t}`)));
  const [users, follows, posts] = totals.map((t) => t.results[0].n);
  const top = await db
    .prepare("SELECT u.username, u.email, count(*) AS n FROM posts p JOIN users u ON u.id = p.author_id GROUP BY p.author_id ORDER BY n DESC LIMIT 1")
    .first();
  const elapsed = performance.now() - started;
  const inserted = opts.users * 2 + opts.follows + opts.posts + opts.visits;
  console.log("");
  log(
    `done in ${formatSeconds(elapsed)}: inserted ${formatCount(opts.users)} users, ${formatCount(opts.users + opts.follows)} follows ` +
      `(${formatCount(opts.users)} self), ${formatCount(opts.posts)} posts${opts.visits ? `, ${formatCount(opts.visits)} visits` : ""} — ${formatCount(inserted / (elapsed / 1000))} rows/s overall`,
  );
  log(`database now holds ${formatCount(users)} users, ${formatCount(follows)} follows, ${formatCount(posts)} posts`);
  if (top) log(`most prolific: ${top.username} (${formatCount(top.n)} posts) — log in as ${top.email} / ${PASSWORD}`);
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
