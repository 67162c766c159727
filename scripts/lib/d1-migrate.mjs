// Applies the D1 migrations to a local state directory the way `wrangler d1 migrations apply DB --local` does
// (the same d1_migrations table, so wrangler sees them as applied), but in one Miniflare runtime: wrangler
// starts a runtime per migration file, which took about 2 minutes for the 31 files on a busy 2-core machine,
// against seconds here. Used by miniflare-server.mjs (ROOST_MIGRATE), the browser tests' global setup, and by hand:
// `node scripts/lib/d1-migrate.mjs .wrangler/peer-b` (README "Federation").
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions, unstable_splitSqlQuery } from "wrangler";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * Applies the migrations in `dir` not yet in d1_migrations to `db` (a D1 binding), each in one batch with its
 * record, as applyD1Migrations in the Workers tests does; returns how many.
 */
export async function applyMigrations(db, dir = path.join(root, "migrations")) {
  await db
    .prepare(
      "CREATE TABLE IF NOT EXISTS d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)",
    )
    .run();
  const applied = new Set((await db.prepare("SELECT name FROM d1_migrations").all()).results.map((r) => r.name));
  const names = readdirSync(dir)
    .filter((name) => name.endsWith(".sql") && !applied.has(name))
    .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10));
  for (const name of names) {
    const queries = unstable_splitSqlQuery(readFileSync(path.join(dir, name), "utf8")).map((q) => db.prepare(q));
    await db.batch([...queries, db.prepare("INSERT INTO d1_migrations (name) VALUES (?)").bind(name)]);
  }
  return names.length;
}

/**
 * `wrangler d1 migrations apply DB --local --persist-to <persistTo>` in one runtime: the DB binding of
 * wrangler.toml (same database id, so the same file wrangler dev opens), a worker that does nothing.
 */
export async function migrateLocal(persistTo) {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(root, "wrangler.toml"));
  const mf = new Miniflare({
    modules: true,
    script: "export default {}",
    d1Databases: workerOptions.d1Databases,
    defaultPersistRoot: path.join(persistTo, "v3"),
  });
  try {
    return await applyMigrations(await mf.getD1Database("DB"));
  } finally {
    await mf.dispose();
  }
}

// `node scripts/lib/d1-migrate.mjs <persist-to>`: the command-line form (README "Federation", two local instances).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const persistTo = process.argv[2];
  if (!persistTo) {
    console.error("usage: node scripts/lib/d1-migrate.mjs <persist-to directory, as wrangler's --persist-to>");
    process.exit(2);
  }
  const count = await migrateLocal(path.resolve(persistTo));
  console.log(`${count} migrations applied to ${persistTo}`);
}
