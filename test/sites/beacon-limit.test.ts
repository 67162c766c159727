// The beacon's flood limit: hits per client IP per minute (Workers Rate Limiting binding in production,
// a controllable window limiter here). Over it: 429 with Retry-After, nothing queued; other IPs unaffected.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { createWindowLimiter } from "../../src/lib/window-limiter";
import { confirmedUser } from "../helpers/client";
import { addSite, CHROME_UA } from "./helpers";

describe("beacon rate limit", () => {
  it("answers 429 past the per-IP limit and queues nothing more", async () => {
    const owner = await confirmedUser("beaconlimit");
    const site = await addSite(owner.client);
    const sent = vi.fn(async () => undefined);
    const app = createApp();
    const limitedEnv = { ...env, BEACON_IP_LIMITER: createWindowLimiter(2, 60), VISITS_QUEUE: { send: sent } as unknown as Queue };
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
    expect(await third.json()).toMatchObject({ error: "too many requests" });
    expect(sent).toHaveBeenCalledTimes(2);
    expect((await hit("192.0.2.2")).status).toBe(204);
    expect(sent).toHaveBeenCalledTimes(3);
  });
});
