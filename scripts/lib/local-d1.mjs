// The local D1 database that `npm start` / `wrangler dev` use, opened straight from Node for the seed and bench
// scripts. Wrangler 4.86 keeps it under <dir of wrangler.toml>/.wrangler/state/v3/d1 and names the Durable Object
// after `preview_database_id ?? database_id` (see its d1DatabaseEntry / `d1 execute --local`); we open the same
// path with the same id through Miniflare, so rows written here are exactly the rows wrangler dev then reads.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { root, runTool } from "../common.mjs";
import { createProgress } from "./progress.mjs";

export const persistRoot = path.join(root, ".wrangler", "state");
export const d1PersistDir = path.join(persistRoot, "v3", "d1");

/**
 * The DB binding's id from wrangler.toml's top-level [[d1_databases]] (not [env.production]): a tiny TOML reader
 * is enough for this file and avoids a dependency.
 */
export function readDatabaseId(binding = "DB") {
  const file = path.join(root, "wrangler.toml");
  if (!existsSync(file)) throw new Error(`wrangler.toml not found in ${root}`);
  const topLevel = readFileSync(file, "utf8").split(/^\[+env\./m)[0];
  for (const section of topLevel.split(/^\[\[d1_databases\]\]\s*$/m).slice(1)) {
    const body = section.split(/^\[/m)[0];
    const value = (key) => new RegExp(`^${key}\\s*=\\s*"([^"]+)"`, "m").exec(body)?.[1];
    if (value("binding") === binding) return value("preview_database_id") ?? value("database_id") ?? binding;
  }
  throw new Error(`no [[d1_databases]] with binding = "${binding}" at the top level of wrangler.toml`);
}

/** `wrangler d1 migrations apply DB --local`, offline and non-interactive; wrangler's output shows only on failure. */
export async function applyMigrations() {
  const { code, output } = await runTool("wrangler", ["d1", "migrations", "apply", "DB", "--local"]);
  if (code !== 0) throw new Error(`wrangler d1 migrations apply failed (exit ${code}):\n${output}`);
  // wrangler reprints its status table after each migration: count distinct names marked done.
  return new Set([...output.matchAll(/│\s*(\d{4}_[\w-]+\.sql)\s*│\s*✅/g)].map((m) => m[1])).size;
}

/** Opens the local D1 database; call `close()` before a wrangler dev that shares the file starts. */
export async function openLocalD1() {
  let Miniflare;
  try {
    ({ Miniflare } = await import("miniflare"));
  } catch {
    throw new Error("miniflare is not installed: run npm install first");
  }
  // An empty module worker: we only want the D1 binding, proxied into Node.
  const mf = new Miniflare({ script: "", modules: true, d1Databases: { DB: readDatabaseId("DB") }, d1Persist: d1PersistDir });
  const db = await mf.getD1Database("DB");
  return { db, close: () => mf.dispose() };
}

/** True when the table exists (an older checkout may not have the posts migration yet). */
export async function tableExists(db, name) {
  const row = await db.prepare("SELECT 1 AS ok FROM sqlite_master WHERE type = 'table' AND name = ?").bind(name).first();
  return row !== null;
}

/**
 * Buffers rows for one table and writes them with `INSERT ... SELECT ... FROM json_each(?)`: a whole chunk of rows
 * travels as ONE bound parameter (a JSON array), which sidesteps D1's 100-parameter limit without string-escaping
 * any SQL, and measured ~20k rows/s vs ~3k for 100-parameter multi-row VALUES. Statements stay under
 * `maxStatementBytes` (D1 caps statement and value sizes); several go in one `db.batch` (one transaction, one
 * round trip). One batch is in flight while the caller builds the next, so generation and SQLite work overlap.
 * `orIgnore`: INSERT OR IGNORE (rows that would break a unique index are skipped instead of failing the batch).
 */
export function createJsonInserter(db, { table, columns, onWritten = () => {}, maxStatementBytes = 900_000, maxBatchBytes = 3_600_000, orIgnore = false }) {
  const picks = columns.map((_, i) => `value->>${i}`).join(", ");
  const sql = `INSERT${orIgnore ? " OR IGNORE" : ""} INTO ${table} (${columns.join(", ")}) SELECT ${picks} FROM json_each(?)`;
  let rows = [];
  let rowBytes = 0;
  let statements = [];
  let statementRows = 0;
  let batchBytes = 0;
  let inFlight = Promise.resolve();

  function closeStatement() {
    if (rows.length === 0) return;
    statements.push(db.prepare(sql).bind(`[${rows.join(",")}]`));
    statementRows += rows.length;
    batchBytes += rowBytes;
    rows = [];
    rowBytes = 0;
  }

  async function sendBatch() {
    closeStatement();
    if (statements.length === 0) return;
    const batch = statements;
    const count = statementRows;
    statements = [];
    statementRows = 0;
    batchBytes = 0;
    await inFlight; // keep row order (ids follow insertion order) and at most one batch in flight
    inFlight = db.batch(batch).then(() => onWritten(count));
  }

  return {
    /** Adds one row (values in `columns` order); awaits only when a batch has to be sent. */
    async push(values) {
      const json = JSON.stringify(values);
      if (rowBytes + json.length + 1 > maxStatementBytes) closeStatement();
      rows.push(json);
      rowBytes += json.length + 1;
      if (batchBytes + rowBytes >= maxBatchBytes) await sendBatch();
    },
    /** Sends what is buffered and waits until every row is written. */
    async finish() {
      await sendBatch();
      await inFlight;
    },
  };
}

/**
 * One insert phase of a seed script with a progress line: `fill(push)` pushes the rows (values in `columns` order).
 * Triggers on `table` fire for every row, as for any other insert.
 */
export async function insertPhase(db, label, total, table, columns, fill, { orIgnore = false } = {}) {
  if (total === 0) return;
  const progress = createProgress(label, total);
  const inserter = createJsonInserter(db, { table, columns, orIgnore, onWritten: (n) => progress.add(n) });
  await fill((values) => inserter.push(values));
  await inserter.finish();
  progress.finish();
}
