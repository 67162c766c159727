// For tests of code that logs a JSON line per event (queue consumers, cron jobs): silence the console so the
// test output stays readable, and let a test read what was logged.
import { afterEach, beforeEach, type MockInstance, vi } from "vitest";

/**
 * Silences console.log, .warn and .error around every test of the calling file and restores all mocks
 * after each; returns a getter for the current test's console.log spy.
 */
export function quietConsole(): () => MockInstance<typeof console.log> {
  let log: MockInstance<typeof console.log> | undefined;
  beforeEach(() => {
    log = vi.spyOn(console, "log").mockImplementation(() => {});
    vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return () => log!;
}
