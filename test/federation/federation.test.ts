// The federation app (features/federation): WebFinger, host-meta, NodeInfo, the actor (JSON for ActivityPub
// clients, the HTML profile for browsers), outbox and follow collections (keyset-paged), the inbox refusing
// unsigned POSTs, deleted and unconfirmed members invisible. Requests go through SELF like a remote server's.
import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { confirmedUser, insertUsers, unconfirmedUser } from "../helpers/accounts";
import { ORIGIN } from "../helpers/client";
import { insertPost, insertPosts } from "../helpers/posts";

const BASE = env.BASE_URL;
const HOST = new URL(BASE).host;
const AS = "application/activity+json";
const LD = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"';

// biome-ignore lint/suspicious/noExplicitAny: ActivityPub documents are read field by field in the assertions
type Json = Record<string, any>;

const get = (path: string, accept = AS) => SELF.fetch(new URL(path, ORIGIN).toString(), { headers: { Accept: accept }, redirect: "manual" });
async function json(path: string, accept = AS): Promise<Json> {
  const res = await get(path, accept);
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  return res.json();
}
const count = async (sql: string) => (await env.DB.prepare(sql).first<{ n: number }>())!.n;

// Fedify is imported by the first federation request (features/federation/routes.ts); here that first request
// also transforms its modules, which takes longer than a test's 5 s. It happens once, before the tests.
beforeAll(async () => {
  await (await get("/.well-known/nodeinfo")).arrayBuffer();
}, 60_000);

describe("WebFinger", () => {
  it("finds a member by acct: in any case, and by profile URL, linking the actor", async () => {
    const [u] = await insertUsers(1, "Finger");
    for (const resource of [`acct:${u!.username}@${HOST}`, `acct:${u!.username.toUpperCase()}@${HOST}`, `${BASE}/user/${u!.username}`]) {
      const res = await get(`/.well-known/webfinger?resource=${encodeURIComponent(resource)}`, "application/jrd+json");
      expect(res.status, resource).toBe(200);
      expect(res.headers.get("Content-Type")).toContain("application/jrd+json");
      const jrd: Json = await res.json();
      const self = jrd.links.find((l: Json) => l.rel === "self");
      expect(self.type).toBe(AS);
      expect(self.href).toBe(`${BASE}/users/${u!.id}`);
      expect(jrd.links.find((l: Json) => l.rel === "http://webfinger.net/rel/profile-page").href).toBe(`${BASE}/user/${u!.username}`);
    }
  });

  it.each([
    ["an unknown member", `acct:nobody-by-that-name@${HOST}`, 404],
    ["a member of another host", "acct:someone@elsewhere.example", 404],
    ["a URL on another host", "https://elsewhere.example/user/someone", 404],
  ])("%s is 404", async (_, resource, status) => {
    const res = await get(`/.well-known/webfinger?resource=${encodeURIComponent(resource)}`, "application/jrd+json");
    expect(res.status).toBe(status);
  });

  it.each([
    ["no resource", "/.well-known/webfinger"],
    ["an empty resource", "/.well-known/webfinger?resource="],
    ["a malformed resource", "/.well-known/webfinger?resource=%20not%20a%20uri"],
  ])("%s is 400", async (_, path) => {
    const res = await get(path, "application/jrd+json");
    expect(res.status).toBe(400);
  });

  it("does not find an unconfirmed account, whose profile links no actor", async () => {
    const u = await unconfirmedUser("fingerunconf");
    const res = await get(`/.well-known/webfinger?resource=acct:${u.username}@${HOST}`, "application/jrd+json");
    expect(res.status).toBe(404);
    expect((await get(`/users/${u.id}`)).status).toBe(404);
    const page = await (await get(`/user/${u.username}`, "text/html")).text();
    expect(page).toContain(u.username);
    expect(page).not.toContain("application/activity+json");
  });

  it("host-meta points at WebFinger", async () => {
    const res = await get("/.well-known/host-meta", "application/xrd+xml");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/xrd+xml; charset=utf-8");
    expect(await res.text()).toContain(`template="${BASE}/.well-known/webfinger?resource={uri}"`);
  });
});

describe("NodeInfo", () => {
  it("links 2.1 and reports member, post and comment counts", async () => {
    const links = await json("/.well-known/nodeinfo", "application/json");
    const href = links.links.find((l: Json) => String(l.rel).endsWith("/2.1")).href;
    expect(href).toBe(`${BASE}/nodeinfo/2.1`);
    await insertUsers(2, "counted");
    const res = await get("/nodeinfo/2.1", "application/json");
    expect(res.status).toBe(200);
    const info: Json = await res.json();
    expect(info.software.name).toBe("roost");
    expect(info.protocols).toEqual(["activitypub"]);
    expect(info.usage.users.total).toBe(await count("SELECT count(*) AS n FROM users WHERE confirmed = 1"));
    expect(info.usage.localPosts).toBe(await count("SELECT count(*) AS n FROM posts"));
    // One D1 query for the whole document.
    expect(res.headers.get("Server-Timing")).toContain('desc="1 queries"');
  });
});

describe("the actor", () => {
  it.each([AS, LD])("is a Person with inbox, outbox, collections, a public key and no private one (%s)", async (accept) => {
    const [u] = await insertUsers(1, "actor");
    await env.DB.prepare("UPDATE users SET name = ?, about_me = ? WHERE id = ?").bind("Ada <Actor>", "Hello <script>x</script>\n\nSecond", u!.id).run();
    const actor = await json(`/users/${u!.id}`, accept);
    const id = `${BASE}/users/${u!.id}`;
    expect(actor.type).toBe("Person");
    expect(actor.id).toBe(id);
    expect(actor.preferredUsername).toBe(u!.username);
    expect(actor.name).toBe("Ada <Actor>");
    expect(actor.summary).toBe("<p>Hello &lt;script&gt;x&lt;/script&gt;</p><p>Second</p>");
    expect(actor.url).toBe(`${BASE}/user/${u!.username}`);
    expect(actor.inbox).toBe(`${id}/inbox`);
    expect(actor.endpoints.sharedInbox).toBe(`${BASE}/inbox`);
    expect(actor.outbox).toBe(`${id}/outbox`);
    expect(actor.followers).toBe(`${id}/followers`);
    expect(actor.following).toBe(`${id}/following`);
    expect(actor.discoverable).toBe(true);
    expect(actor.icon.url).toMatch(new RegExp(`^${BASE}/avatars/`));
    expect(actor.publicKey.owner).toBe(id);
    expect(actor.publicKey.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(JSON.stringify(actor)).not.toMatch(/PRIVATE|"d":/);
  });

  it("keeps its key: generated once, stored, the same on every fetch", async () => {
    const [u] = await insertUsers(1, "keyed");
    const first = (await json(`/users/${u!.id}`)).publicKey.publicKeyPem;
    const second = (await json(`/users/${u!.id}`)).publicKey.publicKeyPem;
    expect(second).toBe(first);
    expect(await count(`SELECT count(*) AS n FROM actor_keys WHERE user_id = ${u!.id}`)).toBe(1);
  });

  it("the profile URL gives the actor to ActivityPub clients and the HTML page to browsers", async () => {
    const [u] = await insertUsers(1, "negotiated");
    const actor = await json(`/user/${u!.username.toUpperCase()}`);
    expect(actor.id).toBe(`${BASE}/users/${u!.id}`);
    const page = await get(`/user/${u!.username}`, "text/html,application/xhtml+xml");
    expect(page.status).toBe(200);
    expect(page.headers.get("Content-Type")).toContain("text/html");
    expect(page.headers.get("Vary")).toContain("Accept");
    const html = await page.text();
    expect(html).toContain(`<link rel="alternate" type="application/activity+json" href="/users/${u!.id}"/>`);
    // A browser on the actor URL is sent to the profile.
    const browser = await get(`/users/${u!.id}`, "text/html");
    expect(browser.status).toBe(302);
    expect(browser.headers.get("Location")).toBe(`/user/${u!.username}`);
  });

  it.each([
    ["an unknown id", "/users/999999999"],
    ["a malformed id", "/users/abc"],
    ["an unknown name", "/user/nobody-with-that-name"],
  ])("%s is 404 JSON", async (_, path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(((await res.json()) as Json).error).toBe("not found");
  });

  it("a deleted member's actor is gone (404), and so is their key", async () => {
    const u = await confirmedUser("leaver");
    expect((await json(`/users/${u.id}`)).type).toBe("Person");
    const page = await u.client.get("/account");
    expect(page.status).toBe(200);
    await env.DB.prepare("DELETE FROM users WHERE id = ?").bind(u.id).run();
    expect((await get(`/users/${u.id}`)).status).toBe(404);
    expect((await get(`/.well-known/webfinger?resource=acct:${u.username}@${HOST}`, "application/jrd+json")).status).toBe(404);
    expect(await count(`SELECT count(*) AS n FROM actor_keys WHERE user_id = ${u.id}`)).toBe(0);
  });
});

describe("the outbox", () => {
  it("pages Create(Note) activities newest first, with content, url, dates, audience and mentions", async () => {
    const [u, other] = await insertUsers(2, "outboxer");
    await insertPosts(u!.id, 25, Date.now() - 3_600_000);
    const mention = await env.DB.prepare("INSERT INTO posts (author_id, body, body_html, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id")
      .bind(u!.id, `hi @${other!.username}`, `<p>hi <a href="/user/${other!.username}">@${other!.username}</a></p>`, Date.now(), Date.now() + 5000)
      .first<{ id: number }>();
    const outbox = await json(`/users/${u!.id}/outbox`);
    expect(outbox.type).toBe("OrderedCollection");
    expect(outbox.totalItems).toBe(26);
    const first = await json(outbox.first);
    expect(first.type).toBe("OrderedCollectionPage");
    expect(first.orderedItems).toHaveLength(20);
    const create = first.orderedItems[0];
    expect(create.type).toBe("Create");
    expect(create.actor).toBe(`${BASE}/users/${u!.id}`);
    const note = create.object;
    expect(note.type).toBe("Note");
    expect(note.id).toBe(`${BASE}/post/${mention!.id}`);
    expect(note.url).toBe(note.id);
    expect(note.attributedTo).toBe(`${BASE}/users/${u!.id}`);
    expect(note.content).toContain(`@${other!.username}`);
    expect(note.to).toBe("as:Public");
    expect(note.cc).toBe(`${BASE}/users/${u!.id}/followers`);
    expect(note.published).toMatch(/Z$/);
    expect(note.updated).toMatch(/Z$/);
    const tags = Array.isArray(note.tag) ? note.tag : [note.tag];
    expect(tags).toEqual([{ type: "Mention", href: `${BASE}/user/${other!.username}`, name: `@${other!.username}@${HOST}` }]);
    const second = await json(first.next);
    expect(second.orderedItems).toHaveLength(6);
    expect(second.next).toBeUndefined();
    const ids = [...first.orderedItems, ...second.orderedItems].map((c: Json) => c.object.id);
    expect(new Set(ids).size).toBe(26);
  });

  it("a post URL asked for as ActivityPub is its Note; a browser still gets the page", async () => {
    const [u] = await insertUsers(1, "noted");
    const id = await insertPost(u!.id, "a note", Date.now());
    const note = await json(`/post/${id}`);
    expect(note.type).toBe("Note");
    expect(note.content).toBe("<p>a note</p>");
    const page = await get(`/post/${id}`, "text/html");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("a note");
    expect((await get("/post/999999999")).status).toBe(404);
  });

  it.each([
    ["a malformed cursor", "?cursor=nonsense"],
    ["an unknown member", ""],
  ])("%s is 404", async (_, query) => {
    const [u] = await insertUsers(1, "badcursor");
    const path = query ? `/users/${u!.id}/outbox${query}` : "/users/999999998/outbox";
    expect((await get(path)).status).toBe(404);
  });
});

describe("followers and following", () => {
  it("are paged lists of local actors, without the self-follow", async () => {
    const [star, ...fans] = await insertUsers(23, "fan");
    const t = Date.now();
    await env.DB.batch(
      fans.map((f, i) => env.DB.prepare("INSERT INTO follows (follower_id, followed_id, created_at) VALUES (?, ?, ?)").bind(f.id, star!.id, t + i)),
    );
    const followers = await json(`/users/${star!.id}/followers`);
    expect(followers.type).toBe("OrderedCollection");
    expect(followers.totalItems).toBe(22);
    const page = await json(followers.first);
    expect(page.orderedItems.length).toBeGreaterThan(0);
    let items: string[] = page.orderedItems;
    let next = page.next;
    while (next) {
      const p = await json(next);
      items = [...items, ...p.orderedItems];
      next = p.next;
    }
    expect(items).toHaveLength(22);
    expect(items[0]).toBe(`${BASE}/users/${fans[21]!.id}`);
    expect(items).not.toContain(`${BASE}/users/${star!.id}`);
    const following = await json(`/users/${fans[0]!.id}/following`);
    expect(following.totalItems).toBe(1);
    expect((await json(following.first)).orderedItems).toEqual([`${BASE}/users/${star!.id}`]);
  });
});

describe("cost", () => {
  it("a collection page costs the same few D1 queries whatever its size or depth", async () => {
    const [u] = await insertUsers(1, "costly");
    await insertPosts(u!.id, 45, Date.now() - 3_600_000);
    const queries = async (path: string) => {
      const res = await get(path);
      expect(res.status).toBe(200);
      const body: Json = await res.json();
      return { n: Number((res.headers.get("Server-Timing") ?? "").match(/desc="(\d+) queries"/)?.[1]), body };
    };
    const base = await queries(`/users/${u!.id}/outbox`);
    const first = await queries(base.body.first);
    const second = await queries(first.body.next);
    expect(first.n).toBe(2);
    expect(second.n).toBe(2);
    expect(base.n).toBeLessThanOrEqual(2);
  });
});

describe("the inbox", () => {
  const activity = JSON.stringify({
    "@context": "https://www.w3.org/ns/activitystreams",
    id: "https://elsewhere.example/follows/1",
    type: "Follow",
    actor: "https://elsewhere.example/users/mallory",
    object: `${BASE}/users/1`,
  });

  // The personal inbox first looks the actor up (Fedify renders it, which makes its key on first need: slow).
  it.each(["/inbox", "/users/1/inbox"])("refuses an unsigned POST to %s with 401", { timeout: 30_000 }, async (path) => {
    const [u] = await insertUsers(1, "inboxed");
    const res = await SELF.fetch(new URL(path.replace("/1/", `/${u!.id}/`), ORIGIN).toString(), {
      method: "POST",
      headers: { "Content-Type": AS },
      body: activity,
    });
    expect(res.status).toBe(401);
  });

  it.each([
    ["broken JSON", "{"],
    ["an array", "[]"],
    ["null", "null"],
    ["no actor", '{"type":"Follow"}'],
  ])("answers %s with 400, never a 500", async (_, body) => {
    const res = await SELF.fetch(`${ORIGIN}/inbox`, { method: "POST", headers: { "Content-Type": AS }, body });
    expect(res.status).toBe(400);
  });

  it("refuses an oversized body with 413 before reading it", async () => {
    const res = await SELF.fetch(`${ORIGIN}/inbox`, { method: "POST", headers: { "Content-Type": AS }, body: "x".repeat(300 * 1024) });
    expect(res.status).toBe(413);
  });

  it("sets no cookie and needs no CSRF origin (it is not a cookie app)", async () => {
    const res = await SELF.fetch(`${ORIGIN}/inbox`, { method: "POST", headers: { "Content-Type": AS }, body: activity });
    expect(res.headers.get("Set-Cookie")).toBeNull();
    expect(res.status).toBe(401);
  });
});
