import { randomUUID } from "node:crypto";
import { SyncQueues } from "@flotilla/queue";
import { openStore, type Store } from "@flotilla/store";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { finishClusterRemovals } from "./cluster-removals.ts";

const silent = pino({ level: "silent" });

describeWithRedis("finishing cluster removals (real Redis)", (info) => {
  const prefix = `t${randomUUID().slice(0, 8)}:`;
  let redis: Redis;
  let store: Store;
  let queues: SyncQueues;
  const finish = () => finishClusterRemovals({ store, queueCounts: (c) => queues.counts(c), logger: silent });

  beforeAll(async () => {
    redis = new Redis(info.url, { maxRetriesPerRequest: null });
    store = await openStore({ redis, prefix, needsCredentials: false, log: silent });
    queues = new SyncQueues({ connection: redis, prefix: store.keys.queuePrefix });
  });
  afterAll(async () => {
    await queues.close();
    await redis.quit();
  });

  it("an agent cluster being removed goes, with its Redis user, once nothing of it is left — not before", async () => {
    await store.clusters.register({ name: "edge", server: "https://edge:6443", mode: "agent", labels: { a: "b" } });
    await store.agentUsers.create("edge", { own: [] });
    await store.clusters.register({ name: "stays", server: "https://stays:6443", mode: "agent" });
    const removal = await store.clusters.markRemoving("edge");
    expect((await store.clusters.get("edge"))?.removing).toEqual(removal);
    // Marking again keeps the first removal; an agent re-registering does not call it off.
    expect(await store.clusters.markRemoving("edge")).toEqual(removal);
    await store.clusters.registerAgent({ name: "edge", server: "https://edge:6443", labels: { a: "c" } });
    expect((await store.clusters.get("edge"))?.removing).toEqual(removal);

    // An Application still owned on it, then a status a worker has not cleared: the removal waits.
    await redis.hset(store.keys.owners("edge"), "web", "shop");
    expect(await finish()).toEqual([]);
    await redis.del(store.keys.owners("edge"));
    await redis.hset(store.keys.appStatus("edge"), "shop/web", "{}");
    expect(await finish()).toEqual([]);
    expect(await store.clusters.get("edge")).toBeDefined();
    await redis.del(store.keys.appStatus("edge"));

    expect(await finish()).toEqual(["edge"]);
    expect(await store.clusters.get("edge")).toBeUndefined();
    expect((await redis.call("ACL", "USERS")) as string[]).not.toContain(store.agentUsers.userOf("edge"));
    expect(await store.clusters.get("stays")).toBeDefined();
  });
});
