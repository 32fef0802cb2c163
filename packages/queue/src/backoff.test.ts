import { describe, expect, it } from "vitest";
import { jitteredBackoff } from "./backoff.ts";

describe("jitteredBackoff", () => {
  const low = jitteredBackoff({ baseMs: 1000, maxMs: 60_000, random: () => 0 });
  const high = jitteredBackoff({ baseMs: 1000, maxMs: 60_000, random: () => 0.999999 });

  it.each([
    [1, 500, 1000],
    [2, 1000, 2000],
    [3, 2000, 4000],
    [6, 16_000, 32_000],
    [7, 30_000, 60_000],
    [50, 30_000, 60_000],
    [5000, 30_000, 60_000],
  ])("retry after attempt %i waits between %i and %i ms", (attempt, min, max) => {
    expect(low(attempt)).toBe(min);
    expect(high(attempt)).toBe(max);
  });

  it("stays within bounds with real randomness and actually varies", () => {
    const backoff = jitteredBackoff({ baseMs: 100, maxMs: 10_000 });
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const d = backoff(4);
      expect(d).toBeGreaterThanOrEqual(400);
      expect(d).toBeLessThanOrEqual(800);
      seen.add(d);
    }
    expect(seen.size).toBeGreaterThan(50);
  });

  it("treats attempt 0 like attempt 1", () => {
    expect(low(0)).toBe(500);
  });
});
