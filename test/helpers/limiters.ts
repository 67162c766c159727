// Rate limiters for tests that count requests: the fixed window's clock is frozen, so a run that
// happens to cross a minute boundary between two requests cannot reset the count halfway through.
import { createWindowLimiter, type Limiter } from "../../src/lib/window-limiter";

const frozenClock = () => 0;

/** A limiter allowing `limit` requests per window, whose window never turns over during the test. */
export function fixedLimiter(limit: number): Limiter {
  return createWindowLimiter(limit, 60, frozenClock);
}
