// What other servers do to our posts (issue 13): replies become comments, likes and boosts counts, and a
// deleted actor's traces go. Fedify has verified the signature and that the signer is the activity's actor
// before any of this runs; replays of an activity id are answered before it too (federation.ts).
//
//   Create(Note) inReplyTo /post/<id>   → a comment by the remote author (once per Note id)
//   Update(Note) of such a reply         → its new text (same author only)
//   Delete(Note id | Tombstone)          → the comment goes (same author only)
//   Delete(actor), signed by that actor  → their comments, likes, boosts and follows go
//   Like / Announce of /post/<id>        → one per (post, actor): posts.like_count / boost_count (triggers)
//   Undo(Like | Announce)                → removed (Undo(Follow) stays in inbox.ts)
//   Create(Note) tagging our members     → remote.mentioned (not for a reply to our post: that is a comment)
// A post counts as ours only while its author is federated (confirmed, not left the fediverse); anything else
// (notes that are not replies to our posts, likes of other things) is ignored: 202, nothing stored.
import { Announce, type Create, type Delete, type InboxListenerSetters, Like, Mention, Note, type Update } from "@fedify/fedify";
import { publish } from "../../events/commit";
import { parseId } from "../../lib/ids";
import { renderPlainTextWithLinks } from "../../lib/markdown";
import { addRemoteComment, deleteRemoteComments, updateRemoteComment } from "../comments";
import { getFeedPost } from "../posts";
import { getPublicMember } from "../users";
import { type InboxCtx as Ctx, eventContext, type FederationData } from "./data";
import { hrefOf, isOurs, remoteActorOf } from "./inbox";
import { addRemoteReaction, type ReactionKind, removeRemoteActor } from "./reactions";
import { linkUrl, remoteHtmlText, storeRemoteActor } from "./remote";

/** A reply's `content` longer than this (HTML, as received) is ignored unread. */
export const MAX_REPLY_HTML = 64 * 1024;
/** A reply longer than this (characters of text) is ignored: Mastodon allows 500, Pleroma 5,000. */
export const MAX_REPLY_TEXT = 5000;

/** The id of our post that `uri` names (`<BASE_URL>/post/<id>`), while it exists and its author is federated. */
async function ourPostId(ctx: Ctx, uri: URL | null): Promise<number | null> {
  const m = uri && isOurs(ctx, uri) ? uri.pathname.match(/^\/post\/([1-9][0-9]{0,15})$/) : null;
  const post = m ? await getFeedPost(ctx.data.db, Number(m[1])) : undefined;
  return post && (await getPublicMember(ctx.data.db, { id: post.authorId }, true)) ? post.id : null;
}

/** The text of a Note as we store it (plain text and its rendering), or null when empty or too long. */
function replyText(note: Note): { body: string; bodyHtml: string } | null {
  const html = note.content?.toString() ?? "";
  if (html.length > MAX_REPLY_HTML) return null;
  const body = remoteHtmlText(html);
  return body === "" || body.length > MAX_REPLY_TEXT ? null : { body, bodyHtml: renderPlainTextWithLinks(body) };
}

/** The Note an activity carries, when its author is the activity's actor and it lives on the actor's server. */
async function authoredNote(ctx: Ctx, activity: Create | Update): Promise<Note | null> {
  // An embedded object whose id is on another server than the activity is fetched by Fedify: a failed fetch is
  // "not a note of theirs", not an error.
  const note = await activity.getObject(ctx).catch(() => null);
  const actor = activity.actorId;
  if (!(note instanceof Note) || !note.id || !actor) return null;
  return note.attributionId?.href === actor.href && note.id.origin === actor.origin ? note : null;
}

async function onCreate(ctx: Ctx, create: Create) {
  const note = await authoredNote(ctx, create);
  const postId = note ? await ourPostId(ctx, note.replyTargetId) : null;
  const text = note && postId !== null ? replyText(note) : null;
  const remote = text ? await remoteActorOf(ctx, create) : null;
  if (!note?.id || postId === null || !text || !remote) return;
  const remoteActorId = await storeRemoteActor(ctx.data.db, remote.input);
  if (remoteActorId === undefined) return;
  await addRemoteComment(eventContext(ctx), { postId, remoteActorId, noteUri: note.id.href, ...text });
}

async function onUpdate(ctx: Ctx, update: Update) {
  const note = await authoredNote(ctx, update);
  const text = note ? replyText(note) : null;
  if (!note?.id || !text || !update.actorId) return;
  await updateRemoteComment(eventContext(ctx), note.id.href, update.actorId.href, text);
}

async function onDelete(ctx: Ctx, del: Delete) {
  const actor = del.actorId;
  const object = del.objectId;
  if (!actor || !object || isOurs(ctx, actor)) return;
  // The actor deleted themselves (Mastodon's account deletion): everything of theirs goes.
  if (object.href === actor.href) {
    await deleteRemoteComments(eventContext(ctx), actor.href, null);
    await removeRemoteActor(ctx.data.db, actor.href);
    return;
  }
  await deleteRemoteComments(eventContext(ctx), actor.href, object.href);
}

const onReaction = (kind: ReactionKind) => async (ctx: Ctx, activity: Like | Announce) => {
  if (!activity.id) return;
  const postId = await ourPostId(ctx, activity.objectId);
  const remote = postId === null ? null : await remoteActorOf(ctx, activity);
  if (postId === null || !remote) return;
  const remoteActorId = await storeRemoteActor(ctx.data.db, remote.input);
  if (remoteActorId === undefined) return;
  if (await addRemoteReaction(ctx.data.db, { postId, remoteActorId, kind, activityUri: activity.id.href })) {
    await publish(eventContext(ctx), [{ type: "remote.reacted", postId, remoteActorId, kind }]);
  }
};

/** At most this many of our members are told of one remote note that mentions them. */
export const MAX_MENTIONED = 20;

/** The ids of our members a note's Mention tags name by their actor URI (at most MAX_MENTIONED; whether they exist is the notification's SQL). */
async function mentionedIds(ctx: Ctx, note: Note): Promise<number[]> {
  const ids = new Set<number>();
  try {
    for await (const tag of note.getTags(ctx)) {
      const parsed = tag instanceof Mention && tag.href ? ctx.parseUri(tag.href) : null;
      const id = parsed?.type === "actor" ? parseId(parsed.identifier) : null;
      if (id !== null) ids.add(id);
      if (ids.size >= MAX_MENTIONED) break;
    }
  } catch {
    // A tag that cannot be read (a fetch that failed) ends the list: the mentions read so far count.
  }
  return [...ids];
}

/**
 * A note that mentions our members (Mention tags naming their actors) and is not a reply to one of our posts
 * (the post's author hears of a reply as a comment): the `mention` notification, linking to the note.
 */
async function onMention(ctx: Ctx, create: Create) {
  const note = await authoredNote(ctx, create);
  if (!note?.id || (await ourPostId(ctx, note.replyTargetId)) !== null) return;
  const userIds = await mentionedIds(ctx, note);
  const remote = userIds.length > 0 ? await remoteActorOf(ctx, create) : null;
  if (!remote) return;
  const remoteActorId = await storeRemoteActor(ctx.data.db, remote.input);
  if (remoteActorId === undefined) return;
  const url = linkUrl(hrefOf(note.url)) ?? note.id.href;
  await publish(eventContext(ctx), [{ type: "remote.mentioned", userIds, remoteActorId, url }]);
}

/** Create / Update / Delete of replies to our posts: run by federation.ts beside inbox-notes.ts's followed-note handlers. */
export const replyHandlers = { create: onCreate, update: onUpdate, delete: onDelete, mention: onMention };

/** Registers the Like / Announce listeners (federation.ts); Undo(Like | Announce) is handled by inbox.ts's Undo. */
export function reactionListeners(inbox: InboxListenerSetters<FederationData>): InboxListenerSetters<FederationData> {
  return inbox.on(Like, onReaction("like")).on(Announce, onReaction("announce"));
}
