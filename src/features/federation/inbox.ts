// Inbox listeners for remote followers (issue 13): a Follow of a confirmed member is stored and answered with
// an Accept (delivered through the queue like any activity); an Undo of that Follow removes it. A Follow of
// an unknown or unconfirmed member, of something that is not a member, or from one of our own actors is
// ignored (202, nothing stored). Fedify has verified the signature and that the signer is the actor first.
import { Accept, type Actor, type Context, Follow, type InboxContext, type InboxListenerSetters, isActor, Link, Undo } from "@fedify/fedify";
import type { Config } from "../../config";
import type { Db } from "../../db";
import { parseId } from "../../lib/ids";
import { getPublicMember } from "../users";
import { outboundRefusal } from "./outbound";
import { addRemoteFollower, type RemoteActorInput, removeRemoteFollower, removeRemoteFollowOf } from "./remote";

type Data = { db: Db; config: Config };
type Ctx = InboxContext<Data>;

/** The confirmed member an activity's object URI names, with their actor identifier. */
async function memberNamed(ctx: Ctx, uri: URL | null) {
  const parsed = uri ? ctx.parseUri(uri) : null;
  if (parsed?.type !== "actor") return undefined;
  const id = parseId(parsed.identifier);
  const member = id === null ? undefined : await getPublicMember(ctx.data.db, { id }, true);
  return member ? { member, identifier: parsed.identifier } : undefined;
}

export const policyOf = (config: Config) => ({ allowLoopbackHttp: config.federationAllowPrivatePeers });
const hrefOf = (v: URL | Link | null | undefined) => (v instanceof URL ? v.href : v instanceof Link ? (v.href?.href ?? null) : null);

/**
 * What Roost stores of a remote actor document, or null when it has no id or inbox, or an inbox (or shared
 * inbox) Roost may not deliver to (the outbound policy).
 */
export async function remoteActorInput(ctx: Context<Data>, actor: Actor): Promise<RemoteActorInput | null> {
  if (!actor.id || !actor.inboxId) return null;
  const inbox = actor.inboxId.href;
  const sharedInbox = actor.endpoints?.sharedInbox?.href ?? null;
  const policy = policyOf(ctx.data.config);
  if (outboundRefusal(inbox, policy) || (sharedInbox && outboundRefusal(sharedInbox, policy))) return null;
  const username = actor.preferredUsername?.toString() ?? "";
  const icon = await actor.getIcon(ctx).catch(() => null);
  return {
    uri: actor.id.href,
    inbox,
    sharedInbox,
    handle: `@${username || "unknown"}@${actor.id.host}`,
    name: actor.name?.toString() ?? username,
    iconUrl: hrefOf(icon?.url),
    url: hrefOf(actor.url),
  };
}

async function onFollow(ctx: Ctx, follow: Follow) {
  if (!follow.id || !follow.actorId) return;
  const target = await memberNamed(ctx, follow.objectId);
  if (!target || follow.actorId.origin === new URL(ctx.data.config.baseUrl).origin) return;
  const actor = await follow.getActor(ctx);
  if (!actor || !isActor(actor) || actor.id?.href !== follow.actorId.href) return;
  const input = await remoteActorInput(ctx, actor);
  if (!input) return;
  await addRemoteFollower(ctx.data.db, target.member.id, input, follow.id.href);
  const me = ctx.getActorUri(target.identifier);
  await ctx.sendActivity(
    { identifier: target.identifier },
    actor,
    new Accept({ id: new URL(`#accepts/${crypto.randomUUID()}`, me), actor: me, object: follow }),
  );
}

async function onUndo(ctx: Ctx, undo: Undo) {
  if (!undo.actorId) return;
  const object = await undo.getObject(ctx);
  if (!(object instanceof Follow) || object.actorId?.href !== undo.actorId.href) return;
  const target = await memberNamed(ctx, object.objectId);
  if (target) await removeRemoteFollowOf(ctx.data.db, undo.actorId.href, target.member.id);
  else if (object.id) await removeRemoteFollower(ctx.data.db, undo.actorId.href, object.id.href);
}

/** Registers the remote-follower listeners on the inbox (federation.ts). */
export function followListeners(inbox: InboxListenerSetters<Data>): InboxListenerSetters<Data> {
  return inbox.on(Follow, onFollow).on(Undo, onUndo);
}
