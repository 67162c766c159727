// The profile popup (issue 12): the card every username link loads once from /user/<name>/popup. What it
// shows to a stranger and to a member, its counts, the follow button's rules, unknown and impossible names,
// wrong methods, its D1 cost, and that every username link carries the attributes that load it.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { confirmedUser, insertUsers, setPermissions, unconfirmedUser } from "../helpers/accounts";
import { Client, ORIGIN } from "../helpers/client";
import { d1Queries, HX } from "../helpers/http";
import { followRow, insertComment, insertPost, insertPosts } from "../helpers/posts";

const popupOf = (username: string) => `/user/${username}/popup`;

async function setName(id: number, name: string | null) {
  await env.DB.prepare("UPDATE users SET name = ? WHERE id = ?").bind(name, id).run();
}

/** The popup's text without tags and with runs of whitespace folded: what a person reads in the card. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();

describe("GET /user/<name>/popup", () => {
  it("shows a stranger the avatar, name and counts as a fragment, without a follow button, in one D1 query", async () => {
    const [u, f1, f2, g] = await insertUsers(4, "pop");
    await setName(u!.id, "Ada Lovelace");
    await env.DB.batch([followRow(f1!.id, u!.id), followRow(f2!.id, u!.id), followRow(u!.id, g!.id)]);
    await insertPosts(u!.id, 3);
    const res = await new Client().get(popupOf(u!.username), HX);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/html");
    const html = await res.text();
    expect(html).not.toContain("<html");
    expect(html).toMatch(/^<div class="profile-card">/);
    expect(html).toContain(`<img class="avatar" src="/avatars/${u!.username.toLowerCase()}.svg`);
    expect(html).toContain(`<a href="/user/${u!.username}" tabindex="-1">Ada Lovelace</a>`);
    expect(textOf(html)).toBe(`Ada Lovelace @${u!.username} 3 posts 2 followers 1 following`);
    expect(html).not.toContain("follow-form");
    expect(d1Queries(res)).toBe(1);
  });

  it("counts one post, one follower in the singular, and leaves out the self-follow", async () => {
    const [u, f] = await insertUsers(2, "pone");
    await env.DB.batch([followRow(f!.id, u!.id)]);
    await insertPost(u!.id, "only post", Date.now());
    const html = await (await new Client().get(popupOf(u!.username))).text();
    // No real name: the username alone, no "@" line.
    expect(textOf(html)).toBe(`${u!.username} 1 post 1 follower 0 following`);
  });

  it("gives a member a Follow button that htmx swaps in place, then Unfollow, with the new counts", async () => {
    const me = await confirmedUser("popme");
    const [u] = await insertUsers(1, "popthem");
    const first = await me.client.get(popupOf(u!.username), HX);
    expect(first.status).toBe(200);
    expect(first.headers.get("Cache-Control")).toBe("private, no-store");
    expect(d1Queries(first)).toBe(2);
    const html = await first.text();
    expect(html).toContain(`<form class="follow-form" method="post" action="/follow/${u!.username}" hx-post="/follow/${u!.username}"`);
    expect(html).toContain(">Follow</button>");
    expect(html).toContain(`<li class="followers-of-${u!.id}">0 followers</li>`);

    // The button's own request (what htmx sends from the card): the new button, and the new count for every
    // card of this person on the page (out of band).
    const followed = await me.client.post(`/follow/${u!.username}`, {}, HX);
    expect(followed.status).toBe(200);
    const fragment = await followed.text();
    expect(fragment).toContain(">Unfollow</button>");
    expect(fragment).toContain(`<span hx-swap-oob="innerHTML:.followers-of-${u!.id}">1 follower</span>`);

    const after = await (await me.client.get(popupOf(u!.username), HX)).text();
    expect(after).toContain(`action="/unfollow/${u!.username}"`);
    expect(after).toContain(">Unfollow</button>");
    expect(textOf(after)).toContain("1 follower ");
    expect(after).not.toContain("Follows you");
  });

  it("says when the person follows the member, and shows no button on the member's own card", async () => {
    const me = await confirmedUser("popself");
    const [fan] = await insertUsers(1, "popfan");
    await env.DB.batch([followRow(fan!.id, me.id)]);
    const theirs = await (await me.client.get(popupOf(fan!.username))).text();
    expect(theirs).toContain("Follows you");
    expect(theirs).toContain(">Follow</button>");

    const own = await (await me.client.get(popupOf(me.username))).text();
    expect(own).not.toContain("follow-form");
    expect(textOf(own)).toBe(`${me.username} 0 posts 1 follower 0 following`);
  });

  it("shows no button to a member without the follow permission", async () => {
    const me = await confirmedUser("popnofollow");
    await setPermissions(me.id, "NoFollowPopup", 2 | 4);
    const [u] = await insertUsers(1, "popx");
    const res = await me.client.get(popupOf(u!.username));
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain("follow-form");
  });

  it("finds names case-insensitively and escapes what people wrote", async () => {
    const [u] = await insertUsers(1, "PopCase");
    await setName(u!.id, '<script>alert("x")</script> & co');
    const res = await new Client().get(popupOf(u!.username.toUpperCase()));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co");
    expect(html).not.toContain("<script>");
    expect(html).toContain(`@${u!.username}<`);
  });

  it.each([
    ["an unknown name", "nobody_has_this_name"],
    ["an impossible name (digit first)", "1digitfirst"],
    ["a name too long", "x".repeat(65)],
    ["markup", "%3Cb%3Ehi%3C%2Fb%3E"],
    ["a space", "has%20space"],
  ])("answers %s with a 404 fragment in the card's place", async (_label, name) => {
    const res = await new Client().get(popupOf(name), HX);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).not.toContain("<html");
    expect(textOf(html)).toBe("There is no user with that name.");
  });

  it("takes GET (and HEAD, its bodiless twin) only: POST and DELETE are 405 with Allow, nothing changes", async () => {
    const me = await confirmedUser("popmethod");
    const [u] = await insertUsers(1, "popm");
    for (const method of ["POST", "DELETE", "PUT"]) {
      const res = await me.client.fetch(popupOf(u!.username), { method, headers: { Origin: ORIGIN } });
      expect(res.status, method).toBe(405);
      expect(res.headers.get("Allow"), method).toBe("GET, HEAD");
      expect(await res.text()).toContain(`This address does not take a ${method} request.`);
    }
    // A cross-site POST is refused before routing, as everywhere.
    const csrf = await me.client.fetch(popupOf(u!.username), { method: "POST", headers: { Origin: "https://evil.example" } });
    expect(csrf.status).toBe(403);
    const head = await new Client().fetch(popupOf(u!.username), { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const follows = await env.DB.prepare("SELECT count(*) AS n FROM follows WHERE followed_id = ? AND follower_id != ?")
      .bind(u!.id, u!.id)
      .first<{ n: number }>();
    expect(follows!.n).toBe(0);
  });

  it("holds an unconfirmed member at the confirmation page, like every other member page", async () => {
    const me = await unconfirmedUser("popunconf", { login: true });
    const [u] = await insertUsers(1, "popu");
    const res = await me.client.get(popupOf(u!.username));
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/auth/unconfirmed");
    // From htmx: the gate's usual answer (no page an unconfirmed member can reach lists other people).
    const partial = await me.client.get(popupOf(u!.username), HX);
    expect(partial.headers.get("HX-Redirect")).toBe("/auth/unconfirmed");
    expect(await partial.text()).toBe("");
  });
});

describe("every username link carries the popup", () => {
  it("in post lists, comments, the liked-by list and search results; the card's span is empty until loaded", async () => {
    const [author, commenter, fan] = await insertUsers(3, "poplinks");
    const postId = await insertPost(author!.id, "popuplinkword in a post", Date.now());
    await insertComment(postId, commenter!.id, "a comment");
    await env.DB.prepare("INSERT INTO post_likes (post_id, user_id, created_at) VALUES (?, ?, ?)").bind(postId, fan!.id, Date.now()).run();
    const attrs = (name: string) =>
      `hx-get="/user/${name}/popup" hx-trigger="mouseenter delay:500ms once, focus once" hx-target="next" hx-swap="innerHTML" data-profile-popup="">${name}</a><span class="profile-popup"></span>`;
    const explore = await (await new Client().get("/explore")).text();
    expect(explore).toContain(attrs(author!.username));
    const post = await (await new Client().get(`/post/${postId}`)).text();
    expect(post).toContain(attrs(author!.username));
    expect(post).toContain(attrs(commenter!.username));
    expect(post).toContain(attrs(fan!.username));
    const search = await (await new Client().get("/search?q=popuplinkword")).text();
    expect(search).toContain(`hx-get="/user/${author!.username}/popup"`);
  });
});
