// `npm run check:deps`: checks src/ against .dependency-cruiser.cjs (no cycles, feature front doors, framework-free lib).
// Two traps make a plain `depcruise` run untrustworthy here, so this wrapper handles both:
// - TypeScript 7 has no compiler API for dependency-cruiser, so it parses with @swc/core, but it asks swc for plain
//   TypeScript syntax and every .tsx file fails to parse. We turn on swc's `tsx` flag for .tsx files before it loads.
// - With no parser it "cruises" 0 modules and passes; we fail unless it read every source file under src/.
// Exits 1 on any error-severity violation, printing each offending edge.
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const swc = require("@swc/core");
const parseFileSync = swc.parseFileSync;
swc.parseFileSync = (file, options) => parseFileSync(file, file.endsWith(".tsx") ? { ...options, tsx: true } : options);

const { cruise, format } = await import("dependency-cruiser");
const { default: extractDepcruiseOptions } = await import("dependency-cruiser/config-utl/extract-depcruise-options");

const targets = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["src"];
process.chdir(root);
const options = await extractDepcruiseOptions(path.join(root, ".dependency-cruiser.cjs"));
const { output } = await cruise(targets, options);
const { summary } = output;

/** Every .ts/.tsx file the tool was asked about (minus the generated bindings file it excludes). */
function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter(
    (entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && entry.name !== "worker-configuration.d.ts",
  ).length;
}
const expected = targets.reduce((sum, target) => sum + sourceFiles(target), 0);

const report = await format(output, { outputType: "err" });
process.stdout.write(report.output);
const cruised = output.modules.filter((module) => module.source.startsWith("src/")).length;
if (cruised < expected) {
  console.error(`check:deps: read ${cruised} modules but ${targets.join(" ")} holds ${expected} source files; the parser is not working.`);
  process.exit(1);
}
console.log(`check:deps: ${cruised} source modules, ${summary.totalDependenciesCruised} imports, ${summary.violations.length} violations.`);
process.exit(summary.error > 0 ? 1 : 0);
