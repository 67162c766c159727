// The Fedify Federation: which ActivityPub documents Roost serves, and from what. One instance per isolate and
// config (routes are registered once); every request passes its own `db` and `config` as context data.
//
//   actor      /users/{id}            Person; id is the member's numeric id, stable when a username changes
//   inbox      /users/{id}/inbox, /inbox (shared)   signature checked by Fedify; no listeners yet (see below)
//   outbox     /users/{id}/outbox     Create(Note) per post, newest first, keyset-paged
//   followers  /users/{id}/followers  local followers (actor URIs), keyset-paged like the HTML lists, then remote ones
//   following  /users/{id}/following  local follows, then accepted follows of people elsewhere (cursor "r…")
//   note       /post/{id}             the post as a Note (the HTML permalink for browsers)
//   WebFinger  acct:<name>@host (any case) or the profile URL; NodeInfo 2.1 at /nodeinfo/2.1
//
// Nothing is delivered and nothing received is processed yet: inbox POSTs without a valid signature get 401
// from Fedify, signed ones 202 and are dropped (a no-op catch-all listener, which makes replays known: see
// "Inbox safety" below). Blocked servers, the inbox rate limit and gone actors: routes.ts, inbox-guard.ts.
import {
  Activity,
  type Context,
  Create,
  createFederation,
  Delete,
  type DocumentLoader,
  type DocumentLoaderFactoryOptions,
  Endpoints,
  type Federation,
  FetchError,
  getDocumentLoader,
  Image,
  kvCache,
  Mention,
  type MessageQueue,
  type MessageQueueEnqueueOptions,
  Note,
  Person,
  PUBLIC_COLLECTION,
  parseSemVer,
  type Recipient,
  Update,
} from "@fedify/fedify";
import { WorkersKvStore, WorkersMessageQueue } from "@fedify/fedify/x/cfworkers";
import { Temporal } from "@js-temporal/polyfill";
import type { Config } from "../../config";
import { type Db, getDb } from "../../db";
import { avatarUrl } from "../../lib/avatar";
import { escapeHtml } from "../../lib/html";
import { parseId } from "../../lib/ids";
import { renderPost } from "../../lib/markdown";
import { decodeCursor, encodeCursor } from "../../lib/pagination";
import { authorPostCount, type FeedPost, getFeedPost, listFeedPosts } from "../posts";
import { followCount, getPublicMember, listFollowPage, type PublicMember } from "../users";
import type { FederationData, InboxCtx } from "./data";
import { reactionListeners, replyHandlers } from "./inbound";
import { followListeners } from "./inbox";
import { followedNoteHandlers, remoteFollowListeners } from "./inbox-notes";
import { memberKeyPairs } from "./keys";
import { outboundLoaders } from "./outbound";
import { siteUsage } from "./queries";
import { REMOTE_FOLLOWERS_PAGE, remoteFollowerCount, remoteFollowerPage } from "./remote";
import { remoteFollowingCount, remoteFollowingPage } from "./remote-follows";
import { isBlockedHost } from "./servers";

export type { FederationData } from "./data";

type Ctx = Context<FederationData>;

/** One inbox listener that runs `handlers` one after the other on the same activity. */
const inTurn =
  <A>(...handlers: ((ctx: InboxCtx, activity: A) => Promise<void>)[]) =>
  async (ctx: InboxCtx, activity: A) => {
    for (const handle of handlers) await handle(ctx, activity);
  };

/** Items per outbox or follow-list page. */
export const COLLECTION_PAGE = 20;

const instant = (ms: number) => Temporal.Instant.fromEpochMilliseconds(ms);
const profileUrl = (config: Config, username: string) => new URL(`/user/${encodeURIComponent(username)}`, config.baseUrl);

/** A member the fediverse may see: confirmed (an unconfirmed account has no public presence yet). */
async function memberById(ctx: Ctx, identifier: string): Promise<PublicMember | undefined> {
  const id = parseId(identifier);
  return id === null ? undefined : getPublicMember(ctx.data.db, { id }, true);
}

/** About me is plain text: escaped, paragraphs by blank lines, line breaks kept. */
const summaryHtml = (about: string) =>
  about
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, "<br>")}</p>`)
    .join("");

export function noteOf(ctx: Context<FederationData>, post: FeedPost): Note {
  const { config } = ctx.data;
  const url = new URL(`/post/${post.id}`, config.baseUrl);
  const mentions = renderPost(post.body).mentions.map(
    (name) => new Mention({ href: profileUrl(config, name), name: `@${name}@${new URL(config.baseUrl).host}` }),
  );
  return new Note({
    id: url,
    url,
    attribution: ctx.getActorUri(String(post.authorId)),
    content: post.bodyHtml,
    published: instant(post.createdAt),
    updated: post.updatedAt > post.createdAt ? instant(post.updatedAt) : null,
    to: PUBLIC_COLLECTION,
    cc: ctx.getFollowersUri(String(post.authorId)),
    tags: mentions,
  });
}

function createOf(ctx: Ctx, post: FeedPost): Create {
  const note = noteOf(ctx, post);
  return new Create({
    id: new URL(`#create`, note.id ?? undefined),
    actor: note.attributionId,
    object: note,
    published: note.published,
    to: PUBLIC_COLLECTION,
    cc: ctx.getFollowersUri(String(post.authorId)),
  });
}

/** The first page's cursor; later pages' are keyset cursors ("ts.id"). */
const FIRST = "first";
/** The followers collection's remote pages, after the local ones: "r", then "r<ts>.<id>". */
const REMOTE = "r";
/** Unknown members get no first page: Fedify then asks the dispatcher for the whole collection, which says 404. */
const firstCursor = async (ctx: Ctx, identifier: string) => ((await memberById(ctx, identifier)) ? FIRST : null);

/** A collection's totalItems: `count` of the member's id (0 for an id that is not one). */
const counter = (count: (db: Db, id: number) => Promise<number>) => (ctx: Ctx, identifier: string) => {
  const id = parseId(identifier);
  return id === null ? 0 : count(ctx.data.db, id);
};

/** A keyset cursor ("ts.id") from a list page's `before=` query, or null at the end. */
const nextCursorOf = (olderQuery: string | null) => (olderQuery ? new URLSearchParams(olderQuery).get("before") : null);

// --- Blocked servers (issue 13): nothing is fetched from them ---------------------------------------------------
/**
 * The outbound loaders (outbound.ts: public https only, 10 s, 1 MiB, documents cached in KV) behind a check of
 * the block list: a document on a blocked host (an actor, a signing key) is never fetched, signed GETs included,
 * so its signatures cannot verify. The check runs before the cache, so a block takes effect at once. JSON-LD
 * contexts keep the plain loader (they are preloaded, and a D1 query per context would be waste).
 */
export function blockAwareLoaders(env: Env, kv: WorkersKvStore, allowLoopbackHttp: boolean) {
  const loaders = outboundLoaders({ allowLoopbackHttp }, kv);
  const guard =
    (load: DocumentLoader): DocumentLoader =>
    async (url, options) => {
      if (await isBlockedHost(getDb(env.DB), new URL(url).hostname)) throw new FetchError(url, "This server is blocked.");
      return load(url, options);
    };
  return {
    documentLoaderFactory: () => guard(loaders.documentLoaderFactory()),
    contextLoaderFactory: loaders.contextLoaderFactory,
    authenticatedDocumentLoaderFactory: (identity: { keyId: URL; privateKey: CryptoKey }) => guard(loaders.authenticatedDocumentLoaderFactory(identity)),
  };
}

function build(env: Env, config: Config): Federation<FederationData> {
  const kv = new WorkersKvStore(env.FEDERATION_KV);
  // Delivery (delivery.ts): outgoing activities go through FEDERATION_QUEUE, one message per (activity,
  // inbox); inbox activities are processed in the request. The queue is consumed by the Worker's queue()
  // handler, never by Fedify's own listener (so it is never "started").
  const binding = env.FEDERATION_QUEUE;
  const queue = new BatchedQueue(
    new WorkersMessageQueue({
      send: async (body, options) => void (await binding.send(body, options)),
      sendBatch: async (requests, options) => void (await binding.sendBatch(requests, options)),
    }),
  );
  const federation = createFederation<FederationData>({
    kv,
    origin: config.baseUrl,
    // Every fetch from another server goes through outbound.ts (public https hosts only, 127.0.0.1 over http
    // too with the development setting, each redirect checked, 10 s, 1 MiB) and the server block list.
    ...blockAwareLoaders(env, kv, config.federationAllowPrivatePeers),
    queue: { outbox: queue, fanout: queue },
    manuallyStartQueue: true,
    // Deliveries are signed the way Mastodon verifies: draft-cavage HTTP signatures (RSA-SHA256 over
    // (request-target) host date digest); Fedify's default first try is RFC 9421.
    firstKnock: "draft-cavage-http-signatures-12",
    // A signed request's Date may be this far from our clock (Mastodon's window); older or newer is 401.
    signatureTimeWindow: { hours: 12 },
  });

  federation
    .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
      const member = await memberById(ctx, identifier);
      if (!member) return null;
      const keys = await ctx.getActorKeyPairs(identifier);
      const home = profileUrl(ctx.data.config, member.username);
      return new Person({
        id: ctx.getActorUri(identifier),
        preferredUsername: member.username,
        name: member.name || member.username,
        summary: member.aboutMe ? summaryHtml(member.aboutMe) : null,
        url: home,
        published: instant(member.memberSince),
        inbox: ctx.getInboxUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        outbox: ctx.getOutboxUri(identifier),
        followers: ctx.getFollowersUri(identifier),
        following: ctx.getFollowingUri(identifier),
        publicKey: keys[0]?.cryptographicKey ?? null,
        assertionMethods: keys.map((k) => k.multikey),
        icon: new Image({ url: new URL(avatarUrl({ id: member.id, username: member.username, avatar: member.avatar }, 256), ctx.data.config.baseUrl) }),
        discoverable: true,
        manuallyApprovesFollowers: false,
      });
    })
    .setKeyPairsDispatcher(async (ctx, identifier) => {
      const id = parseId(identifier);
      return id === null ? [] : memberKeyPairs(ctx.data.db, id);
    })
    // acct:Alice@host → the member's id (names are case-insensitive, like the profile URL).
    .mapHandle(async (ctx, username) => {
      const member = await getPublicMember(ctx.data.db, { username }, true);
      return member ? String(member.id) : null;
    })
    // The profile URL as a WebFinger resource.
    .mapAlias((ctx, resource) => {
      const m = resource.href.startsWith(`${ctx.data.config.baseUrl}/user/`) ? resource.pathname.match(/^\/user\/([^/]+)$/) : null;
      return m ? { username: decodeURIComponent(m[1]!) } : null;
    });

  federation.setObjectDispatcher(Note, "/post/{id}", async (ctx, { id }) => {
    const postId = parseId(id);
    const post = postId === null ? undefined : await getFeedPost(ctx.data.db, postId);
    // A member who left the fediverse (issue 13) takes their notes with them: 404 to ActivityPub clients.
    return post && (await memberById(ctx, String(post.authorId))) ? noteOf(ctx, post) : null;
  });

  federation
    .setOutboxDispatcher("/users/{identifier}/outbox", async (ctx, identifier, cursor) => {
      const member = await memberById(ctx, identifier);
      if (!member || cursor === null) return member ? { items: [] } : null;
      const before = cursor === FIRST ? null : decodeCursor(cursor);
      if (cursor !== FIRST && !before) return null;
      const rows = await listFeedPosts(ctx.data.db, { kind: "author", authorId: member.id }, COLLECTION_PAGE + 1, before);
      const page = rows.slice(0, COLLECTION_PAGE);
      const last = page[page.length - 1];
      return {
        items: page.map((p) => createOf(ctx, p)),
        nextCursor: rows.length > COLLECTION_PAGE && last ? encodeCursor({ ts: last.createdAt, id: last.id }) : null,
      };
    })
    .setFirstCursor(firstCursor)
    .setCounter(counter(authorPostCount));

  /** A page of member ids (null: no such member or a malformed cursor; no page: the collection itself). */
  type IdPage = { ids?: string[]; nextCursor?: string | null } | null;
  const followList =
    (kind: "followers" | "following") =>
    async (ctx: Ctx, identifier: string, cursor: string | null): Promise<IdPage> => {
      const member = await memberById(ctx, identifier);
      if (!member) return null;
      if (cursor === null) return {};
      const before = cursor === FIRST ? null : decodeCursor(cursor);
      if (cursor !== FIRST && !before) return null;
      const page = await listFollowPage(ctx.data.db, kind, member.id, { page: 1, before, after: null });
      return { ids: page.items.map((u) => String(u.id)), nextCursor: nextCursorOf(page.olderQuery) };
    };
  const followersOf = followList("followers");
  const followingOf = followList("following");

  /**
   * A page of remote actors after the local ones (`after`: "" for the first, else a keyset cursor "ts.id" on
   * (follow time, actor id)); null for a bad cursor or no such member.
   */
  const remotePageOf = async <R extends { createdAt: number; actorId: number }, I>(
    ctx: Ctx,
    identifier: string,
    after: string,
    read: (db: Db, userId: number, before: { ts: number; id: number } | null) => Promise<R[]>,
    item: (row: R) => I,
  ) => {
    const member = await memberById(ctx, identifier);
    const before = after === "" ? null : decodeCursor(after);
    if (!member || (after !== "" && !before)) return null;
    const rows = await read(ctx.data.db, member.id, before);
    const last = rows[rows.length - 1];
    const full = rows.length === REMOTE_FOLLOWERS_PAGE && last;
    return { items: rows.map(item), nextCursor: full ? `${REMOTE}${encodeCursor({ ts: last.createdAt, id: last.actorId })}` : null };
  };

  /** The last local page links the remote pages' first ("r") when the member has any. */
  const thenRemote = async (ctx: Ctx, identifier: string, count: (db: Db, id: number) => Promise<number>) => {
    const member = parseId(identifier);
    return member !== null && (await count(ctx.data.db, member)) > 0 ? REMOTE : null;
  };

  federation
    .setFollowersDispatcher("/users/{identifier}/followers", async (ctx, identifier, cursor) => {
      // Remote followers' pages come after the local ones (cursors "r" and "r<ts>.<id>"; remote.ts).
      if (cursor?.startsWith(REMOTE)) {
        return remotePageOf(
          ctx,
          identifier,
          cursor.slice(REMOTE.length),
          remoteFollowerPage,
          (r): Recipient => ({
            id: new URL(r.uri),
            inboxId: new URL(r.inbox),
            endpoints: { sharedInbox: r.sharedInbox ? new URL(r.sharedInbox) : null },
          }),
        );
      }
      const list = await followersOf(ctx, identifier, cursor);
      if (!list) return null;
      const items: Recipient[] = (list.ids ?? []).map((id) => ({ id: ctx.getActorUri(id), inboxId: ctx.getInboxUri(id) }));
      if (cursor === null || list.nextCursor) return { items, nextCursor: list.nextCursor };
      return { items, nextCursor: await thenRemote(ctx, identifier, remoteFollowerCount) };
    })
    .setFirstCursor(firstCursor)
    .setCounter(counter(async (db, id) => (await followCount(db, "followers", id)) + (await remoteFollowerCount(db, id))));

  federation
    .setFollowingDispatcher("/users/{identifier}/following", async (ctx, identifier, cursor) => {
      // Accepted follows of people elsewhere come after the local ones, paged the same way (remote-follows.ts).
      if (cursor?.startsWith(REMOTE)) {
        const read = (db: Db, userId: number, before: { ts: number; id: number } | null) => remoteFollowingPage(db, userId, before, REMOTE_FOLLOWERS_PAGE);
        return remotePageOf(ctx, identifier, cursor.slice(REMOTE.length), read, (r) => new URL(r.uri));
      }
      const list = await followingOf(ctx, identifier, cursor);
      if (!list) return null;
      const items = (list.ids ?? []).map((id) => ctx.getActorUri(id));
      if (cursor === null || list.nextCursor) return { items, nextCursor: list.nextCursor };
      return { items, nextCursor: await thenRemote(ctx, identifier, remoteFollowingCount) };
    })
    .setFirstCursor(firstCursor)
    .setCounter(counter(async (db, id) => (await followCount(db, "following", id)) + (await remoteFollowingCount(db, id))));

  // Signatures are verified by Fedify before any listener runs; an activity no specific listener handles is
  // accepted (202) and dropped by the catch-all below.
  const inbox = federation.setInboxListeners("/users/{identifier}/inbox", "/inbox");

  // --- Inbox safety (issue 13): each activity id is processed once -----------------------------------------
  // Fedify remembers (KV, one day: a replay's own signature is stale after 12 hours anyway) every activity id a
  // listener handled, and answers a replay with 202 without calling any listener again. "global": the same id
  // delivered to several of our inboxes (a server without shared inbox) is one activity. Types nobody listens
  // for are dropped by the catch-all below, which also marks them handled; specific listeners take precedence.
  inbox.withIdempotency("global").on(Activity, async () => {});

  // --- Remote followers (inbox.ts): Follow → stored + Accept, Undo(Follow) → removed. ---
  followListeners(inbox);
  // --- end remote followers ---
  // --- Likes and boosts from other servers (inbound.ts) ---
  reactionListeners(inbox);
  // --- Members' follows of remote people (inbox-notes.ts): Accept/Reject of our Follow. ---
  remoteFollowListeners(inbox);
  // --- Notes: Fedify takes one listener per type, so each runs both slices in turn, and each ignores what is
  // not its own: replies to our posts become comments (inbound.ts), notes of people members follow enter their
  // feeds (inbox-notes.ts); a note tagging our members (not a reply to our post) tells them (inbound.ts's
  // mention); a Delete of an actor takes both their comments and their notes.
  inbox
    .on(Create, inTurn(replyHandlers.create, followedNoteHandlers.create, replyHandlers.mention))
    .on(Update, inTurn(replyHandlers.update, followedNoteHandlers.update))
    .on(Delete, inTurn(replyHandlers.delete, followedNoteHandlers.delete));

  federation.setNodeInfoDispatcher("/nodeinfo/2.1", async (ctx) => {
    const usage = await siteUsage(ctx.data.db);
    return {
      software: { name: "roost", version: parseSemVer("0.1.0"), homepage: new URL(ctx.data.config.baseUrl) },
      protocols: ["activitypub"],
      openRegistrations: true,
      usage: {
        users: { total: usage.users, activeMonth: usage.activeMonth, activeHalfyear: usage.activeHalfyear },
        localPosts: usage.posts,
        localComments: usage.comments,
      },
    };
  });
  return federation;
}

/**
 * Fedify enqueues a whole fan-out with one enqueueMany; a Queue's sendBatch takes at most 100 messages and
 * 256 KB, and each delivery message carries the signed activity and the key, so batches of 20 are sent.
 */
class BatchedQueue implements MessageQueue {
  readonly nativeRetrial = true;
  constructor(private readonly inner: WorkersMessageQueue) {}
  enqueue(message: unknown, options?: MessageQueueEnqueueOptions) {
    return this.inner.enqueue(message, options);
  }
  async enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions) {
    for (let i = 0; i < messages.length; i += SEND_BATCH) await this.inner.enqueueMany(messages.slice(i, i + SEND_BATCH), options);
  }
  listen(): Promise<void> {
    return Promise.reject(new TypeError("FEDERATION_QUEUE is consumed by the Worker's queue() handler"));
  }
}
const SEND_BATCH = 20;

const built = new WeakMap<Config, Federation<FederationData>>();

/** The isolate's Federation for this config (built on first use). */
export function federationFor(env: Env, config: Config): Federation<FederationData> {
  let federation = built.get(config);
  if (!federation) {
    federation = build(env, config);
    built.set(config, federation);
  }
  return federation;
}
