// Inbox listeners for remote followers (issue 13): a Follow of a confirmed member is stored and answered with
// an Accept (delivered through the queue like any activity); an Undo of that Follow removes it. A Follow of
// an unknown or unconfirmed member, of something that is not a member, or from one of our own actors is
// ignored (202, nothing stored). Fedify has verified the signature and that the signer is the actor first.
import { Accept, type Activity, type Actor, type Context, Follow, type InboxListenerSetters, isActor, Link, Undo } from "@fedify/fedify";
import type { Config } from "../../config";
import { publish } from "../../events/commit";
import { parseId } from "../../lib/ids";
import { getPublicMember } from "../users";
import { eventContext, type FederationData, type InboxCtx } from "./data";
import { outboundRefusal } from "./outbound";
import { removeRemoteReaction } from "./reactions";
import { addRemoteFollower, type RemoteActorInput, removeRemoteFollower, removeRemoteFollowOf } from "./remote";

type Ctx = InboxCtx;

/** The confirmed member an activity's object URI names, with their actor identifier. */
async function memberNamed(ctx: Ctx, uri: URL | null) {
  const parsed = uri ? ctx.parseUri(uri) : null;
  if (parsed?.type !== "actor") return undefined;
  const id = parseId(parsed.identifier);
  const member = id === null ? undefined : await getPublicMember(ctx.data.db, { id }, true);
  return member ? { member, identifier: parsed.identifier } : undefined;
}

export const policyOf = (config: Config) => ({ allowLoopbackHttp: config.federationAllowPrivatePeers });
/** The URL a property holds, as a URL or a Link; null otherwise. */
export const hrefOf = (v: URL | Link | null | undefined) => (v instanceof URL ? v.href : v instanceof Link ? (v.href?.href ?? null) : null);

/** Whether `uri` is on this instance (our own actors' activities are never taken as remote ones). */
export const isOurs = (ctx: Ctx, uri: URL) => uri.origin === new URL(ctx.data.config.baseUrl).origin;

/**
 * What Roost stores of a remote actor document, or null when it has no id or inbox, or an inbox (or shared
 * inbox) Roost may not deliver to (the outbound policy).
 */
export async function remoteActorInput(ctx: Context<FederationData>, actor: Actor): Promise<RemoteActorInput | null> {
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

/**
 * The activity's actor, fetched (through the outbound loaders) and checked: an actor document whose id is the
 * activity's actor, on another server, with inboxes the outbound policy allows; null otherwise.
 */
export async function remoteActorOf(ctx: Ctx, activity: Activity): Promise<{ actor: Actor; input: RemoteActorInput } | null> {
  if (!activity.actorId || isOurs(ctx, activity.actorId)) return null;
  const actor = await activity.getActor(ctx);
  if (!actor || !isActor(actor) || actor.id?.href !== activity.actorId.href) return null;
  const input = await remoteActorInput(ctx, actor);
  return input ? { actor, input } : null;
}

async function onFollow(ctx: Ctx, follow: Follow) {
  if (!follow.id) return;
  const target = await memberNamed(ctx, follow.objectId);
  const remote = target ? await remoteActorOf(ctx, follow) : null;
  if (!target || !remote) return;
  const { actor } = remote;
  // A remote actor the member blocked is dropped: nothing stored, nothing answered.
  const added = await addRemoteFollower(ctx.data.db, target.member.id, remote.input, follow.id.href);
  if (!added) return;
  if (added.isNew) await publish(eventContext(ctx), [{ type: "remote.followed", userId: target.member.id, remoteActorId: added.remoteActorId }]);
  const me = ctx.getActorUri(target.identifier);
  await ctx.sendActivity(
    { identifier: target.identifier },
    actor,
    new Accept({ id: new URL(`#accepts/${crypto.randomUUID()}`, me), actor: me, object: follow }),
  );
}

async function onUndo(ctx: Ctx, undo: Undo) {
  if (!undo.actorId) return;
  // Undo(Like | Announce): removed by the undone activity's id when the same actor made it (inbound.ts adds
  // them); its id is all that is needed, so nothing is fetched. Otherwise it may be an Undo(Follow).
  if (undo.objectId && (await removeRemoteReaction(ctx.data.db, undo.objectId.href, undo.actorId.href))) return;
  const object = await undo.getObject(ctx);
  if (!(object instanceof Follow) || object.actorId?.href !== undo.actorId.href) return;
  const target = await memberNamed(ctx, object.objectId);
  if (target) await removeRemoteFollowOf(ctx.data.db, undo.actorId.href, target.member.id);
  else if (object.id) await removeRemoteFollower(ctx.data.db, undo.actorId.href, object.id.href);
}

/** Registers the remote-follower listeners on the inbox (federation.ts). */
export function followListeners(inbox: InboxListenerSetters<FederationData>): InboxListenerSetters<FederationData> {
  return inbox.on(Follow, onFollow).on(Undo, onUndo);
}
