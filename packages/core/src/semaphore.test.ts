import { describe, expect, it } from "vitest";
import { Semaphore } from "./semaphore.ts";

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("Semaphore", () => {
  it("never lets more than its permits run", async () => {
    const semaphore = new Semaphore(2);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        semaphore.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await tick();
          running--;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(semaphore.available).toBe(2);
  });

  it("serves waiters in arrival order", async () => {
    const semaphore = new Semaphore(1);
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3].map((n) =>
        semaphore.run(async () => {
          order.push(n);
          await tick();
        }),
      ),
    );
    expect(order).toEqual([1, 2, 3]);
  });

  it("gives the permit back when the work throws", async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(semaphore.run(async () => 42)).resolves.toBe(42);
  });

  it("a waiter whose signal aborts leaves the line without a permit; the others go on", async () => {
    const semaphore = new Semaphore(1);
    let release!: () => void;
    const holder = semaphore.run(() => new Promise<void>((resolve) => (release = resolve)));
    const controller = new AbortController();
    const cancelled = semaphore.run(async () => "never", controller.signal);
    const next = semaphore.run(async () => "next");
    expect(semaphore.waiting).toBe(2);
    controller.abort(new Error("shutting down"));
    await expect(cancelled).rejects.toThrow("shutting down");
    expect(semaphore.waiting).toBe(1);
    release();
    await holder;
    await expect(next).resolves.toBe("next");
    expect(semaphore.available).toBe(1);
  });

  it("refuses at once when the signal has already aborted, taking nothing", async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(async () => 1, AbortSignal.abort(new Error("gone")))).rejects.toThrow("gone");
    expect(semaphore.available).toBe(1);
  });

  it("refuses permits that are not a positive integer", () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
    expect(() => new Semaphore(1.5)).toThrow(RangeError);
  });
});
