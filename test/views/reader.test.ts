// The reader's time zone comes from request.cf, which is loosely typed and absent off Cloudflare: only a
// real zone name is used, anything else falls back to UTC.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { readerTimeZone } from "../../src/views/reader";

const app = new Hono().get("/", (c) => c.text(readerTimeZone(c)));

describe("readerTimeZone", () => {
  it.each([
    ["a zone Cloudflare sends", { timezone: "Pacific/Auckland" }, "Pacific/Auckland"],
    ["no cf at all (local tools, tests)", undefined, "UTC"],
    ["cf without a timezone", { country: "NZ" }, "UTC"],
    ["a zone name the runtime does not know", { timezone: "Mars/Olympus_Mons" }, "UTC"],
    ["a timezone that is not a string", { timezone: 42 }, "UTC"],
  ])("%s", async (_label, cf, expected) => {
    const init: RequestInit = cf ? { cf } : {};
    const res = await app.request("http://localhost/", init);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(expected);
  });
});
