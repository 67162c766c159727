// Blocking rules: a member blocks another existing member (never themselves, never twice) and can unblock
// them. A block ends the follows both ways in the same batch as its insert and announces user.blocked
// (subscribers hide the blocker's notifications from the blocked member and purge the two cached
// profiles). What a block then refuses or hides is enforced inside each feature's own statements
// (db/blocks.ts). Two simultaneous blocks of the same member may both announce user.blocked; its
// subscribers are idempotent.
import type { Db } from "../../db";
import { type EventContext, publish } from "../../events/commit";
import { t } from "../../i18n";
import { followerCountQuery, isPossibleUsername } from "../users";
import { type BlockedItem, blockedListQuery, blockStatements, targetQuery, unblockStatement } from "./queries";

export type BlockTarget = { id: number; username: string };
export type BlockResult = { ok: true; user: BlockTarget; followerCount: number } | { ok: false; status: 400 | 404 | 409; message: string };

async function findTarget(ctx: EventContext, me: number, username: string) {
  // Usernames that cannot exist (registration's pattern) are answered without a query.
  if (!isPossibleUsername(username)) return undefined;
  const [row] = await targetQuery(ctx.db, me, username);
  return row;
}

/**
 * Blocks the member named `username`: one read (who, already blocked?) and one batch (the block, the ended
 * follows, the blocked member's new follower count); then user.blocked is announced (its subscribers' batch
 * deletes the blocker's notifications from them and purges the two cached profiles).
 */
export async function blockUser(ctx: EventContext, me: number, username: string): Promise<BlockResult> {
  const target = await findTarget(ctx, me, username);
  if (!target) return { ok: false, status: 404, message: t("blocks.noSuchUser") };
  if (target.id === me) return { ok: false, status: 400, message: t("blocks.notYourself") };
  if (target.blocked) return { ok: false, status: 409, message: t("blocks.already", { username: target.username }) };
  const { block, unfollow } = blockStatements(ctx.db, me, target.id, ctx.now);
  const [, , count] = await ctx.db.batch([block, unfollow, followerCountQuery(ctx.db, target.username)]);
  await publish(ctx, [{ type: "user.blocked", blockerId: me, blockedId: target.id }]);
  return { ok: true, user: { id: target.id, username: target.username }, followerCount: count[0]?.n ?? 0 };
}

/** Unblocks; the follows the block ended do not come back (either may follow again). */
export async function unblockUser(ctx: EventContext, me: number, username: string): Promise<BlockResult> {
  const target = await findTarget(ctx, me, username);
  if (!target) return { ok: false, status: 404, message: t("blocks.noSuchUser") };
  if (target.id === me) return { ok: false, status: 400, message: t("blocks.notYourselfUnblock") };
  const [deleted, count] = await ctx.db.batch([unblockStatement(ctx.db, me, target.id), followerCountQuery(ctx.db, target.username)]);
  if (deleted.length === 0) return { ok: false, status: 409, message: t("blocks.notBlocked", { username: target.username }) };
  await publish(ctx, [{ type: "user.unblocked", blockerId: me, blockedId: target.id }]);
  return { ok: true, user: { id: target.id, username: target.username }, followerCount: count[0]?.n ?? 0 };
}

export function listBlocked(db: Db, me: number): Promise<BlockedItem[]> {
  return blockedListQuery(db, me);
}
