// Per-request database access: a Drizzle client over a D1 binding (or a D1 read-replica session) that counts
// round trips and time, so every response can report them in Server-Timing (and tests can assert query counts).
import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

/** rowsRead: D1's own count (meta.rows_read) where the call returns it (all, run, batch; not first or raw). */
export type DbStats = { queries: number; ms: number; rowsRead: number };
export type Db = ReturnType<typeof getDb>;

export function newDbStats(): DbStats {
  return { queries: 0, ms: 0, rowsRead: 0 };
}

/** Rows D1 says it read for one result or a batch's results (0 where it does not say). */
function rowsRead(result: unknown): number {
  const list = Array.isArray(result) ? result : [result];
  return list.reduce((n: number, r) => n + (Number((r as { meta?: { rows_read?: unknown } } | null)?.meta?.rows_read) || 0), 0);
}

async function timed<T>(stats: DbStats, run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    const result = await run();
    stats.rowsRead += rowsRead(result);
    return result;
  } finally {
    stats.queries += 1;
    stats.ms += performance.now() - start;
  }
}

/** The real statement behind each instrumented one: batch() must be given the real statements. */
const rawStatements = new WeakMap<D1PreparedStatement, D1PreparedStatement>();

const ROUND_TRIPS = new Set<PropertyKey>(["all", "run", "first", "raw"]);

function instrumentStatement(stmt: D1PreparedStatement, stats: DbStats): D1PreparedStatement {
  const proxy = new Proxy(stmt, {
    get(target, prop) {
      if (prop === "bind") return (...values: unknown[]) => instrumentStatement(target.bind(...values), stats);
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      const method = value.bind(target);
      return ROUND_TRIPS.has(prop) ? (...args: unknown[]) => timed(stats, () => method(...args)) : method;
    },
  });
  rawStatements.set(proxy, stmt);
  return proxy;
}

type D1Like = D1Database | D1DatabaseSession;

/** Wrap a D1 binding or session so every round trip (a statement or a whole batch) is counted and timed. */
export function instrumentD1<T extends D1Like>(db: T, stats: DbStats): T {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (query: string) => instrumentStatement(target.prepare(query), stats);
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) => timed(stats, () => target.batch(statements.map((s) => rawStatements.get(s) ?? s)));
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export function getDb(d1: D1Like, stats: DbStats = newDbStats()) {
  // Drizzle only calls prepare() and batch(), which a D1 session has too; its types know only D1Database.
  return drizzle(instrumentD1(d1, stats) as D1Database, { schema });
}

export { schema };
