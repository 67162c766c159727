// Workers test suite: runs test/**/*.test.ts inside workerd with the real local D1/KV/Queue bindings from
// wrangler.toml; migrations are applied by test/setup.ts from the TEST_MIGRATIONS binding.
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    plugins: [
      cloudflareTest({
        main: "./src/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            SECRET_KEY: "test-secret-key-not-for-production",
            // Tests register and post far faster than people; test/security/abuse.test.ts checks the limits.
            RATE_REGISTRATIONS_PER_HOUR: "100000",
            RATE_POSTS_PER_MINUTE: "100000",
            RATE_COMMENTS_PER_MINUTE: "100000",
            // Tests write rows straight into D1 (no events, so no purges); test/edge-cache/ turns the cache on.
            EDGE_CACHE_SECONDS: "0",
            RATE_MESSAGES_PER_MINUTE: "100000",
          },
        },
      }),
    ],
    test: {
      // Request logs only for failing tests.
      silent: "passed-only",
      include: ["test/**/*.test.ts", "src/**/*.test.ts"],
      exclude: ["test/e2e/**"],
      setupFiles: ["./test/setup.ts"],
    },
  };
});
