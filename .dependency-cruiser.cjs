// Dependency rules for src/ (`npm run check:deps`). Issue 11: no import cycles, features reached only through their
// front door (src/features/<name>/index.ts), and lib/ free of the framework and the app's layers.
// TypeScript 7 has no compiler API dependency-cruiser can use, so it parses with @swc/core ("parser": "swc"); without
// @swc/core it cruises 0 modules and passes. scripts/check-deps.mjs refuses to pass when that happens.

/** A file of feature X, other than X's front door. */
const FEATURE_INTERNAL = "^src/features/[^/]+/";
const FRONT_DOOR = "^src/features/[^/]+/index\\.tsx?$";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Import cycles (type-only imports included) make load order and ownership unclear; break them with a lower module.",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "feature-front-door-from-feature",
      severity: "error",
      comment: "A feature uses another feature only through that feature's index.ts; intra-feature imports are free.",
      from: { path: "^src/features/([^/]+)/" },
      to: { path: FEATURE_INTERNAL, pathNot: ["^src/features/$1/", FRONT_DOOR] },
    },
    {
      name: "feature-front-door-from-outside",
      severity: "error",
      comment: "Code outside src/features/ (app.ts, index.ts, views, middleware, mail, ...) uses a feature only through its index.ts.",
      from: { path: "^src/", pathNot: "^src/features/" },
      to: { path: FEATURE_INTERNAL, pathNot: FRONT_DOOR },
    },
    {
      name: "lib-is-framework-free",
      severity: "error",
      comment: "src/lib holds plain helpers any layer (and a queue consumer or cron) can use: no Hono, no features, middleware or views.",
      from: { path: "^src/lib/" },
      to: { path: ["^node_modules/hono/", "^src/(features|middleware|views)/"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^src/worker-configuration\\.d\\.ts$" },
    parser: "swc",
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js", ".mjs", ".json"] },
    skipAnalysisNotInRules: true,
  },
};
