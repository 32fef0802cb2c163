import { describe, expect, it } from "vitest";
import { checkRetry, DEFAULT_RETRY, retryDelayMs } from "./retry-policy.ts";

describe("the retry backoff schedule", () => {
  it("follows duration × factor^(n-1), capped at maxDuration, without jitter", () => {
    const { policy, problems } = checkRetry({ limit: 6, backoff: { duration: "1s", factor: 3, maxDuration: "30s" } });
    expect(problems).toEqual([]);
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(policy, n))).toEqual([
      1_000, 3_000, 9_000, 27_000, 30_000, 30_000,
    ]);
  });

  it("uses Argo CD's defaults for what is left out: 5 retries, 5s doubling up to 3m", () => {
    const { policy } = checkRetry({});
    expect(policy).toEqual(DEFAULT_RETRY);
    expect([1, 2, 3, 7, 1000].map((n) => retryDelayMs(policy, n))).toEqual([5_000, 10_000, 20_000, 180_000, 180_000]);
  });

  it("limit 0 means no retry at all", () => {
    expect(checkRetry({ limit: 0 }).policy.limit).toBe(0);
  });
});
