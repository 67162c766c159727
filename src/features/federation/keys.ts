// Each member's RSA key pair (RSASSA-PKCS1-v1_5, 2048 bits, what Mastodon's HTTP signatures use), made on first
// need and kept in D1 (actor_keys) for good: remote servers cache the public key by its id, so a key that
// changed would make every signature fail until they refetch. The private key never leaves the Worker.
// Generated lazily: one read when the key exists; on first need one more batch (insert if absent, read back),
// so two concurrent first requests agree on whichever insert won.
import { exportJwk, generateCryptoKeyPair, importJwk } from "@fedify/fedify";
import { eq } from "drizzle-orm";
import type { Db } from "../../db";
import { actorKeys } from "../../db/schema";

type StoredKeys = { publicKeyJwk: string; privateKeyJwk: string };

async function importPair(row: StoredKeys): Promise<CryptoKeyPair> {
  return {
    publicKey: await importJwk(JSON.parse(row.publicKeyJwk), "public"),
    privateKey: await importJwk(JSON.parse(row.privateKeyJwk), "private"),
  };
}

const storedKeysQuery = (db: Db, userId: number) =>
  db.select({ publicKeyJwk: actorKeys.publicKeyJwk, privateKeyJwk: actorKeys.privateKeyJwk }).from(actorKeys).where(eq(actorKeys.userId, userId));

/** The member's key pairs (one for now), generating and storing the first on first need. */
export async function memberKeyPairs(db: Db, userId: number): Promise<CryptoKeyPair[]> {
  const [found] = await storedKeysQuery(db, userId);
  if (found) return [await importPair(found)];
  const pair = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
  const row = {
    userId,
    publicKeyJwk: JSON.stringify(await exportJwk(pair.publicKey)),
    privateKeyJwk: JSON.stringify(await exportJwk(pair.privateKey)),
    createdAt: Date.now(),
  };
  const [, [stored]] = await db.batch([db.insert(actorKeys).values(row).onConflictDoNothing(), storedKeysQuery(db, userId)]);
  return stored ? [await importPair(stored)] : [];
}
