import { describe, expect, it } from "vitest";
import { KeyedMutex } from "./keyed-mutex.ts";
import { LruCache } from "./lru.ts";

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("KeyedMutex", () => {
  it("runs work for one key strictly one at a time, in arrival order, and other keys alongside", async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const job = (key: string, name: string) =>
      mutex.run(key, async () => {
        events.push(`${name}:start`);
        await tick();
        events.push(`${name}:end`);
      });
    await Promise.all([job("a", "a1"), job("a", "a2"), job("b", "b1")]);
    expect(events.indexOf("a1:end")).toBeLessThan(events.indexOf("a2:start"));
    expect(events.indexOf("b1:start")).toBeLessThan(events.indexOf("a1:end"));
  });

  it("releases the lock when work fails", async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run("a", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(mutex.run("a", async () => 42)).resolves.toBe(42);
  });
});

describe("LruCache", () => {
  it("evicts the least recently used entry", () => {
    const cache = new LruCache<number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.get("a");
    cache.set("c", 3);
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([1, undefined, 3]);
  });

  it("bounds total weight and skips values heavier than the whole cache", () => {
    const cache = new LruCache<string>(10, (s) => s.length);
    cache.set("a", "12345");
    cache.set("b", "123456");
    expect(cache.get("a")).toBeUndefined();
    cache.set("huge", "x".repeat(11));
    expect(cache.get("huge")).toBeUndefined();
    expect(cache.get("b")).toBe("123456");
  });
});
