// /followers/<username> and /followed_by/<username>: self excluded, newest first, 50 per page with
// ?page=N links, empty states, malformed pages, 404s, and one D1 round trip per page.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { insertUsers } from "../helpers/accounts";
import { Client } from "../helpers/client";
import { d1Queries } from "../helpers/http";
import { followRow } from "../helpers/posts";

const rows = (html: string) => html.match(/<a class="user-chip" href="\/user\/([^"]+)"/g)?.map((m) => m.split("/user/")[1]!.slice(0, -1)) ?? [];

describe("follower lists", () => {
  it("lists followers newest first, without the user themselves, with since-times", async () => {
    const [u, f1, f2] = await insertUsers(3, "fl");
    const t = Date.now();
    await env.DB.batch([followRow(f1!.id, u!.id, t - 60_000), followRow(f2!.id, u!.id, t - 1000)]);
    const res = await new Client().get(`/followers/${u!.username}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<h1>Followers of ${u!.username}</h1>`);
    expect(html).toContain(`2 people follow ${u!.username}.`);
    expect(rows(html)).toEqual([f2!.username, f1!.username]);
    expect(html).toContain("<time");
    expect(html).toContain("1 minute ago");
    expect(html).not.toContain('rel="next"');
  });

  it("lists whom a user follows at /followed_by, without themselves", async () => {
    const [u, a, b] = await insertUsers(3, "flby");
    await env.DB.batch([followRow(u!.id, a!.id, Date.now() - 5000), followRow(u!.id, b!.id)]);
    const html = await (await new Client().get(`/followed_by/${u!.username.toUpperCase()}`)).text();
    expect(html).toContain(`<h1>Followed by ${u!.username}</h1>`);
    expect(rows(html)).toEqual([b!.username, a!.username]);
    // a's followers: just u.
    expect(rows(await (await new Client().get(`/followers/${a!.username}`)).text())).toEqual([u!.username]);
  });

  it("shows empty states (nobody yet, or a page past the end)", async () => {
    const [u] = await insertUsers(1, "flempty");
    const none = await (await new Client().get(`/followers/${u!.username}`)).text();
    expect(none).toContain(`Nobody follows ${u!.username} yet.`);
    expect(rows(none)).toEqual([]);
    expect(await (await new Client().get(`/followed_by/${u!.username}`)).text()).toContain(`${u!.username} does not follow anyone yet.`);
    const past = await new Client().get(`/followers/${u!.username}?page=7`);
    expect(past.status).toBe(200);
    const pastHtml = await past.text();
    expect(pastHtml).toContain("There is nobody on this page.");
    expect(pastHtml).toContain(`href="/followers/${u!.username}"`);
  });

  it("pages 51 followers as 50 + 1, page numbers in the links, malformed pages meaning page 1", async () => {
    const [u] = await insertUsers(1, "fl51");
    const fans = await insertUsers(51, "fl51f");
    const t = Date.now() - 3600_000;
    // fans[i] followed at t + i seconds: the newest (fans[50]) comes first.
    await env.DB.batch(fans.map((f, i) => followRow(f.id, u!.id, t + i * 1000)));
    const client = new Client();
    const first = await client.get(`/followers/${u!.username}`);
    const html1 = await first.text();
    expect(html1).toContain(`51 people follow ${u!.username}.`);
    const page1 = rows(html1);
    expect(page1.length).toBe(50);
    expect(page1[0]).toBe(fans[50]!.username);
    expect(page1).not.toContain(u!.username);
    expect(html1).toContain(`href="/followers/${u!.username}?page=2" rel="next"`);
    expect(html1).toContain('aria-current="page">1<');

    const second = await (await client.get(`/followers/${u!.username}?page=2`)).text();
    expect(rows(second)).toEqual([fans[0]!.username]);
    expect(second).toContain(`href="/followers/${u!.username}" rel="prev"`);
    expect(second).not.toContain('rel="next"');

    expect(await (await client.get(`/followers/${u!.username}?page=3`)).text()).toContain("There is nobody on this page.");
    for (const bad of ["abc", "0", "-2", "1.5", "99999999999", ""]) {
      const res = await client.get(`/followers/${u!.username}?page=${bad}`);
      expect(res.status, bad).toBe(200);
      expect(rows(await res.text()), bad).toEqual(page1);
    }
  });

  it("answers 404 for unknown users", async () => {
    for (const path of ["/followers/nobody_at_all_here", "/followed_by/nobody_at_all_here", "/followers/9bad", "/followed_by/bad%20name"]) {
      const res = await new Client().get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toContain("<h1>Page not found</h1>");
    }
  });

  it("costs one D1 round trip per page whatever its length", async () => {
    const [small, big] = await insertUsers(2, "flq");
    const fans = await insertUsers(30, "flqf");
    await env.DB.batch([followRow(fans[0]!.id, small!.id), ...fans.map((f) => followRow(f.id, big!.id))]);
    const a = await new Client().get(`/followers/${small!.username}`);
    const b = await new Client().get(`/followers/${big!.username}`);
    expect(d1Queries(a)).toBe(1);
    expect(d1Queries(b)).toBe(1);
  });
});
