import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import { expect, it } from "vitest";
import type { LeaseGrant } from "./lease.ts";
import { LeaseKeeper, type LeaseLossReason } from "./lease-keeper.ts";
import { createStoreLogger } from "./logger.ts";
import { openStore } from "./store.ts";
import { freshStores } from "./testing/fresh-stores.ts";

const log = createStoreLogger({ level: "silent" });

describeWithRedis("leases (real Redis)", (info) => {
  const stores = freshStores(info.url);
  const open = stores.open;

  it("gives the lease to exactly one of many contenders", async () => {
    const store = await open();
    const lease = store.lease("generator", { ttlMs: 5_000 });
    const grants = await Promise.all(Array.from({ length: 10 }, () => lease.acquire()));
    const holders = grants.filter((g): g is LeaseGrant => g !== undefined);
    expect(holders).toHaveLength(1);
    const fence = holders[0]!.fence;
    // Only the holder can renew or release.
    expect(await lease.renew({ ...holders[0]!, holder: "impostor" })).toBeUndefined();
    expect(await lease.release({ ...holders[0]!, holder: "impostor" })).toBe(false);
    expect(await lease.renew(holders[0]!)).toBeDefined();
    expect(await lease.acquire(holders[0]!.holder)).toMatchObject({ fence });
  });

  it("lets another holder take over after expiry, with a larger fence, and refuses the old holder's renewal", async () => {
    const store = await open();
    const lease = store.lease("generator", { ttlMs: 150 });
    const first = await lease.acquire();
    expect(await lease.acquire()).toBeUndefined();
    await sleep(250);
    const second = await lease.acquire();
    expect(second).toBeDefined();
    expect(second!.fence).toBeGreaterThan(first!.fence);
    expect(await lease.renew(first!)).toBeUndefined();
    expect(await lease.release(first!)).toBe(false);
    expect(await lease.currentFence()).toBe(second!.fence);
  });

  it("hands over at once on release", async () => {
    const store = await open();
    const lease = store.lease("generator", { ttlMs: 60_000 });
    const first = await lease.acquire();
    expect(await lease.release(first!)).toBe(true);
    expect((await lease.acquire())!.fence).toBeGreaterThan(first!.fence);
  });

  it("LeaseKeeper: one replica leads; when its lease is taken it is told at once and the other takes over", async () => {
    const store = await open();
    const events: string[] = [];
    const lost: LeaseLossReason[] = [];
    const signals: AbortSignal[] = [];
    const keeper = (name: string) =>
      new LeaseKeeper(store.lease("generator", { ttlMs: 300 }), {
        renewIntervalMs: 50,
        campaignIntervalMs: 50,
        onAcquired: (grant, signal) => {
          events.push(`${name} acquired ${grant.fence}`);
          signals.push(signal);
        },
        onLost: (_, reason) => {
          events.push(`${name} lost`);
          lost.push(reason);
        },
        log,
      });
    const a = keeper("a");
    const b = keeper("b");
    a.start();
    await sleep(100);
    b.start();
    try {
      await sleep(300);
      const token = a.current()?.fence;
      expect(events).toEqual([`a acquired ${token}`]);
      expect(a.isHolder()).toBe(true);
      expect(b.isHolder()).toBe(false);
      expect(a.fence()).toEqual({ lease: "generator", token });
      // Both know the lease's state: a holds it, b knows that someone else does.
      expect(a.stateKnown() && b.stateKnown()).toBe(true);
      expect(b.fence()).toBeUndefined();

      // Someone steals the lease (as if a's renewals had stalled past the TTL and b had taken it).
      await stores.redis.set(store.keys.lease("generator"), "thief", "PX", 200);
      await sleep(150);
      expect(lost).toEqual(["taken"]);
      expect(signals[0]!.aborted).toBe(true);
      expect(a.isHolder()).toBe(false);
      await sleep(400);
      expect(a.isHolder() !== b.isHolder()).toBe(true);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it("LeaseKeeper: a holder that cannot reach Redis ends its term by its deadline", async () => {
    const conn = new Redis(info.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false });
    await new Promise((resolve) => conn.once("ready", resolve));
    const prefix = `t:${randomBytes(6).toString("hex")}:`;
    const flaky = await openStore({ redis: conn, log, prefix, needsCredentials: false });
    const reasons: LeaseLossReason[] = [];
    let signal: AbortSignal | undefined;
    const keeper = new LeaseKeeper(flaky.lease("generator", { ttlMs: 400 }), {
      renewIntervalMs: 100,
      onAcquired: (_, s) => {
        signal = s;
      },
      onLost: (_, reason) => reasons.push(reason),
      log,
    });
    keeper.start();
    try {
      await sleep(100);
      expect(keeper.isHolder()).toBe(true);
      const started = performance.now();
      conn.disconnect(false);
      while (!signal!.aborted && performance.now() - started < 2_000) await sleep(10);
      expect(signal!.aborted).toBe(true);
      // Ended before the server-side TTL ran out: the successor can never overlap with it.
      expect(performance.now() - started).toBeLessThan(400);
      expect(["unreachable", "expired"]).toContain(reasons[0]);
      await sleep(250);
      expect(keeper.stateKnown()).toBe(false);
    } finally {
      await keeper.stop();
      conn.disconnect();
    }
  });
});
