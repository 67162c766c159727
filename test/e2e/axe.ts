// The accessibility check every browser test applies: axe-core (through @axe-core/playwright) on the page as
// it is now, keeping only serious and critical findings. Axe is injected with page.evaluate(), which runs
// outside the page's Content-Security-Policy, so the policy under test is never weakened for it. Legacy mode runs
// axe.run() in the page itself, as the hand-injected axe did: the default opens an extra blank page per audit to
// merge frame results, which costs seconds on a busy 2-core machine, and Roost's pages have no frames.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  /** CSS selectors of the offending elements. */
  targets: string[];
}

/** Serious and critical findings of every rule, or of `rules` only when given. */
export async function seriousAxeFindings(page: Page, rules?: string[]): Promise<AxeFinding[]> {
  const builder = new AxeBuilder({ page }).setLegacyMode(true).options({ resultTypes: ["violations"] });
  if (rules) builder.withRules(rules);
  const results = await builder.analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact!, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) }));
}
