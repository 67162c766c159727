// Data rights: everything Roost holds about a user as one JSON document, and deleting the account.
// Deleting the user row cascades (foreign keys) to their posts, comments, follows, tokens, sites and
// visits; sessions die with the row, because a session is only valid for an existing user. Each feature
// writes the statements for its own tables; this module batches them (one round trip) and shapes the JSON.
import type { Db } from "../../db";
import { type EventContext, publish } from "../../events/commit";
import { uploadedAvatarUrl } from "../../lib/avatar";
import { type Limited, recheckPassword } from "../auth";
import { blocksExportQuery } from "../blocks";
import { commentsOfAuthorQuery } from "../comments";
import { messagesExportQuery } from "../messages";
import { notificationExportJson, notificationsExportQuery } from "../notifications";
import { postsOfAuthorQuery } from "../posts";
import { accountExportQuery, deleteUser, followsExportQuery } from "../users";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The member's avatar choices: which picture pages show (the same order as lib/avatar: an upload, then
 * Gravatar if opted in, else the generated default), the Gravatar opt-in itself, and the upload, if any.
 */
function avatarChoices(user: { id: number; avatarVersion: number | null; useGravatar: boolean }) {
  const upload = user.avatarVersion === null ? null : { uploaded_at: iso(user.avatarVersion), url: uploadedAvatarUrl(user.id, user.avatarVersion) };
  return { shown: upload ? "upload" : user.useGravatar ? "gravatar" : "generated", gravatar_opt_in: user.useGravatar, upload };
}

type ExportedMessage = { conversationId: number; withUsername: string; fromMe: boolean; body: string; createdAt: number };

/** The member's conversations (rows arrive grouped, most recent first), each with both sides' messages, oldest first. */
function conversationsJson(me: string, rows: ExportedMessage[]) {
  const byId = new Map<number, { with: string; messages: { from: string; body: string; sent_at: string | null }[] }>();
  for (const m of rows) {
    const conversation = byId.get(m.conversationId) ?? { with: m.withUsername, messages: [] };
    byId.set(m.conversationId, conversation);
    conversation.messages.push({ from: m.fromMe ? me : m.withUsername, body: m.body, sent_at: iso(m.createdAt) });
  }
  return [...byId.values()];
}

/**
 * Everything Roost holds about the member, in ONE batch (one round trip whatever its size): account, posts,
 * comments, follows, blocks, notifications and both sides of their conversations (never another pair's).
 */
export async function exportUserData(db: Db, userId: number, extra: Record<string, unknown> = {}) {
  const [[user], userPosts, userComments, following, followers, blocked, userNotifications, userMessages] = await db.batch([
    accountExportQuery(db, userId),
    postsOfAuthorQuery(db, userId),
    commentsOfAuthorQuery(db, userId),
    followsExportQuery(db, "following", userId),
    followsExportQuery(db, "followers", userId),
    blocksExportQuery(db, userId),
    notificationsExportQuery(db, userId),
    messagesExportQuery(db, userId),
  ]);
  if (!user) return null;
  const { avatarVersion, useGravatar, ...account } = user;
  return {
    exported_at: new Date().toISOString(),
    account: { ...account, memberSince: iso(user.memberSince), lastSeen: iso(user.lastSeen), avatar: avatarChoices(user) },
    posts: userPosts.map((p) => ({ id: p.id, body: p.body, body_html: p.bodyHtml, created_at: iso(p.createdAt), updated_at: iso(p.updatedAt) })),
    comments: userComments.map((c) => ({ id: c.id, post_id: c.postId, body: c.body, disabled: c.disabled, created_at: iso(c.createdAt) })),
    following: following.map((f) => ({ username: f.username, since: iso(f.since) })),
    followers: followers.map((f) => ({ username: f.username, since: iso(f.since) })),
    // Only the member's own blocks: who blocked them is nobody's data to hand out.
    blocked: blocked.map((b) => ({ username: b.username, since: iso(b.since) })),
    notifications: userNotifications.map((n) => notificationExportJson(n, iso)),
    conversations: conversationsJson(user.username, userMessages),
    ...extra,
  };
}

export type DeleteResult = { ok: true } | { ok: false; limited: false; lastAdmin: boolean } | Limited;

/**
 * Deletes the account when `password` is right, unless it is the last Administrator (checked inside the
 * DELETE, so it holds under concurrent deletions); otherwise nothing changes. A wrong password counts as a
 * failed login from `network` (auth service), so the form is no way around the login limits.
 */
export async function deleteAccount(ctx: EventContext, userId: number, password: string, network: string): Promise<DeleteResult> {
  const check = await recheckPassword({ db: ctx.db, network }, userId, password);
  if (!check.ok) return check.limited ? check : { ok: false, limited: false, lastAdmin: false };
  if (!(await deleteUser(ctx.db, userId))) return { ok: false, limited: false, lastAdmin: true };
  await publish(ctx, [{ type: "user.deleted", userId }]);
  return { ok: true };
}
