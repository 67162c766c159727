// Per-request database access: a Drizzle client over a D1 binding that counts round trips and time,
// so every response can report them in Server-Timing (and tests can assert query counts).
import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

/** Lets batch() unwrap an instrumented statement back to the real one. */
const RAW = Symbol("raw");

export type DbStats = { queries: number; ms: number };
export type Db = ReturnType<typeof getDb>;

export function newDbStats(): DbStats {
  return { queries: 0, ms: 0 };
}

async function timed<T>(stats: DbStats, run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await run();
  } finally {
    stats.queries += 1;
    stats.ms += performance.now() - start;
  }
}

function instrumentStatement(stmt: D1PreparedStatement, stats: DbStats): D1PreparedStatement {
  return new Proxy(stmt, {
    get(target, prop) {
      if (prop === RAW) return target;
      if (prop === "bind") {
        return (...values: unknown[]) => instrumentStatement(target.bind(...values), stats);
      }
      if (prop === "all" || prop === "run" || prop === "first" || prop === "raw") {
        const fn = (target as any)[prop].bind(target);
        return (...args: unknown[]) => timed(stats, () => fn(...args));
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Wrap a D1 binding so every round trip (a statement or a whole batch) is counted and timed. */
export function instrumentD1(db: D1Database, stats: DbStats): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") {
        return (query: string) => instrumentStatement(target.prepare(query), stats);
      }
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) =>
          // The proxies are transparent to D1, but batch() wants the real statements.
          timed(stats, () => target.batch(statements.map((s) => (s as any)[RAW] ?? s)));
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export function getDb(d1: D1Database, stats: DbStats = newDbStats()) {
  return drizzle(instrumentD1(d1, stats), { schema });
}

export { schema };
