// The beacon's flood limit: hits per client IP per minute (Workers Rate Limiting binding in production,
// a controllable window limiter here). Over it: 429 with Retry-After, nothing queued; other IPs unaffected.
// And the other refusal that needs an injected env: D1 down → 503, in the same JSON shape.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { confirmedUser } from "../helpers/accounts";
import { fixedLimiter } from "../helpers/limiters";
import { addSite, CHROME_UA } from "./helpers";

describe("beacon rate limit", () => {
  it("answers 429 past the per-IP limit and queues nothing more", async () => {
    const owner = await confirmedUser("beaconlimit");
    const site = await addSite(owner.client);
    const sent = vi.fn(async (_message: unknown) => undefined);
    const app = createApp();
    const limitedEnv = { ...env, BEACON_IP_LIMITER: fixedLimiter(2), VISITS_QUEUE: { send: sent } as unknown as Queue };
    const hit = async (ip: string) => {
      const ctx = createExecutionContext();
      const res = await app.request(
        `http://127.0.0.1:8787/sites/${site.id}/visit?url=${encodeURIComponent(`${site.baseUrl}/page`)}`,
        { headers: { "CF-Connecting-IP": ip, "User-Agent": CHROME_UA } },
        limitedEnv,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return res;
    };
    expect((await hit("192.0.2.1")).status).toBe(204);
    expect((await hit("192.0.2.1")).status).toBe(204);
    const third = await hit("192.0.2.1");
    expect(third.status).toBe(429);
    expect(third.headers.get("Retry-After")).toBe("60");
    expect(third.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(await third.json()).toEqual({ error: "too many requests", message: "too many hits from this address; slow down" });
    expect(sent).toHaveBeenCalledTimes(2);
    // What was queued is the visit the hit described (the consumer stores exactly this).
    expect(sent.mock.calls[0]![0]).toMatchObject({ siteId: site.id, path: "/page", event: "pageview", browser: "Chrome" });
    expect((await hit("192.0.2.2")).status).toBe(204);
    expect(sent).toHaveBeenCalledTimes(3);
  });

  it("answers 503 in the same {error, message} shape when D1 fails, and queues nothing", async () => {
    const sent = vi.fn(async () => undefined);
    const brokenDb = new Proxy(env.DB, {
      get: (target, prop) =>
        prop === "prepare"
          ? () => {
              throw new Error("D1 is unavailable");
            }
          : Reflect.get(target, prop),
    });
    const ctx = createExecutionContext();
    // A site id no isolate has cached, so the beacon must ask D1 for its base URL.
    const res = await createApp().request(
      `http://127.0.0.1:8787/sites/987654321/visit?url=${encodeURIComponent("https://down.example/")}`,
      { headers: { "CF-Connecting-IP": "192.0.2.9", "User-Agent": CHROME_UA } },
      { ...env, DB: brokenDb, VISITS_QUEUE: { send: sent } as unknown as Queue },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(await res.json()).toEqual({ error: "unavailable", message: "the visit could not be recorded; try again later" });
    expect(sent).not.toHaveBeenCalled();
  });
});
