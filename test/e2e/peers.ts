// Extra Roost instances for the two-instance federation test (issue 13), beside the one global-setup starts.
// The Worker is bundled once (dev-server.mjs buildSnapshot) and each instance is Miniflare's own server over
// that bundle (scripts/lib/miniflare-server.mjs), in parallel, each with its own state directory (D1, KV,
// queues, R2) migrated in its own workerd, its own random SECRET_KEY (never the developer's .dev.vars), its
// BASE_URL = its own http://127.0.0.1:<port>, and FEDERATION_ALLOW_PRIVATE_PEERS=true so they federate over
// loopback. `stop()` kills each server's process group by its pid and deletes the state, also after a failure.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { root } from "../../scripts/common.mjs";
import { buildSnapshot, startMiniflare, waitUntilReady } from "../../scripts/lib/dev-server.mjs";

export interface Peer {
  name: string;
  /** http://127.0.0.1:<port> */
  origin: string;
  /** 127.0.0.1:<port>: what follows the @ in its members' handles */
  host: string;
  /** The server's output (request log, queue consumer lines): test-results/federation-<name>.log */
  logFile: string;
}

/** The vars each instance runs with: loopback peers, and the browser tests' raised abuse limits (see global-setup). */
const PEER_VARS = {
  FEDERATION_ALLOW_PRIVATE_PEERS: "true",
  RATE_REGISTRATIONS_PER_HOUR: "100000",
  RATE_POSTS_PER_MINUTE: "100000",
  RATE_COMMENTS_PER_MINUTE: "100000",
};

/** Starts one instance per name (in parallel); resolves once every one has migrated and answers. */
export async function startPeers(names: string[]): Promise<{ peers: Peer[]; stop: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "roost-peers-"));
  const servers: { stop: () => Promise<void> }[] = [];
  const stop = async () => {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const snapshot = await buildSnapshot(path.join(dir, "snapshot"));
    const peers = await Promise.all(
      names.map(async (name) => {
        const logFile = path.join(root, "test-results", `federation-${name}.log`);
        const persistTo = path.join(dir, name);
        const server = await startMiniflare({ logFile, snapshot, vars: PEER_VARS, persistTo, migrate: true, devVars: false });
        servers.push(server);
        await waitUntilReady(server, logFile);
        return { name, origin: server.origin, host: new URL(server.origin).host, logFile };
      }),
    );
    return { peers, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
