// Liking and replying to a remote note (issue 13, outbound), the half that talks to other servers (loaded by
// note-routes.tsx only when a member likes or replies, so the Worker does not evaluate Fedify for every page):
//   like     a row per (member, note) and a Like (id <actor>#likes/<uuid>, object: the note's id) to its author;
//   unlike   the row goes and Undo(Like) names that Like;
//   reply    a remote_replies row and Create(Note) inReplyTo the note, to Public and its author, cc the member's
//            followers, with a Mention of the author; to the author's inbox and the member's remote followers;
//   edit     the row's new text and Update(Note, with `updated`; id <note>#update-<time>) to the same inboxes;
//   delete   the row goes and Delete(Tombstone of the reply's Note) reaches the same inboxes.
// Every activity goes through the delivery queue (signed there, like every delivery; a blocked or dead inbox is
// dropped when due); the member's request waits for one queue send, never for the other server.
// What Roost's own inbox needs to accept them (inbound.ts, reactions.ts): a Like whose object is the post URL;
// a Note attributed to the activity's actor, on its origin, inReplyTo the post URL, with non-empty content.
import { type Context, Create, Delete, Like, Mention, Note, PUBLIC_COLLECTION, type Recipient, Tombstone, Undo, Update } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";
import type { Config } from "../../config";
import type { Db } from "../../db";
import { type FederationData, federationFor } from "./federation";
import { recipientOf } from "./follow-remote";
import { deliveryTargets } from "./remote";
import {
  type ActionableNote,
  addNoteLike,
  addNoteReply,
  editNoteReply,
  getNoteReply,
  type RepliedNote,
  removeNoteLike,
  removeNoteReply,
  replyPath,
  type SentReply,
  type StoredReply,
} from "./remote-notes";

function senderFor(env: Env, db: Db, config: Config, userId: number) {
  const ctx = federationFor(env, config).createContext(new URL(config.baseUrl), { db, config, env });
  const identifier = String(userId);
  return { ctx, identifier, me: ctx.getActorUri(identifier) };
}

const likeOf = (id: URL, me: URL, note: ActionableNote) => new Like({ id, actor: me, object: new URL(note.uri), to: new URL(note.actorUri) });

/** Likes the note (once): a second like sends nothing. */
export async function likeNote(env: Env, db: Db, config: Config, userId: number, note: ActionableNote): Promise<void> {
  if (note.likeId) return;
  const { ctx, identifier, me } = senderFor(env, db, config, userId);
  const id = new URL(`#likes/${crypto.randomUUID()}`, me);
  if (!(await addNoteLike(db, userId, note.id, id.href))) return;
  await ctx.sendActivity({ identifier }, recipientOf({ uri: note.actorUri, inbox: note.inbox, sharedInbox: note.sharedInbox }), likeOf(id, me, note));
}

/** Takes the like back: Undo(Like) naming the Like; nothing is sent when there was no like. */
export async function unlikeNote(env: Env, db: Db, config: Config, userId: number, note: ActionableNote): Promise<void> {
  const likeId = await removeNoteLike(db, userId, note.id);
  if (likeId === null) return;
  const { ctx, identifier, me } = senderFor(env, db, config, userId);
  const undo = new Undo({
    id: new URL(`#undo-likes/${crypto.randomUUID()}`, me),
    actor: me,
    object: likeOf(new URL(likeId), me, note),
    to: new URL(note.actorUri),
  });
  await ctx.sendActivity({ identifier }, recipientOf({ uri: note.actorUri, inbox: note.inbox, sharedInbox: note.sharedInbox }), undo);
}

/** Who a reply (and its Update and Delete) is addressed to: Public and the note's author, cc the member's followers. */
const replyAudience = (ctx: Context<FederationData>, userId: number, author: URL) => ({
  tos: [PUBLIC_COLLECTION, author],
  cc: ctx.getFollowersUri(String(userId)),
});

/** A reply's Note id: `<BASE_URL>/users/<member>/replies/<reply>`. */
const replyNoteId = (ctx: Context<FederationData>, userId: number, replyId: number) => new URL(replyPath(userId, replyId), ctx.data.config.baseUrl);

/** Each server once, at its shared inbox where it has one. */
const ONE_PER_SERVER = { preferSharedInbox: true };

/** The member's reply as a Note: inReplyTo the remote note, to Public and its author, cc the member's followers. */
function replyNote(ctx: Context<FederationData>, userId: number, reply: Pick<StoredReply, "id" | "bodyHtml" | "createdAt" | "updatedAt">, note: RepliedNote) {
  const identifier = String(userId);
  const author = new URL(note.actorUri);
  const audience = replyAudience(ctx, userId, author);
  const published = Temporal.Instant.fromEpochMilliseconds(reply.createdAt);
  const id = replyNoteId(ctx, userId, reply.id);
  const object = new Note({
    id,
    attribution: ctx.getActorUri(identifier),
    content: reply.bodyHtml,
    replyTarget: new URL(note.uri),
    published,
    updated: reply.updatedAt === null ? null : Temporal.Instant.fromEpochMilliseconds(reply.updatedAt),
    tags: [new Mention({ href: author, name: note.handle })],
    ...audience,
  });
  return { id, object, audience, published };
}

/** Reply `replyId`'s Note as ActivityPub JSON (GET /users/<member>/replies/<id>), or null when there is none. */
export async function replyNoteDocument(env: Env, db: Db, config: Config, userId: number, replyId: number): Promise<unknown> {
  const found = await getNoteReply(db, userId, replyId);
  if (!found) return null;
  const { ctx } = senderFor(env, db, config, userId);
  return replyNote(ctx, userId, found, found).object.toJsonLd({ contextLoader: ctx.contextLoader, format: "compact" });
}

/** Stores the reply and delivers Create(Note) to the note's author and the member's remote followers. */
export async function replyToNote(
  env: Env,
  db: Db,
  config: Config,
  userId: number,
  note: ActionableNote,
  text: { body: string; bodyHtml: string },
): Promise<StoredReply> {
  const reply = await addNoteReply(db, userId, note.id, text);
  const { ctx, identifier, me } = senderFor(env, db, config, userId);
  const { id, object, audience, published } = replyNote(ctx, userId, reply, note);
  const create = new Create({ id: new URL("#create", id), actor: me, object, published, ...audience });
  await ctx.sendActivity({ identifier }, await replyRecipients(db, userId, note), create, ONE_PER_SERVER);
  return reply;
}

/** Where a reply, its Updates and its Delete go: the note's author and the member's followers elsewhere. */
async function replyRecipients(db: Db, userId: number, note: Pick<ActionableNote, "actorUri" | "inbox" | "sharedInbox">): Promise<Recipient[]> {
  return [recipientOf({ uri: note.actorUri, inbox: note.inbox, sharedInbox: note.sharedInbox }), ...(await deliveryTargets(db, userId)).map(recipientOf)];
}

/**
 * Gives the member's reply its new text and sends Update(Note) where the Create went; the Update's id carries
 * the edit's time, so a server that saw an earlier edit does not drop this one as a replay. Undefined when the
 * reply is not theirs (any more).
 */
export async function editReplyToNote(
  env: Env,
  db: Db,
  config: Config,
  userId: number,
  reply: SentReply,
  text: { body: string; bodyHtml: string },
): Promise<StoredReply | undefined> {
  const edited = await editNoteReply(db, userId, reply.id, text);
  if (!edited) return undefined;
  const { ctx, identifier, me } = senderFor(env, db, config, userId);
  const { id, object, audience } = replyNote(ctx, userId, edited, { uri: reply.noteUri, actorUri: reply.actorUri, handle: reply.handle });
  const update = new Update({ id: new URL(`#update-${edited.updatedAt}`, id), actor: me, object, updated: object.updated, ...audience });
  await ctx.sendActivity({ identifier }, await replyRecipients(db, userId, reply), update, ONE_PER_SERVER);
  return edited;
}

/** Deletes the member's reply and tells the servers it went to (Delete of a Tombstone with the Note's id); once. */
export async function deleteReplyToNote(env: Env, db: Db, config: Config, userId: number, reply: SentReply): Promise<void> {
  if (!(await removeNoteReply(db, userId, reply.id))) return;
  const { ctx, identifier, me } = senderFor(env, db, config, userId);
  const id = replyNoteId(ctx, userId, reply.id);
  const del = new Delete({ id: new URL("#delete", id), actor: me, object: new Tombstone({ id }), ...replyAudience(ctx, userId, new URL(reply.actorUri)) });
  await ctx.sendActivity({ identifier }, await replyRecipients(db, userId, reply), del, ONE_PER_SERVER);
}
