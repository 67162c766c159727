// The social domain events: every change a member makes through the web or the API announces exactly one
// event with the ids a subscriber needs, after it committed, and a refused or repeated change announces
// nothing. A subscriber's own statements run (publish) and see the committed change.
import { env } from "cloudflare:test";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { posts } from "../../src/db/schema";
import { type Reaction, type Subscribers, setSubscribers } from "../../src/events/commit";
import type { DomainEvent, EventType } from "../../src/events/types";
import { subscribers } from "../../src/subscribers";
import { apiUser, postWithApiFan } from "../api/helpers";
import { confirmedUser } from "../helpers/accounts";
import { insertPost } from "../helpers/posts";

const SOCIAL: EventType[] = [
  "post.created",
  "post.updated",
  "post.deleted",
  "post.liked",
  "comment.created",
  "comment.moderated",
  "comment.deleted",
  "user.followed",
  "user.unfollowed",
  "user.deleted",
];

let seen: DomainEvent[] = [];
const record = (_ctx: unknown, event: DomainEvent): Reaction => {
  seen.push(event);
  return {};
};

beforeEach(() => {
  seen = [];
  const withRecorder: Subscribers = { ...subscribers };
  for (const type of SOCIAL) Object.assign(withRecorder, { [type]: [...(subscribers[type] ?? []), record] });
  setSubscribers(withRecorder);
});
afterEach(() => setSubscribers(subscribers));

const latestPostOf = async (authorId: number) =>
  (await env.DB.prepare("SELECT id FROM posts WHERE author_id = ? ORDER BY id DESC LIMIT 1").bind(authorId).first<{ id: number }>())!.id;

describe("posts", () => {
  it("create, edit and delete through the web announce post.created/updated/deleted with the post's id", async () => {
    const author = await confirmedUser("evpost");
    expect((await author.client.post("/", { body: "hello events, @Someone #first" })).status).toBe(303);
    const postId = await latestPostOf(author.id);
    expect((await author.client.post(`/edit/${postId}`, { body: "edited #second" })).status).toBe(303);
    expect((await author.client.post(`/post/${postId}/delete`)).status).toBe(303);
    expect(seen).toEqual([
      { type: "post.created", postId, authorId: author.id, mentions: ["Someone"], tags: ["first"] },
      // An edit changes the pages of the tags it removed and of those it added.
      { type: "post.updated", postId, authorId: author.id, mentions: [], tags: ["first", "second"] },
      { type: "post.deleted", postId, authorId: author.id, tags: ["second"] },
    ]);
  });

  it("a refused post (empty body) or someone else's edit announces nothing", async () => {
    const author = await confirmedUser("evrefuse");
    const other = await confirmedUser("evother");
    const postId = await insertPost(author.id, "mine", Date.now());
    expect((await author.client.post("/", { body: "" })).status).toBe(422);
    expect((await other.client.post(`/edit/${postId}`, { body: "hijack" })).status).toBe(403);
    expect(seen).toEqual([]);
  });

  it("the API announces the same events", async () => {
    const { id, api } = await apiUser("evapi");
    const created = await api.post("/posts/", { body: "from the api" });
    expect(created.status).toBe(201);
    const postId = Number(String(created.body.url).split("/").pop());
    expect((await api.delete(`/posts/${postId}`)).status).toBe(204);
    expect(seen).toEqual([
      { type: "post.created", postId, authorId: id, mentions: [], tags: [] },
      { type: "post.deleted", postId, authorId: id, tags: [] },
    ]);
  });

  it("a like through the web or the API announces post.liked once; a repeat, an unlike or a missing post does not", async () => {
    const { author, fan, postId } = await postWithApiFan("evlike");
    expect((await author.client.post(`/post/${postId}/like`)).status).toBe(303);
    expect((await author.client.post(`/post/${postId}/like`)).status).toBe(303);
    expect((await author.client.post("/post/999999999/like")).status).toBe(404);
    expect((await fan.api.post(`/posts/${postId}/like`)).status).toBe(200);
    expect((await fan.api.post(`/posts/${postId}/like`)).status).toBe(200);
    expect((await fan.api.delete(`/posts/${postId}/like`)).status).toBe(200);
    expect(seen).toEqual([
      { type: "post.liked", postId, userId: author.id },
      { type: "post.liked", postId, userId: fan.id },
    ]);
  });
});

describe("comments", () => {
  it("adding, moderating and deleting a comment announce comment.created/moderated/deleted", async () => {
    const author = await confirmedUser("evcauthor");
    const moderator = await confirmedUser("evmod", { role: "Moderator" });
    const postId = await insertPost(author.id, "discuss", Date.now());
    expect((await author.client.post(`/post/${postId}/comments`, { body: "first!" })).status).toBe(303);
    const commentId = (await env.DB.prepare("SELECT id FROM comments WHERE post_id = ?").bind(postId).first<{ id: number }>())!.id;
    expect((await moderator.client.post(`/moderate/disable/${commentId}`)).status).toBe(303);
    expect((await author.client.post(`/comment/${commentId}/delete`)).status).toBe(303);
    expect(seen).toEqual([
      { type: "comment.created", commentId, postId, authorId: author.id },
      { type: "comment.moderated", commentId, disabled: true, moderatorId: moderator.id },
      { type: "comment.deleted", commentId, postId },
    ]);
  });

  it("a comment on a post that does not exist announces nothing", async () => {
    const author = await confirmedUser("evnopost");
    expect((await author.client.post("/post/999999999/comments", { body: "into the void" })).status).toBe(404);
    expect(seen).toEqual([]);
  });
});

describe("follows and accounts", () => {
  it("a new follow and an unfollow are announced once; repeats are not", async () => {
    const a = await confirmedUser("evfa");
    const b = await confirmedUser("evfb");
    await a.client.post(`/follow/${b.username}`);
    await a.client.post(`/follow/${b.username}`);
    await a.client.post(`/unfollow/${b.username}`);
    await a.client.post(`/unfollow/${b.username}`);
    expect(seen).toEqual([
      { type: "user.followed", followerId: a.id, followedId: b.id },
      { type: "user.unfollowed", followerId: a.id, followedId: b.id },
    ]);
  });

  it("deleting one's account announces user.deleted; a wrong password does not", async () => {
    const u = await confirmedUser("evdel");
    expect((await u.client.post("/account/delete", { password: "wrong password" })).status).toBe(422);
    expect(seen).toEqual([]);
    expect((await u.client.post("/account/delete", { password: u.password })).status).toBe(303);
    expect(seen).toEqual([{ type: "user.deleted", userId: u.id }]);
  });
});

describe("a subscriber's statements", () => {
  it("run after the change and see it (publish)", async () => {
    const author = await confirmedUser("evstmt");
    setSubscribers({
      ...subscribers,
      "post.created": [
        (ctx, event) => ({
          statements: [
            ctx.db
              .update(posts)
              .set({ body: sql`${posts.body} || ' (seen)'` })
              .where(eq(posts.id, event.postId)),
          ],
        }),
      ],
    });
    expect((await author.client.post("/", { body: "watch me" })).status).toBe(303);
    const row = await env.DB.prepare("SELECT body FROM posts WHERE author_id = ?").bind(author.id).first<{ body: string }>();
    expect(row?.body).toBe("watch me (seen)");
  });
});
