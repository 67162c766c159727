// Workers test suite: runs test/**/*.test.ts inside workerd with the real local D1/KV/Queue bindings from
// wrangler.toml; migrations are applied by test/setup.ts from the TEST_MIGRATIONS binding.
import { availableParallelism } from "node:os";
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

// Tests of pure functions that need neither the Workers runtime nor the app (no `cloudflare:test`, no bindings,
// no Intl wording that workerd's ICU decides): they run in plain Node threads, skipping a workerd start-up and
// app import each. The code itself also runs in workerd through every integration test that reaches it.
const NODE_TESTS = [
  "test/lib/client-network.test.ts",
  "test/lib/fts.test.ts",
  "test/lib/ids.test.ts",
  "test/lib/markdown.test.ts",
  "test/lib/password.test.ts",
  "test/lib/remote-html.test.ts",
  "test/i18n/messages.test.ts",
  "test/federation/outbound.test.ts",
];

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  const workers = {
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
      name: "workers",
      testTimeout: 20_000,
      include: ["test/**/*.test.ts", "src/**/*.test.ts"],
      exclude: ["test/e2e/**", ...NODE_TESTS],
      setupFiles: ["./test/setup.ts"],
      // Pre-bundled dependencies load as a few modules instead of hundreds (each one a round trip from workerd to
      // vite's module runner, for every test file); node: builtins stay imports that workerd provides.
      deps: {
        optimizer: {
          ssr: {
            enabled: true,
            include: [
              "jsonld",
              "multicodec",
              "@fedify/fedify",
              "@fedify/fedify/x/cfworkers",
              "zod",
              "drizzle-orm",
              "drizzle-orm/batch",
              "drizzle-orm/d1",
              "drizzle-orm/sqlite-core",
              "markdown-it",
              "@js-temporal/polyfill",
              "hono",
              "hono/body-limit",
              "hono/cookie",
              "hono/cors",
              "hono/html",
              "hono/http-exception",
              "hono/jsx",
              "hono/jsx/jsx-runtime",
              "hono/jsx/jsx-dev-runtime",
              "hono/router/pattern-router",
              "hono/secure-headers",
              "hono/utils/cookie",
              "hono/utils/http-status",
              "isbot",
              "@oslojs/crypto/hmac",
              "@oslojs/crypto/sha2",
              "@oslojs/crypto/subtle",
              "@oslojs/encoding",
            ],
            rolldownOptions: { platform: "browser", external: [/^node:/] },
          },
        },
      },
    },
  };
  return {
    test: {
      // Each Workers test file gets its own workerd and imports the app afresh (vitest-pool-workers isolates
      // storage per file), so most of the suite's time is start-up rather than tests; two files at a time keep
      // both cores of a 2-core machine busy (vitest's default is one fewer worker than cores). Under that load a
      // test that registers several accounts (PBKDF2 at 100,000 iterations each) can pass 5 s.
      maxWorkers: Math.max(2, availableParallelism()),
      // Request logs only for failing tests.
      silent: "passed-only",
      projects: [workers, { test: { name: "node", include: NODE_TESTS, pool: "threads", environment: "node", testTimeout: 20_000 } }],
    },
  };
});
