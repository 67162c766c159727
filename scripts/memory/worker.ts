// The minimal Worker of scripts/memory-repro.mjs: one D1 query per request (or none), through the plain binding
// or a D1 session (withSession), raw or through Roost's counting wrapper (src/db getDb: a Proxy + Drizzle).
// Two more controls without D1: a 20 KB body, and one console.log line per request. The variant comes from vars,
// so one bundle serves every run.
import { sql } from "drizzle-orm";
import { getDb } from "../../src/db";

type MemoryEnv = { DB: D1Database; QUERY: string; SESSION: string; WRAPPER: string; BODY: string; LOG: string };

const QUERY = "SELECT id, body FROM items ORDER BY id LIMIT 20";

export default {
  async fetch(_request: Request, env: MemoryEnv): Promise<Response> {
    // Roost's pages are ~20 KB and every request logs one JSON line: each on its own, without D1.
    if (env.LOG === "1") console.log(JSON.stringify({ level: "info", msg: "request", path: "/x", status: 200, ms: 1 }));
    if (env.QUERY !== "1") return new Response(env.BODY === "1" ? "x".repeat(20_000) : "0");
    const d1 = env.SESSION === "1" ? env.DB.withSession("first-unconstrained") : env.DB;
    if (env.WRAPPER === "roost") {
      const rows = await getDb(d1).all(sql.raw(QUERY));
      return new Response(String(rows.length));
    }
    const { results } = await d1.prepare(QUERY).all();
    return new Response(String(results.length));
  },
};
