// tracker.js is loaded by every page of every tracked site: it must stay at most 1.5 KB gzipped, measured
// here on the file the Worker serves.
import { env } from "cloudflare:test";
import { expect, it } from "vitest";

const MAX_GZIPPED_BYTES = 1536;

it("tracker.js is at most 1.5 KB gzipped", async () => {
  const res = await env.ASSETS.fetch("http://127.0.0.1/tracker.js");
  expect(res.status).toBe(200);
  const gz = await new Response((await res.blob()).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
  expect(gz.byteLength).toBeGreaterThan(500); // the real script, not an error page
  expect(gz.byteLength).toBeLessThanOrEqual(MAX_GZIPPED_BYTES);
});
