// "Follow someone elsewhere" (issue 13), the half that talks to other servers (loaded by web-routes.tsx only
// when a member follows or unfollows, so the Worker does not evaluate Fedify for every page):
//   follow    the handle is looked up by WebFinger (outbound.ts: our URL policy) and the actor document fetched
//             through Fedify's document loader (the block list, the policy, the KV cache); the actor and a
//             pending follow are stored in one batch; a signed Follow from the member's actor goes through the
//             delivery queue. The remote server's Accept (inbox-notes.ts) makes it count.
//   unfollow  the row is removed and an Undo(Follow) delivered the same way.
// Nothing here waits for delivery: the member's request costs the lookup (two GETs at most) and a queue send.
import { type Actor, type Context, Follow, isActor, type Recipient, Reject, Undo } from "@fedify/fedify";
import type { Config } from "../../config";
import type { Db } from "../../db";
import { t } from "../../i18n";
import { type FederationData, federationFor } from "./federation";
import { policyOf, remoteActorInput } from "./inbox";
import { outboundRefusal, webFingerActor } from "./outbound";
import type { RemoteActorInput } from "./remote";
import { addRemoteFollow, type FollowTarget, removeRemoteFollow } from "./remote-follows";
import { isBlockedHost } from "./servers";

export type FollowResult =
  | { ok: true; handle: string }
  /** `localProfile`: the target is a member here (their profile is where to follow them). */
  | { ok: false; status: 404 | 409 | 422; message: string; localProfile?: string };

const refuse = (status: 404 | 409 | 422, message: string, localProfile?: string): FollowResult => ({ ok: false, status, message, localProfile });

/** Where to deliver to a stored remote actor (its inbox, and its server's shared inbox if any). */
export const recipientOf = (a: { uri: string; inbox: string; sharedInbox: string | null }): Recipient => ({
  id: new URL(a.uri),
  inboxId: new URL(a.inbox),
  endpoints: { sharedInbox: a.sharedInbox ? new URL(a.sharedInbox) : null },
});

/** A member's own address typed into the box: where their profile is. */
function localProfileOf(target: FollowTarget): string {
  if (target.kind === "acct") return `/user/${encodeURIComponent(target.user)}`;
  const path = new URL(target.url).pathname;
  return /^\/user\/[^/]+$/.test(path) ? path : "/explore";
}

type FederationContext = Context<FederationData>;

/** The actor at `url` (through the block-aware, policy-checked document loader), or null. */
async function lookupActor(ctx: FederationContext, url: string): Promise<Actor | null> {
  const found = await ctx.lookupObject(url).catch(() => null);
  return found && isActor(found) && found.id ? found : null;
}

/** Follows the person `target` names from member `userId`'s actor (see the top of this file). */
export async function followRemote(env: Env, db: Db, config: Config, userId: number, target: FollowTarget): Promise<FollowResult> {
  const ours = new URL(config.baseUrl);
  if (target.host === ours.host) return refuse(422, t("federation.follow.ours"), localProfileOf(target));
  const hostname = new URL(`https://${target.host}`).hostname;
  if (await isBlockedHost(db, hostname)) return refuse(422, t("federation.follow.blocked", { host: hostname }));
  const policy = policyOf(config);
  const probe = target.kind === "url" ? target.url : `${/^127\.0\.0\.1(:\d+)?$/.test(target.host) ? "http" : "https"}://${target.host}/`;
  if (outboundRefusal(probe, policy)) return refuse(422, t("federation.follow.private"));

  const ctx = federationFor(env, config).createContext(ours, { db, config, env });
  const unreachable = refuse(422, t("federation.follow.unreachable", { host: target.host }));
  let actor: Actor | null;
  if (target.kind === "acct") {
    const handle = `@${target.user}@${target.host}`;
    let actorUrl: string | null;
    try {
      actorUrl = await webFingerActor(`acct:${target.user}@${target.host}`, target.host, policy);
    } catch {
      return unreachable;
    }
    if (!actorUrl) return refuse(404, t("federation.follow.unknown", { handle }));
    actor = await lookupActor(ctx, actorUrl);
    if (!actor) return unreachable;
  } else {
    // A profile URL: the actor itself (Mastodon answers /@bob with the actor), else what WebFinger says it is.
    actor = await lookupActor(ctx, target.url);
    const via = actor ? null : await webFingerActor(target.url, target.host, policy).catch(() => null);
    if (via) actor = await lookupActor(ctx, via);
    if (!actor) return refuse(404, t("federation.follow.notAnActor"));
  }
  const actorId = actor.id;
  if (!actorId) return unreachable;
  if (actorId.origin === ours.origin) return refuse(422, t("federation.follow.ours"), localProfileOf(target));
  if (await isBlockedHost(db, actorId.hostname)) return refuse(422, t("federation.follow.blocked", { host: actorId.hostname }));
  const input: RemoteActorInput | null = await remoteActorInput(ctx, actor);
  if (!input) return refuse(422, t("federation.follow.private"));

  const identifier = String(userId);
  const me = ctx.getActorUri(identifier);
  const followId = new URL(`#follows/${crypto.randomUUID()}`, me);
  if (!(await addRemoteFollow(db, userId, input, followId.href))) return refuse(409, t("federation.follow.already", { handle: input.handle }));
  await ctx.sendActivity({ identifier }, recipientOf(input), new Follow({ id: followId, actor: me, object: actorId }));
  return { ok: true, handle: input.handle };
}

/** Stops following `actorUri`: the row goes and an Undo(Follow) is delivered; its handle, or null when there was no such follow. */
export async function unfollowRemote(env: Env, db: Db, config: Config, userId: number, actorUri: string): Promise<string | null> {
  const removed = await removeRemoteFollow(db, userId, actorUri);
  if (!removed) return null;
  const ctx = federationFor(env, config).createContext(new URL(config.baseUrl), { db, config, env });
  const identifier = String(userId);
  const me = ctx.getActorUri(identifier);
  const follow = new Follow({ id: new URL(removed.followActivityId), actor: me, object: new URL(removed.uri) });
  await ctx.sendActivity(
    { identifier },
    recipientOf(removed),
    new Undo({ id: new URL(`#undo-follows/${crypto.randomUUID()}`, me), actor: me, object: follow }),
  );
  return removed.handle;
}

/**
 * Tells a remote follower's server that member `userId` ended their follow (a block): a Reject of their Follow,
 * delivered through the queue like every activity (Mastodon removes an accepted follow on it).
 */
export async function rejectRemoteFollow(
  env: Env,
  db: Db,
  config: Config,
  userId: number,
  follower: { followActivityId: string; uri: string; inbox: string; sharedInbox: string | null },
): Promise<void> {
  const ctx = federationFor(env, config).createContext(new URL(config.baseUrl), { db, config, env });
  const identifier = String(userId);
  const me = ctx.getActorUri(identifier);
  const follow = new Follow({ id: new URL(follower.followActivityId), actor: new URL(follower.uri), object: me });
  await ctx.sendActivity({ identifier }, recipientOf(follower), new Reject({ id: new URL(`#rejects/${crypto.randomUUID()}`, me), actor: me, object: follow }));
}
