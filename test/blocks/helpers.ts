// What the blocks tests share: acting as a member (block, unblock), a few confirmed members at once, the two
// directions of a pair, a word no other test uses, and the check that a statement reads blocks by its key.
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { type Account, confirmedUser } from "../helpers/accounts";

export const block = (who: Account, other: { username: string }, form: Record<string, string> = {}, headers: HeadersInit = {}) =>
  who.client.post(`/block/${other.username}`, form, headers);
export const unblock = (who: Account, other: { username: string }, form: Record<string, string> = {}, headers: HeadersInit = {}) =>
  who.client.post(`/unblock/${other.username}`, form, headers);

/** `n` confirmed, logged-in members named after `prefix` (ann, ben, cat… in the tests), made one by one. */
export function members(prefix: string, n: 2): Promise<[Account, Account]>;
export function members(prefix: string, n?: 3): Promise<[Account, Account, Account]>;
export async function members(prefix: string, n = 3): Promise<Account[]> {
  const made: Account[] = [];
  for (const letter of "abc".slice(0, n)) made.push(await confirmedUser(`${prefix}${letter}`));
  return made;
}

/** Both directions of a pair: [a, b] then [b, a]. */
export const bothWays = <T>(a: T, b: T): [T, T][] => [
  [a, b],
  [b, a],
];

/** A word no other test uses (letters only: an FTS token, and a hashtag). */
export const word = (base: string) =>
  `${base}${crypto
    .randomUUID()
    .replace(/[^a-z]/g, "")
    .slice(0, 8)}`;

/**
 * Asserts that SQLite plans `statement` (its SQL and bound parameters) with every block filter a lookup on the
 * blocks primary key, and no full scan of blocks or of the `tables` named (aliases too).
 */
export async function expectBlocksByKey(statement: { sql: string; params: unknown[] }, tables: string[]) {
  const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`)
    .bind(...statement.params)
    .all<{ detail: string }>();
  const details = plan.results.map((r) => r.detail);
  const all = details.join(" | ");
  expect(all).toMatch(/SEARCH bk USING (COVERING INDEX sqlite_autoindex_blocks_1|PRIMARY KEY)/);
  const scan = new RegExp(`^SCAN (${["bk", "blocks", ...tables].join("|")})$`);
  for (const d of details) expect(d, all).not.toMatch(scan);
}
