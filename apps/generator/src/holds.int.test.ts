import { randomUUID } from "node:crypto";
import { type QueuedWork, type SyncJob, SyncQueues } from "@flotilla/queue";
import { openStore, type Store } from "@flotilla/store";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import pino from "pino";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { CycleReport } from "./cycle.ts";
import { REMOVED_REASON } from "./remove-appset.ts";
import { type GeneratorService, startGeneratorService } from "./service.ts";
import { prodAppSet as appSetFrom } from "./testing/fleet-repo.ts";
import { testGeneratorConfig } from "./testing/service-config.ts";

/** The deletion guard across cycles, hold records and operators' decisions, and name ownership, on real Redis. */
describeWithRedis("held deletions and ownership through the real generator cycle (real Redis, real Git)", (info) => {
  let prefix: string;
  let fleet: TestGitRepo;
  let source: TestGitRepo;
  let redis: Redis;
  let store: Store;
  let queues: SyncQueues;
  let service: GeneratorService;
  const prodAppSet = (name: string, apps: readonly string[]) => appSetFrom(name, apps, source.dir);
  const APPS = ["a", "b", "c", "d"];

  async function start(): Promise<CycleReport> {
    service = await startGeneratorService(
      testGeneratorConfig({ fleetDir: fleet.dir, redis: { url: info.url, prefix }, render: true, webhookSecret: "s" }),
      pino({ level: "silent" }),
    );
    return await service.nextCycle();
  }

  /** Runs a cycle now (as a push or a poll would) and returns its report. */
  async function cycle(): Promise<CycleReport> {
    const next = service.nextCycle();
    await redis.publish(store.keys.generatorTrigger, JSON.stringify({ reason: "test" }));
    return await next;
  }

  async function queued(cluster: string): Promise<QueuedWork["item"][]> {
    const jobs = await queues.queue(cluster).getJobs(["waiting", "delayed", "prioritized"]);
    return jobs.map((j) => (j.data as QueuedWork).item);
  }
  const deletes = async (cluster: string) =>
    (await queued(cluster))
      .filter((i) => i.kind === "delete")
      .map((i) => i.job.application)
      .sort();

  beforeEach(async () => {
    prefix = `t${randomUUID().slice(0, 8)}:`;
    fleet = new TestGitRepo();
    source = new TestGitRepo();
    source.commit(
      Object.fromEntries(
        [...APPS, "web", "x"].map((a) => [
          `apps/${a}/cm.yaml`,
          `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${a} }\ndata: { v: "1" }\n`,
        ]),
      ),
    );
    redis = new Redis(info.url, { maxRetriesPerRequest: null });
    store = await openStore({ redis, prefix, needsCredentials: false, log: pino({ level: "silent" }) });
    queues = new SyncQueues({ connection: redis, prefix: `${prefix}bull` });
    for (const name of ["prod-a", "prod-b"]) {
      await store.clusters.register({ name, server: `https://${name}:6443`, labels: { env: "prod" }, mode: "agent" });
    }
  });

  afterEach(async () => {
    await service?.stop();
    await queues.close();
    await redis.quit();
  });

  it("8 → 6 → 4 → 2 in steps is held at the step past half, as a stored record; a release executes exactly it", async () => {
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", APPS) });
    expect(await start()).toMatchObject({ applications: 8, held: 0 });
    // A waiting sync would absorb its Application's delete (coalescing): start from empty queues.
    await queues.queue("prod-a").drain();
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", APPS.slice(0, 3)) });
    expect(await cycle()).toMatchObject({ deletes: 2, held: 0 });
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", APPS.slice(0, 2)) });
    // 4 of the 8 the ApplicationSet had today: exactly half, which "at most half" lets through.
    expect(await cycle()).toMatchObject({ deletes: 2, held: 0 });
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", APPS.slice(0, 1)) });
    const commit = fleet.git("rev-parse", "HEAD").trim();
    expect(await cycle()).toMatchObject({ deletes: 0, held: 1 });
    expect(await deletes("prod-a")).toEqual(["c-prod-a", "d-prod-a"]);
    const hold = await store.holds.get("shop");
    expect(hold).toEqual({
      appSet: "shop",
      kind: "shrink",
      reason:
        "generation would delete 2 of 4 Applications, leaving 2 of the 8 it had within 1d (75.0% gone), over the 50% guard; held",
      applications: [
        { application: "b-prod-a", cluster: "prod-a" },
        { application: "b-prod-b", cluster: "prod-b" },
      ],
      since: expect.any(String),
      commit,
    });
    expect((await store.applications.desiredDigests("shop")).size).toBe(4);
    // The same hold, generation after generation, is the same record.
    const relabelled = prodAppSet("shop", APPS.slice(0, 1)).replace(
      "{ name: shop }",
      "{ name: shop, labels: { t: x } }",
    );
    fleet.commit({ "appsets/shop.yaml": relabelled });
    expect(await cycle()).toMatchObject({ held: 1, unchanged: 0 });
    expect((await store.holds.get("shop"))?.since).toBe(hold!.since);

    // Released: the next cycle (the release triggers one) deletes exactly the released names, though the guard holds.
    const next = service.nextCycle();
    expect(await store.holds.release("shop")).toMatchObject({ applications: ["b-prod-a", "b-prod-b"] });
    expect(await next).toMatchObject({ deletes: 2, held: 0 });
    expect(await deletes("prod-a")).toEqual(["b-prod-a", "c-prod-a", "d-prod-a"]);
    expect(await store.holds.get("shop")).toBeUndefined();
    expect((await store.holds.decisions()).size).toBe(0);
    expect([...(await store.applications.desiredDigests("shop")).keys()].sort()).toEqual(["a-prod-a", "a-prod-b"]);
  });

  it("relabelling one cluster per cycle is held at the step that crosses half, as the issue found it", async () => {
    for (const name of ["prod-c", "prod-d"]) {
      await store.clusters.register({ name, server: `https://${name}:6443`, labels: { env: "prod" }, mode: "agent" });
    }
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
    expect(await start()).toMatchObject({ applications: 4 });
    const relabel = async (cluster: string) => {
      const next = service.nextCycle();
      await store.clusters.setLabels(cluster, { env: "dev" });
      return await next;
    };
    expect(await relabel("prod-a")).toMatchObject({ deletes: 1, held: 0 });
    expect(await relabel("prod-b")).toMatchObject({ deletes: 1, held: 0 });
    expect(await relabel("prod-c")).toMatchObject({ deletes: 0, held: 1 });
    expect((await store.holds.get("shop"))?.applications).toEqual([{ application: "web-prod-c", cluster: "prod-c" }]);
    expect((await store.applications.desiredDigests("shop")).size).toBe(2);
  });

  it("a dismissed hold keeps its Applications and goes away; a different hold is reported again", async () => {
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", APPS) });
    await start();
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", APPS.slice(0, 1)) });
    expect(await cycle()).toMatchObject({ held: 1 });
    const next = service.nextCycle();
    await store.holds.dismiss("shop");
    expect(await next).toMatchObject({ deletes: 0 });
    expect(await store.holds.get("shop")).toBeUndefined();
    expect((await store.applications.desiredDigests("shop")).size).toBe(8);
    expect(await cycle()).toMatchObject({ deletes: 0 });
    expect(await store.holds.get("shop")).toBeUndefined();
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", ["x"]) });
    expect(await cycle()).toMatchObject({ deletes: 0, held: 1 });
    expect((await store.holds.get("shop"))?.applications).toHaveLength(8);
    expect(await deletes("prod-a")).toEqual([]);
  });

  it("a second ApplicationSet generating an owned name fails that element, naming the owner; the owner is untouched", async () => {
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
    await start();
    await queues.queue("prod-a").drain();
    const before = await store.applications.desiredDigests("shop");
    fleet.commit({
      "appsets/shop.yaml": prodAppSet("shop", ["web"]),
      "appsets/copy.yaml": prodAppSet("copy", ["web", "x"]),
    });
    expect(await cycle()).toMatchObject({ failed: ["copy"], syncs: 2 });
    expect((await queued("prod-a")).map((i) => [i.job.appSet, i.job.application])).toEqual([["copy", "x-prod-a"]]);
    const record = await store.generations.getGeneration("copy");
    expect(record?.errors.map((e) => e.message)).toEqual([
      'Application "web-prod-a" on cluster "prod-a" belongs to ApplicationSet "shop": one Application name on one cluster has one owner; give this ApplicationSet\'s template.metadata.name a distinct name, or remove the Application from "shop"',
      'Application "web-prod-b" on cluster "prod-b" belongs to ApplicationSet "shop": one Application name on one cluster has one owner; give this ApplicationSet\'s template.metadata.name a distinct name, or remove the Application from "shop"',
    ]);
    expect(await store.applications.desiredDigests("shop")).toEqual(before);
    expect(await store.owners.owner("prod-a", "web-prod-a")).toBe("shop");
    expect(await store.owners.owner("prod-a", "x-prod-a")).toBe("copy");
  });

  it("an ApplicationSet removed from Git is held as removed; a dismiss forgets it and deletes nothing", async () => {
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", ["web"]), "appsets/blog.yaml": prodAppSet("blog", ["x"]) });
    await start();
    fleet.commit({ "appsets/blog.yaml": prodAppSet("blog", ["x"]) });
    expect(await cycle()).toMatchObject({ deletes: 0, held: 1 });
    expect(await store.holds.get("shop")).toMatchObject({
      kind: "removed",
      reason: REMOVED_REASON,
      applications: [
        { application: "web-prod-a", cluster: "prod-a" },
        { application: "web-prod-b", cluster: "prod-b" },
      ],
    });
    expect(await cycle()).toMatchObject({ deletes: 0, held: 1 });
    const next = service.nextCycle();
    await store.holds.dismiss("shop");
    expect(await next).toMatchObject({ deletes: 0, held: 0 });
    expect(await deletes("prod-a")).toEqual([]);
    expect(await store.holds.get("shop")).toBeUndefined();
    expect((await store.applications.desiredDigests("shop")).size).toBe(0);
    expect(await store.generations.getGeneration("shop")).toBeUndefined();
    expect(await store.owners.owner("prod-a", "web-prod-a")).toBeUndefined();
  });

  it("a renamed ApplicationSet takes its Applications over: the jobs say from whom, and nothing is deleted", async () => {
    fleet.commit({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
    await start();
    await queues.queue("prod-a").drain();
    fleet.commit({ "appsets/store.yaml": prodAppSet("store", ["web"]) });
    expect(await cycle()).toMatchObject({ deletes: 0, held: 0, syncs: 2 });
    const [item] = await queued("prod-a");
    expect(item).toMatchObject({
      kind: "sync",
      job: { appSet: "store", application: "web-prod-a", adoptFrom: "shop" },
    });
    expect((item!.job as SyncJob).adoptFrom).toBe("shop");
    expect(await deletes("prod-b")).toEqual([]);
    expect(await store.owners.owner("prod-a", "web-prod-a")).toBe("store");
    expect(await store.generations.getGeneration("shop")).toBeUndefined();
    expect(await store.holds.get("shop")).toBeUndefined();
  });
});
