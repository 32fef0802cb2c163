import { describe, expect, it } from "vitest";
import { reconnectDelayMs, redisEndpoint } from "./redis-connection.ts";

describe("reconnectDelayMs", () => {
  it.each([
    [1, 250],
    [2, 500],
    [3, 1_000],
    [6, 8_000],
    [7, 10_000],
    [5_000, 10_000],
  ])("attempt %i waits %i ms", (attempt, ms) => {
    expect(reconnectDelayMs(attempt)).toBe(ms);
  });

  it("takes its bounds from the options", () => {
    expect(reconnectDelayMs(1, { initialDelayMs: 10, maxDelayMs: 30 })).toBe(10);
    expect(reconnectDelayMs(3, { initialDelayMs: 10, maxDelayMs: 30 })).toBe(30);
  });
});

describe("redisEndpoint", () => {
  it("keeps host, port and database, never the credentials", () => {
    expect(redisEndpoint("redis://user:s3cret@redis.internal:6380/2")).toBe("redis://redis.internal:6380/2");
    expect(redisEndpoint("rediss://:s3cret@redis:6379")).toBe("rediss://redis:6379");
    expect(redisEndpoint("not a url")).toBe("(unparsable Redis URL)");
  });
});
