// `npm run assets` and the postinstall hook: copies node_modules/htmx.org/dist/htmx.min.js into public/.
// With --optional (postinstall) a missing htmx.org only warns, so `npm install --omit=dev` still succeeds.
import { copyAssets, fail, log } from "./common.mjs";

try {
  copyAssets();
  log("copied htmx.min.js to public/");
} catch (error) {
  if (process.argv.includes("--optional")) {
    console.warn(`[roost] warning: ${error.message}`);
  } else {
    fail(error.message);
    process.exit(1);
  }
}
