// The accessibility check every browser test applies: axe-core (through @axe-core/playwright) on the page as
// it is now, keeping only serious and critical findings. Axe is injected with page.evaluate(), which runs
// outside the page's Content-Security-Policy, so the policy under test is never weakened for it. Legacy mode runs
// axe.run() in the page itself, as the hand-injected axe did: the default opens an extra blank page per audit to
// merge frame results, which costs seconds on a busy 2-core machine, and Roost's pages have no frames.
// axe-core (about 600 KB of script) goes into a document once: AxeBuilder would evaluate it twice per scan, and
// a page audit scans each document four times (./page-checks).
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import axe from "axe-core";

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  /** CSS selectors of the offending elements. */
  targets: string[];
}

/** Serious and critical findings of every rule, or of `rules` only when given. */
export async function seriousAxeFindings(page: Page, rules?: string[]): Promise<AxeFinding[]> {
  // A navigation starts a new document without axe; an htmx swap keeps the document (and axe) in place.
  if (!(await page.evaluate(() => typeof (window as { axe?: { run?: unknown } }).axe?.run === "function"))) await page.evaluate(axe.source);
  // The document has axe-core already: AxeBuilder's own injection gets an empty statement instead of the source.
  const builder = new AxeBuilder({ page, axeSource: ";" }).setLegacyMode(true).options({ resultTypes: ["violations"] });
  if (rules) builder.withRules(rules);
  const results = await builder.analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact!, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) }));
}
