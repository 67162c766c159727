// Browser tests (`npm run test:e2e`): plain Node environment driving Debian's Chromium through playwright-core
// against one real `wrangler dev` started by test/e2e/global-setup.ts. Files run one at a time because they
// share that server and each launches its own browser; the timeouts allow for a cold 2-core CI machine.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.ts"],
    environment: "node",
    globalSetup: ["./test/e2e/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
