import type { Application, RetrySpec } from "@flotilla/core";
import { describe, expect, it } from "vitest";
import { applicationRetryDelay, attemptsFor, jitteredBackoff } from "./backoff.ts";

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

describe("an Application's syncPolicy.retry", () => {
  const app = (retry?: RetrySpec): Application => ({
    apiVersion: "flotilla.dev/v1alpha1",
    kind: "Application",
    metadata: { name: "web" },
    spec: {
      source: { repoURL: "https://git.example/fleet.git" },
      destination: { cluster: "dev" },
      syncPolicy: { automated: {}, ...(retry === undefined ? {} : { retry }) },
    },
  });

  it("sets the job's attempts to limit + 1, and leaves the queue's default without it", () => {
    expect(attemptsFor(app({ limit: 2 }), 8)).toBe(3);
    expect(attemptsFor(app({ limit: 0 }), 8)).toBe(1);
    expect(attemptsFor(app({}), 8)).toBe(6);
    expect(attemptsFor(app(), 8)).toBe(8);
    expect(attemptsFor(undefined, 8)).toBe(8);
  });

  it("sets the delays: duration × factor^(n-1) up to maxDuration; none without retry", () => {
    const a = app({ limit: 5, backoff: { duration: "2s", factor: 2, maxDuration: "10s" } });
    expect([1, 2, 3, 4, 5].map((n) => applicationRetryDelay(a, n))).toEqual([2_000, 4_000, 8_000, 10_000, 10_000]);
    expect(applicationRetryDelay(app(), 1)).toBeUndefined();
  });
});
