// Federation tests where the "remote" server is this Worker: its member's key signs, and Fedify's fetch of that
// member's actor (to verify the signature) must come back into the Worker, as another server's request would.
import { SELF } from "cloudflare:test";
import { vi } from "vitest";
import { ORIGIN } from "./client";

/**
 * Routes outbound fetches to our own origin back into the Worker (everything else goes out as usual).
 *
 * @example beforeEach(routeOwnOriginToWorker); afterEach(() => vi.restoreAllMocks());
 */
export function routeOwnOriginToWorker(): void {
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
    const req = new Request(input, init);
    return req.url.startsWith(ORIGIN) ? SELF.fetch(req) : realFetch(input, init);
  });
}
