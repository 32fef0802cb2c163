import { randomBytes } from "node:crypto";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { isStaleFenceError } from "./errors/stale-fence-error.ts";
import type { Fence } from "./fence.ts";
import type { HoldRecord } from "./holds.ts";
import { createStoreLogger } from "./logger.ts";
import { openStore, type Store } from "./store.ts";

const log = createStoreLogger({ level: "silent" });

function hold(appSet: string, names: string[]): HoldRecord {
  return {
    appSet,
    kind: "shrink",
    reason: "generation would delete 3 of 4 Applications (75.0%), over the 50% guard; held",
    applications: names.map((application) => ({ application, cluster: "c1" })),
    since: "2026-12-01T09:00:00.000Z",
    commit: "c".repeat(40),
  };
}

describeWithRedis("holds, ownership and the guard's baseline (real Redis)", (info) => {
  let redis: Redis;
  let store: Store;
  let fence: Fence;
  /** A fence the lease has moved past: what a replica that lost its lease still carries. */
  let stale: Fence;

  beforeAll(async () => {
    redis = new Redis(info.url);
    store = await openStore({ redis, log, prefix: `t:${randomBytes(6).toString("hex")}:`, needsCredentials: false });
    const first = await store.lease("generator").acquire("old");
    stale = { lease: "generator", token: first!.fence };
    fence = { lease: "generator", token: await redis.incr(store.keys.leaseFence("generator")) };
  });
  afterAll(async () => {
    await redis.quit();
  });

  it("a release binds to exactly the names held at that instant, and is settled only by its own id", async () => {
    expect(await store.holds.release("nothing-held")).toBeUndefined();
    await store.holds.put(hold("shop", ["a", "b"]), { fence });
    const subscriber = redis.duplicate();
    const triggers: string[] = [];
    await subscriber.subscribe(store.keys.generatorTrigger);
    subscriber.on("message", (_c, m: string) => triggers.push(m));
    const released = await store.holds.release("shop");
    expect(released).toMatchObject({ action: "release", applications: ["a", "b"] });
    // The generator widens the hold afterwards: the decision still names only what the operator saw.
    await store.holds.put(hold("shop", ["a", "b", "c"]), { fence });
    expect((await store.holds.decisions()).get("shop")?.applications).toEqual(["a", "b"]);
    const later = await store.holds.dismiss("shop");
    await store.holds.settle("shop", released!, { fence });
    expect((await store.holds.decisions()).get("shop")).toEqual(later);
    await store.holds.settle("shop", later!, { fence });
    expect((await store.holds.decisions()).size).toBe(0);
    for (let i = 0; i < 50 && triggers.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(triggers.map((t) => JSON.parse(t).reason)).toEqual([
      "hold of ApplicationSet shop released",
      "hold of ApplicationSet shop dismissed",
    ]);
    await subscriber.quit();
  });

  it("lists, clears and remembers dismissed names; a stale fence writes nothing", async () => {
    await store.holds.put(hold("blog", ["x"]), { fence });
    expect((await store.holds.list()).map((h) => h.appSet)).toContain("blog");
    await expect(store.holds.clear("blog", { fence: stale })).rejects.toSatisfy(isStaleFenceError);
    await store.holds.clear("blog", { fence });
    expect(await store.holds.get("blog")).toBeUndefined();
    await store.holds.setDismissed("blog", ["y", "x"], { fence });
    expect(await store.holds.dismissed("blog")).toEqual(["x", "y"]);
    await store.holds.setDismissed("blog", [], { fence });
    expect(await store.holds.dismissed("blog")).toEqual([]);
  });

  it("one owner per Application name per cluster: a second claimant is refused, a leaving owner hands over", async () => {
    const names = [
      { cluster: "c1", application: "web" },
      { cluster: "c2", application: "web" },
    ];
    expect(await store.owners.claim("shop", names, { fence })).toEqual({ conflicts: [], adopted: [] });
    // The same name on another cluster is another name.
    const other = await store.owners.claim("blog", [...names, { cluster: "c3", application: "web" }], { fence });
    expect(other.conflicts).toEqual([
      { cluster: "c1", application: "web", owner: "shop" },
      { cluster: "c2", application: "web", owner: "shop" },
    ]);
    expect(await store.owners.owner("c1", "web")).toBe("shop");
    expect(await store.owners.owner("c3", "web")).toBe("blog");
    const renamed = await store.owners.claim("store", names, { fence, adoptable: ["shop"] });
    expect(renamed.adopted).toEqual([
      { cluster: "c1", application: "web", from: "shop" },
      { cluster: "c2", application: "web", from: "shop" },
    ]);
    // Only the owner gives a name up.
    expect(await store.owners.release("shop", names, { fence })).toBe(0);
    expect(await store.owners.release("store", names.slice(0, 1), { fence })).toBe(1);
    expect(await store.owners.owner("c1", "web")).toBeUndefined();
    await expect(store.owners.claim("x", names, { fence: stale })).rejects.toSatisfy(isStaleFenceError);
    expect(await store.owners.owner("c1", "web")).toBeUndefined();
  });

  it("the baseline is the largest size within the window; older sizes are forgotten, a reset forgets all", async () => {
    const t = (minutes: number) => new Date(Date.UTC(2026, 11, 1, 9, minutes));
    const window = 30 * 60_000;
    await store.generationSizes.record("shop", 8, t(0), window, { fence });
    await store.generationSizes.record("shop", 6, t(10), window, { fence });
    expect(await store.generationSizes.largestSince("shop", t(0))).toBe(8);
    expect(await store.generationSizes.largestSince("shop", t(5))).toBe(6);
    await store.generationSizes.record("shop", 4, t(40), window, { fence });
    expect(await redis.zcard(store.keys.generationSizes("shop"))).toBe(2);
    await expect(store.generationSizes.reset("shop", { fence: stale })).rejects.toSatisfy(isStaleFenceError);
    await store.generationSizes.reset("shop", { fence });
    expect(await store.generationSizes.largestSince("shop", t(0))).toBe(0);
  });
});
