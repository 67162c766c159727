// `npm run types` (always regenerates), `npm run typecheck` and the postinstall hook (only when stale):
// writes src/worker-configuration.d.ts, the types of wrangler.toml's bindings and vars and of
// .dev.vars.example's secrets. The file is generated, not committed (docs/architecture.md says why).
// With --optional (postinstall) a missing or failing wrangler only warns, so `npm install --omit=dev` still succeeds.
import { existsSync } from "node:fs";
import { bin, ensureTypes } from "./common.mjs";

const optional = process.argv.includes("--optional");
if (optional && !existsSync(bin("wrangler"))) {
  console.warn("[roost] warning: wrangler is not installed: src/worker-configuration.d.ts not generated");
  process.exit(0);
}
const code = await ensureTypes({ force: process.argv.includes("--force") });
process.exit(optional ? 0 : code);
