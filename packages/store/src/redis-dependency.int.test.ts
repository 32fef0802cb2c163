import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import type { ApplicationDiff } from "@flotilla/core";
import { eventually, type StartedRedis, startRedis } from "@flotilla/testbed";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ClusterChange } from "./cluster-types.ts";
import { isRedisPolicyError } from "./errors/redis-policy-error.ts";
import { isStaleFenceError } from "./errors/stale-fence-error.ts";
import { generationRecordOf } from "./generation-record.ts";
import { fenceOf, type LeaseGrant } from "./lease.ts";
import { createStoreLogger } from "./logger.ts";
import { checkEvictionPolicy } from "./redis-policy.ts";
import { openStore, type Store } from "./store.ts";

const log = createStoreLogger({ level: "silent" });

// This file changes server-wide settings and flushes everything, so it runs on a Redis of its own, never the
// bed's shared one (other files use it at the same time). `describeWithRedis` only gates on the bed being up.
describeWithRedis("Redis as a dependency (a real Redis of this file's own)", () => {
  let own: StartedRedis;
  let redis: Redis;
  const open = (): Promise<Store> =>
    openStore({ redis, log, prefix: `t:${randomBytes(6).toString("hex")}:`, needsCredentials: false });

  beforeAll(async () => {
    own = await startRedis();
    redis = new Redis(own.info.url);
  }, 120_000);
  afterAll(async () => {
    await redis?.quit();
    await own?.stop();
  });

  it("accepts noeviction and refuses an evicting policy, naming it and what to set", async () => {
    await expect(checkEvictionPolicy(redis)).resolves.toBeUndefined();
    await redis.config("SET", "maxmemory-policy", "allkeys-lru");
    try {
      const refused = await checkEvictionPolicy(redis).catch((err: unknown) => err);
      expect(isRedisPolicyError(refused)).toBe(true);
      expect(refused).toMatchObject({ problem: "eviction" });
      expect((refused as Error).message).toMatch(
        /maxmemory-policy is "allkeys-lru"; Flotilla \(BullMQ\) needs "noeviction".*CONFIG SET maxmemory-policy noeviction/,
      );
    } finally {
      await redis.config("SET", "maxmemory-policy", "noeviction");
    }
  });

  it("when CONFIG is refused (a managed Redis), says so and names the flag; the flag skips the check with a warning", async () => {
    const user = `nocfg-${randomBytes(4).toString("hex")}`;
    await redis.call("ACL", "SETUSER", user, "on", ">pw", "~*", "&*", "+@all", "-config");
    const limited = new Redis(own.info.url, { username: user, password: "pw" });
    try {
      const refused = await checkEvictionPolicy(limited).catch((err: unknown) => err);
      expect(refused).toMatchObject({ problem: "config-refused" });
      expect((refused as Error).message).toMatch(
        /CONFIG GET was refused \(NOPERM.*FLOTILLA_REDIS_SKIP_POLICY_CHECK=true/,
      );

      const lines: string[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString());
          done();
        },
      });
      await expect(checkEvictionPolicy(limited, { skip: true, log: pino(sink) })).resolves.toBeUndefined();
      expect(lines.join("")).toMatch(/"level":40.*"flag":"FLOTILLA_REDIS_SKIP_POLICY_CHECK".*not checked/);
    } finally {
      await limited.quit();
      await redis.call("ACL", "DELUSER", user);
    }
  });

  it("keeps fencing tokens monotonic across FLUSHALL: no token handed out afterwards equals or undercuts an old one", async () => {
    const store = await open();
    const lease = store.lease("generator", { ttlMs: 60_000 });
    const stale = (await lease.acquire())!;
    expect(await lease.release(stale)).toBe(true);
    const before = (await lease.acquire())!;
    expect(before.fence).toBeGreaterThan(stale.fence);
    // A replica frozen with `before` wakes after the data is gone; meanwhile others take the lease again and again.
    await redis.flushall();
    const afterLoss = store.lease("generator", { ttlMs: 60_000 });
    const tokens: LeaseGrant[] = [];
    const generation = { appSet: "s", applications: [], errors: [] };
    const diff: ApplicationDiff = { creates: [], updates: [], deletes: [], unchanged: [] };
    for (let i = 0; i < 5; i++) {
      const grant = (await afterLoss.acquire())!;
      tokens.push(grant);
      // With a counter that restarted at 1, the second of these would be `before`'s token again.
      const write = store.generations
        .record(generationRecordOf({ appSet: "s", commit: "c", generation, diff }), { fence: fenceOf(before) })
        .catch((err: unknown) => err);
      expect(isStaleFenceError(await write)).toBe(true);
      expect(await afterLoss.release(grant)).toBe(true);
    }
    for (const [i, grant] of tokens.entries()) {
      expect(grant.fence).toBeGreaterThan(before.fence);
      if (i > 0) expect(grant.fence).toBeGreaterThan(tokens[i - 1]!.fence);
    }
    expect(await store.generations.getGeneration("s")).toBeUndefined();
  });

  it("a registry watch sees changes after FLUSHALL (its version counter went backwards) as a resync", async () => {
    const store = await open();
    const agent = (name: string) => ({ name, server: `https://${name}:6443`, mode: "agent" as const, labels: {} });
    await store.clusters.register(agent("alpha"));
    await store.clusters.register(agent("beta"));
    const seen: ClusterChange[] = [];
    const stop = store.clusters.watch((c) => void seen.push(c), { blockMs: 200 });
    try {
      await stop.ready;
      await store.clusters.register(agent("gamma"));
      await eventually("gamma added", () => (seen.some((c) => c.type === "added") ? true : undefined), 10_000);
      await redis.flushall();
      // Numbered 1 after the loss: below what the watch has seen, so it used to be skipped as old.
      await store.clusters.register(agent("delta"));
      await eventually(
        "a resync after the loss",
        () => (seen.some((c) => c.type === "resync") ? true : undefined),
        10_000,
      );
      await store.clusters.register(agent("epsilon"));
      await eventually(
        "changes after the loss delivered again",
        () => (seen.some((c) => c.type === "added" && c.cluster === "epsilon") ? true : undefined),
        10_000,
      );
    } finally {
      await stop();
    }
  });
});
