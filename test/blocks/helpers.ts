// What the blocks tests share: acting as a member (block, unblock), a few confirmed members at once, the two
// directions of a pair, and a word no other test uses.
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
