// Relative and exact times for the reader, in their time zone, without a date library.
import { describe, expect, it } from "vitest";
import { exactTime, longDate, relativeTime, safeTimeZone } from "../../src/lib/time";

const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);

describe("relativeTime", () => {
  it.each([
    [NOW - 10_000, "just now"],
    [NOW - 3 * 60_000, "3 minutes ago"],
    [NOW - 60 * 60_000, "1 hour ago"],
    [NOW - 5 * 3600_000, "5 hours ago"],
    [NOW - 24 * 3600_000, "yesterday"],
    [NOW - 3 * 24 * 3600_000, "3 days ago"],
    [NOW - 14 * 24 * 3600_000, "2 weeks ago"],
    [NOW - 90 * 24 * 3600_000, "3 months ago"],
    [NOW - 400 * 24 * 3600_000, "last year"],
    [NOW + 5 * 60_000, "in 5 minutes"],
  ])("%i → %s", (ts, text) => {
    expect(relativeTime(ts, NOW)).toBe(text);
  });
});

describe("exact times in the reader's zone", () => {
  it("formats in the given zone", () => {
    expect(exactTime(NOW, "UTC")).toBe("15 Jun 2026, 12:00 UTC");
    expect(exactTime(NOW, "Asia/Tokyo")).toBe("15 Jun 2026, 21:00 GMT+9");
    expect(longDate(Date.UTC(2026, 0, 1, 1), "America/New_York")).toBe("31 December 2025");
  });

  it("falls back to UTC for a missing or bogus zone", () => {
    expect(safeTimeZone(undefined)).toBe("UTC");
    expect(safeTimeZone("Mars/Olympus")).toBe("UTC");
    expect(safeTimeZone("Europe/Paris")).toBe("Europe/Paris");
  });
});
