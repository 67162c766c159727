// Workers test suite: runs test/**/*.test.ts inside workerd with the real local D1/KV/Queue bindings from
// wrangler.toml; migrations are applied by test/setup.ts from the TEST_MIGRATIONS binding.
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// jsonld (under Fedify) picks its Node platform file, whose document loader imports undici through an import
// attribute that workerd's module loader rejects; bundlers (wrangler's esbuild) follow jsonld's package.json
// "browser" map to platform-browser.js instead. Tests do the same.
const jsonldBrowserPlatform = {
  name: "jsonld-browser-platform",
  enforce: "pre" as const,
  resolveId(source: string, importer: string | undefined) {
    if (importer?.includes(`${path.sep}jsonld${path.sep}lib${path.sep}`) && /^\.\/platform(\.js)?$/.test(source)) {
      return path.join(path.dirname(importer.split("?")[0]!), "platform-browser.js");
    }
    return null;
  },
};

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    plugins: [
      jsonldBrowserPlatform,
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
      deps: { optimizer: { ssr: { enabled: true, include: ["jsonld", "multicodec"], rolldownOptions: { platform: "browser" } } } },
    },
  };
});
