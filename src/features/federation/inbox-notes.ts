// Inbox listeners for members' follows of remote people (issue 13; Fedify has verified the signature and that
// the signer is the activity's actor before any of these runs):
//   Accept / Reject of our Follow (named by its id, sent by the actor we followed) → accepted / removed;
//   Create(Note) by an actor some member follows (accepted), addressed to Public → a remote post, its HTML
//   through our allowlist (lib/remote-html.ts), idempotent by the note's id; Update(Note) by its author → new
//   content; Delete by its author → gone. Notes from actors nobody here follows are ignored, and so are replies
//   to our own posts (/post/<id>): those become comments elsewhere.
import { Accept, type Create, type Delete, Follow, type InboxListenerSetters, Note, PUBLIC_COLLECTION, Reject, type Update } from "@fedify/fedify";
import { parseId } from "../../lib/ids";
import { sanitizeRemoteHtml } from "../../lib/remote-html";
import type { InboxCtx as Ctx, FederationData } from "./data";
import { linkUrl } from "./remote";
import { acceptRemoteFollow, addRemotePost, deleteRemotePost, followedActorId, type RemoteNote, rejectRemoteFollow, updateRemotePost } from "./remote-follows";

/**
 * Which of our follows an Accept or Reject answers: the Follow's id (Mastodon echoes our Follow), or, for a
 * server that echoes it without its id, the member whose actor is the embedded Follow's actor (when that
 * Follow's object is the answering actor). Null when it names none of ours.
 */
async function answeredFollow(ctx: Ctx, answer: Accept | Reject): Promise<{ actor: string; followId: string } | { actor: string; memberId: number } | null> {
  const actor = answer.actorId?.href;
  if (!actor) return null;
  if (answer.objectId) return { actor, followId: answer.objectId.href };
  const follow = await answer.getObject(ctx).catch(() => null);
  const ours = follow instanceof Follow && follow.actorId ? ctx.parseUri(follow.actorId) : null;
  const memberId = ours?.type === "actor" ? parseId(ours.identifier) : null;
  return memberId !== null && follow instanceof Follow && follow.objectId?.href === actor ? { actor, memberId } : null;
}

async function onAccept(ctx: Ctx, accept: Accept) {
  const follow = await answeredFollow(ctx, accept);
  if (follow) await acceptRemoteFollow(ctx.data.db, follow.actor, "followId" in follow ? { followId: follow.followId } : { memberId: follow.memberId });
}

async function onReject(ctx: Ctx, reject: Reject) {
  const follow = await answeredFollow(ctx, reject);
  if (follow) await rejectRemoteFollow(ctx.data.db, follow.actor, "followId" in follow ? { followId: follow.followId } : { memberId: follow.memberId });
}

const textOf = (v: unknown) => (v === null || v === undefined ? "" : String(v));

/**
 * The note as Roost keeps it, or null when it is not one to keep: no id, not by `actor` (attribution and the
 * id's origin), not public, or a reply to one of our posts.
 */
function storable(ctx: Ctx, actor: URL, note: Note, now = Date.now()): RemoteNote | null {
  const id = note.id;
  if (!id || id.origin !== actor.origin || note.attributionId?.href !== actor.href) return null;
  const audience = [...note.toIds, ...note.ccIds].map((u) => u.href);
  if (!audience.includes(PUBLIC_COLLECTION.href)) return null;
  const ourPost = `${ctx.data.config.baseUrl}/post/`;
  if (note.replyTargetId?.href.startsWith(ourPost)) return null;
  const published = Math.min(note.published?.epochMilliseconds ?? now, now);
  const updated = Math.min(Math.max(note.updated?.epochMilliseconds ?? published, published), now);
  const url = note.url instanceof URL ? note.url.href : (note.url?.href?.href ?? id.href);
  return { uri: id.href, contentHtml: sanitizeRemoteHtml(textOf(note.content)), url: linkUrl(url), publishedAt: published, updatedAt: updated };
}

/** The note a Create or Update carries (embedded, or fetched by id through the loaders), when its actor is followed here. */
async function followedNote(ctx: Ctx, activity: Create | Update): Promise<{ actorId: number; note: RemoteNote } | null> {
  if (!activity.actorId) return null;
  const actorId = await followedActorId(ctx.data.db, activity.actorId.href);
  if (actorId === null) return null;
  const object = await activity.getObject(ctx).catch(() => null);
  const note = object instanceof Note ? storable(ctx, activity.actorId, object) : null;
  return note && { actorId, note };
}

async function onCreate(ctx: Ctx, create: Create) {
  const found = await followedNote(ctx, create);
  if (found) await addRemotePost(ctx.data.db, found.actorId, found.note);
}

async function onUpdate(ctx: Ctx, update: Update) {
  const found = await followedNote(ctx, update);
  if (found) await updateRemotePost(ctx.data.db, found.actorId, found.note);
}

async function onDelete(ctx: Ctx, del: Delete) {
  if (del.actorId && del.objectId) await deleteRemotePost(ctx.data.db, del.actorId.href, del.objectId.href);
}

/** Create / Update / Delete of a followed actor's notes: run by federation.ts beside inbound.ts's reply handlers. */
export const followedNoteHandlers = { create: onCreate, update: onUpdate, delete: onDelete };

/** Registers the Accept / Reject listeners for our follows (federation.ts). */
export function remoteFollowListeners(inbox: InboxListenerSetters<FederationData>): InboxListenerSetters<FederationData> {
  return inbox.on(Accept, onAccept).on(Reject, onReject);
}
