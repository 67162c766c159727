// Reading the test database directly, for tests that check what was (or was not) stored.
import { env } from "cloudflare:test";

/** The `n` of a `SELECT count(*) AS n …` statement. */
export async function countOf(sql: string, ...args: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql)
    .bind(...args)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
