// The profile page: what it shows to whom, its counts, its posts with "Load more", 404s, and a fixed
// number of D1 round trips whatever the number of posts.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { confirmedUser, insertUsers, setRole } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { d1Queries, HX } from "../helpers/http";
import { followRow, insertPosts } from "../helpers/posts";

async function setProfile(id: number, fields: { name?: string; location?: string; about_me?: string }) {
  await env.DB.prepare("UPDATE users SET name = ?, location = ?, about_me = ? WHERE id = ?")
    .bind(fields.name ?? null, fields.location ?? null, fields.about_me ?? null, id)
    .run();
}

describe("GET /user/<username>", () => {
  it("shows the user's details, counts and posts to anyone", async () => {
    const [u, f1, f2, g] = await insertUsers(4, "prof");
    await setProfile(u!.id, { name: "Ada Lovelace", location: "London & Paris", about_me: "Line one\nLine <two> & three" });
    await env.DB.batch([followRow(f1!.id, u!.id), followRow(f2!.id, u!.id), followRow(u!.id, g!.id)]);
    await insertPosts(u!.id, 3);
    const res = await new Client().get(`/user/${u!.username}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<h1>${u!.username}</h1>`);
    expect(html).toContain("Ada Lovelace");
    expect(html).toContain('href="https://www.openstreetmap.org/search?query=London%20%26%20Paris"');
    expect(html).toContain("London &amp; Paris");
    // Plain text: escaped, newline kept for white-space: pre-line.
    expect(html).toContain('<p class="about-me">Line one\nLine &lt;two&gt; &amp; three</p>');
    expect(html).toMatch(/Member since \d{1,2} \w+ \d{4}\./);
    expect(html).toContain("Last seen <time");
    expect(html).toContain("3 posts");
    expect(html).toContain("2 followers<");
    expect(html).toContain("1 following<");
    expect(html).toContain(`href="/followers/${u!.username}"`);
    expect(html).toContain(`href="/followed_by/${u!.username}"`);
    expect(html).toContain(`post number 2 of ${u!.id}`);
    // Anonymous: no email, no buttons.
    expect(html).not.toContain(u!.email);
    expect(html).not.toContain("Edit Profile");
    expect(html).not.toContain('class="follow-form"');
    expect(html).not.toContain("Follows you");
  });

  it("finds users case-insensitively and answers 404 for unknown or impossible names", async () => {
    const [u] = await insertUsers(1, "Pcase");
    const res = await new Client().get(`/user/${u!.username.toUpperCase()}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`<h1>${u!.username}</h1>`);
    for (const name of ["no_such_user_here", "1digitfirst", "has%20space", "x".repeat(65)]) {
      const miss = await new Client().get(`/user/${name}`);
      expect(miss.status, name).toBe(404);
      expect(await miss.text()).toContain("There is no user with that name.");
    }
  });

  it("shows the email only to administrators, and the right edit links", async () => {
    const viewer = await confirmedUser("pview");
    const [u] = await insertUsers(1, "pemail");
    const asUser = await (await viewer.client.get(`/user/${u!.username}`)).text();
    expect(asUser).not.toContain(u!.email);
    expect(asUser).not.toContain("Edit Profile");

    const own = await (await viewer.client.get(`/user/${viewer.username}`)).text();
    expect(own).toContain('href="/edit-profile"');
    expect(own).not.toContain("Edit Profile [Admin]");

    await setRole(viewer.id, "Administrator");
    const asAdmin = await (await viewer.client.get(`/user/${u!.username}`)).text();
    expect(asAdmin).toContain(`href="mailto:${u!.email}"`);
    expect(asAdmin).toContain(`href="/edit-profile/${u!.id}"`);
    expect(asAdmin).toContain("Edit Profile [Admin]");
    expect(asAdmin).not.toContain('href="/edit-profile"');

    // Moderators are not admins.
    await setRole(viewer.id, "Moderator");
    expect(await (await viewer.client.get(`/user/${u!.username}`)).text()).not.toContain(u!.email);
  });

  it("shows the Follows you badge and the matching follow button", async () => {
    const viewer = await confirmedUser("pbadge");
    const [fan, stranger] = await insertUsers(2, "pbadgeu");
    await env.DB.batch([followRow(fan!.id, viewer.id)]);
    const fanPage = await (await viewer.client.get(`/user/${fan!.username}`)).text();
    expect(fanPage).toContain('<span class="badge">Follows you</span>');
    expect(fanPage).toContain(`action="/follow/${fan!.username}"`);
    const other = await (await viewer.client.get(`/user/${stranger!.username}`)).text();
    expect(other).not.toContain("Follows you");
    // Own profile: the self-follow is not "follows you".
    expect(await (await viewer.client.get(`/user/${viewer.username}`)).text()).not.toContain("Follows you");
    await viewer.client.post(`/follow/${stranger!.username}`);
    expect(await (await viewer.client.get(`/user/${stranger!.username}`)).text()).toContain(`action="/unfollow/${stranger!.username}"`);
  });

  it("pages the posts 20 at a time with Load more, and an htmx partial gets just the next items", async () => {
    const [u] = await insertUsers(1, "ppage");
    await insertPosts(u!.id, 25);
    const client = new Client();
    const html = await (await client.get(`/user/${u!.username}`)).text();
    expect(html.match(/<li class="post"/g)?.length).toBe(20);
    expect(html).toContain(`post number 24 of ${u!.id}`);
    expect(html).not.toContain(`post number 4 of ${u!.id}<`);
    const more = html.match(/<li class="load-more"[^>]*>\s*<a[^>]*hx-get="([^"]+)"/)?.[1]?.replaceAll("&amp;", "&");
    expect(more).toMatch(new RegExp(`^/user/${u!.username}\\?page=2&before=`));

    const partial = await client.get(more!, HX);
    expect(partial.status).toBe(200);
    const frag = await partial.text();
    expect(frag).not.toContain("<html");
    expect(frag).not.toContain("<h1>");
    expect(frag.match(/<li class="post"/g)?.length).toBe(5);
    expect(frag).toContain(`post number 0 of ${u!.id}<`);
    expect(frag).not.toContain("Load more");

    // Without JavaScript the same link is a full page 2.
    const full = await (await client.get(more!)).text();
    expect(full).toContain(`<h1>${u!.username}</h1>`);
    expect(full.match(/<li class="post"/g)?.length).toBe(5);
  });

  it("shows an empty state for a user without posts", async () => {
    const [u] = await insertUsers(1, "pempty");
    expect(await (await new Client().get(`/user/${u!.username}`)).text()).toContain("has not posted anything yet.");
  });

  it("costs the same number of D1 round trips for 1 post as for 20 (no query per row)", async () => {
    const viewer = await confirmedUser("pq");
    const [one, twenty] = await insertUsers(2, "pqu");
    await insertPosts(one!.id, 1);
    await insertPosts(twenty!.id, 20);
    await env.DB.batch([followRow(viewer.id, twenty!.id), followRow(twenty!.id, one!.id)]);
    const a = await viewer.client.get(`/user/${one!.username}`);
    const b = await viewer.client.get(`/user/${twenty!.username}`);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect((await b.text()).match(/<li class="post"/g)?.length).toBe(20);
    expect(d1Queries(a)).toBe(d1Queries(b));
    // Session + profile header (with every count) + one page of posts.
    expect(d1Queries(b)).toBe(3);
    const anon = await new Client().get(`/user/${twenty!.username}`);
    expect(d1Queries(anon)).toBe(2);
  });
});
