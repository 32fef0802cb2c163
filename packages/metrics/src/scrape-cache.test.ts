import { describe, expect, it } from "vitest";
import { scrapeCache } from "./scrape-cache.ts";

describe("scrapeCache", () => {
  it("answers scrapes within the time-to-live from one read, then reads again", async () => {
    let clock = 1_000;
    let reads = 0;
    const read = scrapeCache(async () => ++reads, { ttlMs: 5_000, now: () => clock });
    expect(await read()).toBe(1);
    clock += 4_999;
    expect(await read()).toBe(1);
    clock += 1;
    expect(await read()).toBe(2);
  });

  it("shares a read in flight between scrapes that arrive together", async () => {
    let reads = 0;
    let finish: (n: number) => void = () => {};
    const read = scrapeCache(
      () => {
        reads++;
        return new Promise<number>((resolve) => {
          finish = resolve;
        });
      },
      { now: () => 0 },
    );
    const both = Promise.all([read(), read()]);
    finish(7);
    expect(await both).toEqual([7, 7]);
    expect(reads).toBe(1);
  });

  it("does not keep a failed read: the next scrape tries again", async () => {
    let reads = 0;
    const read = scrapeCache(
      async () => {
        reads++;
        if (reads === 1) throw new Error("Redis down");
        return reads;
      },
      { now: () => 0 },
    );
    await expect(read()).rejects.toThrow("Redis down");
    expect(await read()).toBe(2);
  });
});
