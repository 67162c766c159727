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
        miniflare: { bindings: { TEST_MIGRATIONS: migrations, SECRET_KEY: "test-secret-key-not-for-production" } },
      }),
    ],
    test: {
      // Request logs only for failing tests.
      silent: "passed-only",
      include: ["test/**/*.test.ts", "src/**/*.test.ts"], exclude: ["test/e2e/**"], setupFiles: ["./test/setup.ts"] },
  };
});
