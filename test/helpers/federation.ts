// Federation tests where the "remote" server is this Worker: its member's key signs, and Fedify's fetch of that
// member's actor (to verify the signature) must come back into the Worker, as another server's request would.
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { vi } from "vitest";
import { createApp } from "../../src/app";
import { ORIGIN } from "./client";

/** The test bindings with the development setting that lets this Worker be its own "remote" peer (127.0.0.1). */
export const PEERS = { ...env, FEDERATION_ALLOW_PRIVATE_PEERS: "true" } as Env;

const app = createApp();

/** A request to the app with `bindings` (PEERS by default), waiting for its background work. */
export async function deliverToApp(req: Request, bindings: Env = PEERS): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(req, bindings, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

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
