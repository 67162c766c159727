// The JSON API refuses unsafe requests that a foreign page made a browser send (issue 10, item 7): the
// 401 challenge makes browsers cache Basic credentials, so a cross-site form could otherwise act with
// them. An Origin other than the site's own gets 403 JSON; same-origin pages and clients that send no
// Origin (curl, scripts) work as before.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ORIGIN } from "../helpers/client";
import { ApiClient, apiUser, basic } from "./helpers";

const follows = async (a: number, b: number) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM follows WHERE follower_id = ? AND followed_id = ?").bind(a, b).first<{ n: number }>())!.n;

describe("unsafe API requests from another site", () => {
  it.each([
    ["a foreign site", "https://evil.example"],
    ["a sandboxed or opaque page", "null"],
    ["the same host on another port", "http://127.0.0.1:9999"],
    ["the same host over https", "https://127.0.0.1:8787"],
  ])("from %s (Origin %s) get 403 JSON with valid Basic credentials, and nothing changes", async (_name, origin) => {
    const me = await apiUser("xsite");
    const them = await apiUser("xsitetarget");
    const api = new ApiClient(basic(me.email, me.password));
    const res = await api.request("POST", `/users/${them.id}/follow`, { headers: { Origin: origin } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: "forbidden", message: expect.stringContaining("another site") });
    expect(await follows(me.id, them.id)).toBe(0);
  });

  it.each(["PUT", "PATCH", "DELETE"])("%s from another site is refused before authentication", async (method) => {
    const me = await apiUser("xsitem");
    const res = await new ApiClient(basic(me.email, me.password)).request(method, "/tokens/", { headers: { Origin: "https://evil.example" } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: "forbidden", message: expect.stringContaining("another site") });
    // The user's API token was not revoked.
    expect((await me.api.get(`/users/${me.id}`)).status).toBe(200);
  });

  it("same-origin pages and clients without Origin are unaffected", async () => {
    const me = await apiUser("xsiteok");
    const a = await apiUser("xsiteoka");
    const b = await apiUser("xsiteokb");
    const api = new ApiClient(basic(me.email, me.password));
    expect((await api.request("POST", `/users/${a.id}/follow`, { headers: { Origin: ORIGIN } })).status).toBe(200);
    expect((await api.request("POST", `/users/${b.id}/follow`)).status).toBe(200);
    expect(await follows(me.id, a.id)).toBe(1);
    expect(await follows(me.id, b.id)).toBe(1);
  });

  it("safe methods from another site still read (no state changes)", async () => {
    const me = await apiUser("xsiteget");
    const res = await new ApiClient(basic(me.email, me.password)).request("GET", `/users/${me.id}`, { headers: { Origin: "https://evil.example" } });
    expect(res.status).toBe(200);
    expect(res.body.username).toBe(me.username);
  });
});
