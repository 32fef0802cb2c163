import { randomUUID } from "node:crypto";
import { type Application, parseApplicationSets, type RepoReader } from "@flotilla/core";
import { type DeleteJob, type QueuedWork, type SyncJob, SyncQueues, type WorkItem } from "@flotilla/queue";
import { StatusStore } from "@flotilla/status";
import { type Fence, fenceOf, openStore, type Store } from "@flotilla/store";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CachedDigestState, cachingDigests } from "./adapters/digest-cache.ts";
import { queueSink } from "./adapters/queue-sink.ts";
import { storeState } from "./adapters/store-state.ts";
import { type MemoEntry, runCycle } from "./cycle.ts";
import type { JobSink } from "./ports.ts";
import { PreparedMemo } from "./prepared-memo.ts";
import { REMOVED_REASON } from "./remove-appset.ts";
import type { PreparedSource } from "./sources.ts";
import { FakeSources, MemoryFleet } from "./testing/cycle-fakes.ts";
import { prodAppSet, serverAppSet } from "./testing/fleet-repo.ts";

// The cycle against the real adapters: the generator's state and the cluster registry in Redis, each cluster's
// own queue. A fake registry that resolved destinations unlike the real one is how server-addressed Applications
// once failed in the service while these tests passed. Git (the fleet) and source rendering stay behind our own
// seams, FleetRepo and SourcePreparer; they are tested against real Git elsewhere.
/**
 * The real queue sink (each cluster's own BullMQ queue, so a job whose cluster names no queue fails as it would in
 * the service), remembering what it was given so that tests can say which jobs a cycle produced.
 */
class RecordingSink implements JobSink {
  syncs: SyncJob[] = [];
  deletes: DeleteJob[] = [];
  readonly #real: JobSink;
  constructor(real: JobSink) {
    this.#real = real;
  }
  async enqueue(items: readonly WorkItem[]) {
    await this.#real.enqueue(items);
    for (const item of items) {
      if (item.kind === "sync") this.syncs.push(item.job);
      else this.deletes.push(item.job);
    }
  }
}

const noGit: RepoReader = {
  resolveRevision: () => Promise.reject(new Error("unused")),
  listTree: () => Promise.reject(new Error("unused")),
  readFile: () => Promise.reject(new Error("unused")),
};

describeWithRedis("runCycle (real Redis state, registry and queues)", (redisInfo) => {
  let redis: Redis;
  let store: Store;
  let queues: SyncQueues;
  let fleet: MemoryFleet;
  let state: CachedDigestState;
  let jobs: RecordingSink;
  let memo: Map<string, MemoEntry> | undefined;
  let sources: FakeSources | undefined;
  let known = new PreparedMemo();
  const run = () =>
    runCycle(
      {
        fleet,
        repos: noGit,
        clusters: () => store.clusters.list(),
        state,
        jobs,
        logger: pino({ level: "silent" }),
        ...(memo && { memo }),
        ...(sources && { sources, prepared: known }),
      },
      { paths: ["appsets/*.yaml"] },
    );
  const names = () => jobs.syncs.map((s) => s.application).sort();
  const inForce = async (appSet: string) => [...(await store.applications.desiredDigests(appSet)).keys()].sort();
  const recordOf = (appSet: string) => store.generations.getGeneration(appSet);
  /** Empties every cluster's queue, so that what waits next is what the next cycle enqueued. */
  const drain = async () => {
    for (const c of await store.clusters.list()) await queues.queue(c.name).drain();
  };
  /** What waits on a cluster's queue, as kind and Application (a job's first state; see `drain`). */
  const waiting = async (cluster: string) =>
    (await queues.queue(cluster).getJobs(["waiting", "prioritized", "delayed"]))
      .map((j) => (j.data as QueuedWork).item)
      .map((item) => `${item.kind} ${item.job.application}`)
      .sort();

  beforeEach(async () => {
    const prefix = `t${randomUUID().slice(0, 8)}:`;
    redis = new Redis(redisInfo.url, { maxRetriesPerRequest: null });
    store = await openStore({ redis, prefix, needsCredentials: false, log: pino({ level: "silent" }) });
    queues = new SyncQueues({ connection: redis, prefix: `${prefix}bull` });
    const grant = await store.lease("generator").acquire("cycle-test");
    const fence: Fence = fenceOf(grant!);
    // As the service has it: the digests in force kept between cycles, so every test runs several through them.
    state = cachingDigests(storeState(store, () => fence, { status: new StatusStore(redis, { prefix }) }));
    jobs = new RecordingSink(queueSink({ queues, fence: () => fence, keys: store.keys }));
    memo = undefined;
    sources = undefined;
    fleet = new MemoryFleet();
    for (const [name, server, env] of [
      ["prod-a", "https://a", "prod"],
      ["prod-b", "https://b", "prod"],
      ["dev", "https://d", "dev"],
    ] as const) {
      await store.clusters.register({ name, server, labels: { env }, mode: "agent" });
    }
  });

  afterEach(async () => {
    await queues.close();
    await redis.quit();
  });

  it("a new commit that adds an app enqueues its syncs, and only those", async () => {
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]), "README.md": "not an appset" });
    await run();
    expect(names()).toEqual(["web-prod-a", "web-prod-b"]);
    jobs.syncs = [];
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web", "api"]) });
    const report = await run();
    expect(names()).toEqual(["api-prod-a", "api-prod-b"]);
    expect(report).toMatchObject({ commit: "c1", appSets: 1, applications: 4, syncs: 2, deletes: 0, failed: [] });
  });

  it("kept digests match the store after every cycle; a write behind them counts once they are cleared", async () => {
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web", "api", "db"]) });
    await run();
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web", "api"]) });
    await run();
    expect(await state.desiredDigests("shop")).toEqual(await store.applications.desiredDigests("shop"));

    // Forgetting a cluster (the API's orphan removal) deletes its Applications from the store, not from the cache.
    await store.clusterApplications.forget("prod-b");
    await drain();
    jobs.syncs = [];
    state.clearDigests();
    await run();
    expect(await inForce("shop")).toEqual(["api-prod-a", "api-prod-b", "web-prod-a", "web-prod-b"]);
    expect(names()).toEqual(["api-prod-b", "web-prod-b"]);
  });

  it("an app removed from Git becomes delete jobs routed to its cluster", async () => {
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web", "api", "db"]) });
    await run();
    await drain();
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web", "api"]) });
    await run();
    expect(jobs.deletes).toEqual([
      { appSet: "shop", application: "db-prod-a", cluster: "prod-a", preserveResources: false, revision: "c1" },
      { appSet: "shop", application: "db-prod-b", cluster: "prod-b", preserveResources: false, revision: "c1" },
    ]);
    expect(await waiting("prod-a")).toContain("delete db-prod-a");
  });

  it("a relabelled cluster makes its apps appear and disappear", async () => {
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web", "api"]) });
    await run();
    await store.clusters.setLabels("dev", { env: "prod" });
    await run();
    expect(names().filter((n) => n.endsWith("-dev"))).toEqual(["api-dev", "web-dev"]);
    await drain();
    await store.clusters.setLabels("prod-a", { env: "dev" });
    await run();
    expect(await waiting("prod-a")).toEqual(["delete api-prod-a", "delete web-prod-a"]);
    expect(jobs.deletes.map((d) => d.application).sort()).toEqual(["api-prod-a", "web-prod-a"]);
  });

  it("Git unreachable: zero delete jobs, previous generation in force, the error recorded", async () => {
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
    await run();
    fleet.down = true;
    const report = await run();
    expect(jobs.deletes).toEqual([]);
    expect(report.error).toBe("fleet repository: unreachable: connection refused");
    expect(await inForce("shop")).toHaveLength(2);
    expect((await recordOf("shop"))?.generatorError).toBe("fleet repository: unreachable: connection refused");
  });

  it("a malformed ApplicationSet is recorded and its siblings still generate", async () => {
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]), "appsets/blog.yaml": prodAppSet("blog", ["blog"]) });
    await run();
    jobs.syncs = [];
    fleet.push({
      "appsets/shop.yaml": prodAppSet("shop", ["web"]).replace("template:", "tempalte:"),
      "appsets/blog.yaml": prodAppSet("blog", ["blog", "comments"]),
    });
    const report = await run();
    expect(names()).toEqual(["comments-prod-a", "comments-prod-b"]);
    expect(jobs.deletes).toEqual([]);
    expect(report.failed).toEqual(["shop"]);
    expect(await inForce("shop")).toHaveLength(2);
    expect((await recordOf("shop"))?.generatorError).toBe(
      'appsets/shop.yaml at c1 does not parse: appsets/shop.yaml:4:1: spec.template: required field is missing; expected object; appsets/shop.yaml:10:3: spec.tempalte: unknown field "tempalte"; the previous generation stays in force',
    );
  });

  it("an ApplicationSet removed from Git is held by the deletion guard, not deleted", async () => {
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
    await run();
    fleet.push({});
    const report = await run();
    expect(jobs.deletes).toEqual([]);
    expect(report.held).toBe(1);
    expect((await recordOf("shop"))?.held?.reason).toBe(REMOVED_REASON);
    expect(await store.holds.get("shop")).toMatchObject({ kind: "removed", reason: REMOVED_REASON });
  });

  it("keeps each ApplicationSet's file, commit and parsed spec; a broken file keeps the last good one; a forgotten one goes", async () => {
    const shop = prodAppSet("shop", ["web"]);
    fleet.push({ "appsets/shop.yaml": shop });
    await run();
    const parsed = parseApplicationSets(shop, "appsets/shop.yaml").appSets[0]!.appSet;
    expect(await store.appSetSources.get("shop")).toEqual({
      appSet: "shop",
      file: "appsets/shop.yaml",
      commit: "c0",
      spec: parsed,
    });
    expect((await recordOf("shop"))?.file).toBe("appsets/shop.yaml");

    fleet.push({ "appsets/moved.yaml": prodAppSet("shop", ["web", "api"]) });
    await run();
    const moved = await store.appSetSources.get("shop");
    expect(moved).toMatchObject({ file: "appsets/moved.yaml", commit: "c1" });
    expect(moved?.spec.spec.generators[0]?.matrix?.generators[1]?.list?.elements).toEqual([
      { app: "web" },
      { app: "api" },
    ]);

    fleet.push({ "appsets/moved.yaml": prodAppSet("shop", ["web"]).replace("template:", "tempalte:") });
    await run();
    expect(await store.appSetSources.get("shop")).toEqual(moved);

    fleet.push({});
    await run();
    expect(await store.appSetSources.get("shop")).toEqual(moved);
    expect(await store.holds.dismiss("shop")).toBeDefined();
    await run();
    expect(await store.holds.get("shop")).toBeUndefined();
    expect(await store.appSetSources.get("shop")).toBeUndefined();
    expect(await store.appSetSources.list()).toEqual(new Map());
  });

  it("a removed ApplicationSet whose names another one already owns hands them over instead of holding them", async () => {
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
    await run();
    // As a cycle for some ApplicationSets only (or one cut short) leaves it: the new owner claimed, the old remains.
    await store.owners.claim("store", [{ cluster: "prod-a", application: "web-prod-a" }], { adoptable: ["shop"] });
    fleet.push({});
    expect(await run()).toMatchObject({ deletes: 0, held: 1 });
    expect((await store.holds.get("shop"))?.applications).toEqual([{ application: "web-prod-b", cluster: "prod-b" }]);
    expect(await inForce("shop")).toEqual(["web-prod-b"]);
  });

  it("a renamed ApplicationSet takes its Applications over without a delete", async () => {
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
    await run();
    jobs.syncs = [];
    fleet.push({ "appsets/store.yaml": prodAppSet("store", ["web"]) });
    const report = await run();
    expect(report).toMatchObject({ deletes: 0, held: 0 });
    expect(jobs.syncs.map((j) => [j.appSet, j.application, j.adoptFrom])).toEqual([
      ["store", "web-prod-a", "shop"],
      ["store", "web-prod-b", "shop"],
    ]);
    expect(jobs.deletes).toEqual([]);
    expect(await state.appSetNames()).toEqual(["store"]);
  });

  it("a shrink over the threshold is held, smaller ones pass", async () => {
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["a", "b", "c", "d"]) });
    await run();
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["a"]) });
    await run();
    expect(jobs.deletes).toEqual([]);
    expect((await recordOf("shop"))?.held?.count).toBe(6);
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["a", "b", "c"]) });
    await run();
    expect(jobs.deletes.map((d) => d.application).sort()).toEqual(["d-prod-a", "d-prod-b"]);
  });

  it("the same ApplicationSet name in two files: neither is used, the previous generation stays", async () => {
    fleet.push({ "appsets/a.yaml": prodAppSet("shop", ["web"]) });
    await run();
    jobs.syncs = [];
    fleet.push({ "appsets/a.yaml": prodAppSet("shop", ["web"]), "appsets/b.yaml": prodAppSet("shop", ["api"]) });
    const report = await run();
    expect(jobs.syncs).toEqual([]);
    expect(jobs.deletes).toEqual([]);
    expect(report.failed).toEqual(["shop"]);
    expect(await inForce("shop")).toHaveLength(2);
    expect((await recordOf("shop"))?.generatorError).toBe(
      'ApplicationSet "shop" is defined in appsets/a.yaml and appsets/b.yaml; neither is used until one is renamed',
    );
  });

  it("skips an ApplicationSet whose inputs have not changed, and regenerates when they do", async () => {
    memo = new Map();
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]), "appsets/blog.yaml": prodAppSet("blog", ["blog"]) });
    await run();
    jobs.syncs = [];
    fleet.push({
      "appsets/shop.yaml": prodAppSet("shop", ["web", "api"]),
      "appsets/blog.yaml": prodAppSet("blog", ["blog"]),
    });
    expect(await run()).toMatchObject({ appSets: 1, unchanged: 1, syncs: 2 });
    expect(names()).toEqual(["api-prod-a", "api-prod-b"]);
    await store.clusters.setLabels("dev", { env: "prod" });
    expect(await run()).toMatchObject({ appSets: 2, unchanged: 0, syncs: 3 });
    expect(await run()).toMatchObject({ appSets: 0, unchanged: 2, syncs: 0 });
  });

  it("does not remember a generation that was not stored", async () => {
    memo = new Map();
    fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
    const real = state;
    state = {
      ...real,
      commit: async () => {
        throw new Error("redis: connection lost");
      },
    };
    expect(await run()).toMatchObject({ failed: ["shop"] });
    state = real;
    expect(await run()).toMatchObject({ appSets: 1, unchanged: 0, syncs: 2 });
  });

  describe("destinations addressed by server", () => {
    const targets = [
      { name: "prod-a", server: "https://a" },
      // Written with a trailing '/', registered without one: the same server.
      { name: "prod-b", server: "https://b/" },
      { name: "gone", server: "https://gone.example" },
    ];

    it("go to the registered cluster's queue; an unregistered server fails only its elements; deletes and later cycles still work", async () => {
      fleet.push({ "appsets/edge.yaml": serverAppSet("edge", targets, ["web", "api", "db"]) });
      const first = await run();
      expect(first).toMatchObject({ appSets: 1, applications: 6, syncs: 6, failed: ["edge"] });
      expect(await waiting("prod-a")).toEqual(["sync api-prod-a", "sync db-prod-a", "sync web-prod-a"]);
      expect(await waiting("prod-b")).toEqual(["sync api-prod-b", "sync db-prod-b", "sync web-prod-b"]);
      expect(jobs.syncs.map((j) => j.cluster).sort()).toEqual([
        "prod-a",
        "prod-a",
        "prod-a",
        "prod-b",
        "prod-b",
        "prod-b",
      ]);
      // The Application records the registered name it resolved to, beside the server it was addressed by.
      expect((await store.applications.get("edge", "web-prod-b"))?.spec.destination).toEqual({
        server: "https://b/",
        namespace: "web",
        cluster: "prod-b",
      });
      const errors = (await recordOf("edge"))?.errors ?? [];
      expect(errors.map((e) => [e.application, e.field, e.message])).toEqual(
        ["web-gone", "api-gone", "db-gone"].map((app) => [
          app,
          "spec.destination.server",
          'spec.destination.server: "https://gone.example" is not the server of any registered cluster',
        ]),
      );

      await drain();
      fleet.push({ "appsets/edge.yaml": serverAppSet("edge", targets, ["web", "api"]) });
      expect(await run()).toMatchObject({ deletes: 2, held: 0 });
      expect(jobs.deletes.map((d) => [d.application, d.cluster])).toEqual([
        ["db-prod-a", "prod-a"],
        ["db-prod-b", "prod-b"],
      ]);
      expect(await waiting("prod-a")).toContain("delete db-prod-a");
      expect(await inForce("edge")).toEqual(["api-prod-a", "api-prod-b", "web-prod-a", "web-prod-b"]);

      // Not stuck: the next change is generated, enqueued and stored like any other.
      jobs.syncs = [];
      fleet.push({ "appsets/edge.yaml": serverAppSet("edge", targets, ["web", "api", "blog"]) });
      expect(await run()).toMatchObject({ syncs: 2, deletes: 0 });
      expect(names()).toEqual(["blog-prod-a", "blog-prod-b"]);
      expect(await inForce("edge")).toHaveLength(6);
    });

    it("an element whose server two clusters share, or whose cluster and server disagree, fails naming both", async () => {
      await store.clusters.register({ name: "twin", server: "https://a", labels: {}, mode: "agent" });
      fleet.push({
        "appsets/edge.yaml": serverAppSet("edge", [{ name: "x", server: "https://a" }], ["web"]),
        "appsets/shop.yaml": prodAppSet("shop", ["web"]).replace(
          'destination: { cluster: "{{name}}"',
          'destination: { cluster: "{{name}}", server: "https://d"',
        ),
      });
      const report = await run();
      expect(report.failed.sort()).toEqual(["edge", "shop"]);
      expect((await recordOf("edge"))?.errors.map((e) => e.message)).toEqual([
        'spec.destination.server: "https://a" is the server of clusters "prod-a" and "twin"; address the Application by destination.cluster instead',
      ]);
      expect((await recordOf("shop"))?.errors.map((e) => e.message)).toEqual([
        'spec.destination.server: "https://d" is not the server of cluster "prod-a" (registered with "https://a"); give destination.cluster or destination.server alone, or make them agree',
        'spec.destination.server: "https://d" is not the server of cluster "prod-b" (registered with "https://b"); give destination.cluster or destination.server alone, or make them agree',
      ]);
    });

    it("an Application stored by server alone is deleted on its cluster's queue; one whose server left the registry is held, not lost", async () => {
      const stored = (name: string, server: string): Application => ({
        apiVersion: "flotilla.dev/v1alpha1",
        kind: "Application",
        metadata: { name },
        spec: { source: { repoURL: "https://git.example/fleet.git", path: "apps/old" }, destination: { server } },
      });
      // As an earlier version stored them: no recorded cluster name.
      fleet.push({ "appsets/edge.yaml": serverAppSet("edge", targets.slice(0, 2), ["web", "api", "db"]) });
      await run();
      await store.applications.commit("edge", {
        creates: [
          { application: stored("old-a", "https://a"), desiredDigest: "h1" },
          { application: stored("old-gone", "https://gone.example"), desiredDigest: "h2" },
        ],
        updates: [],
        deletes: [],
        unchanged: [],
      });
      // Written behind this generator's back: a new lease term is how it would come to read them.
      state.clearDigests();
      jobs.syncs = [];
      fleet.push({ "appsets/edge.yaml": serverAppSet("edge", targets.slice(0, 2), ["web", "api", "db", "blog"]) });
      const report = await run();
      expect(report).toMatchObject({ syncs: 2, deletes: 1, held: 1, failed: [] });
      expect(jobs.deletes.map((d) => [d.application, d.cluster])).toEqual([["old-a", "prod-a"]]);
      expect(await waiting("prod-a")).toContain("delete old-a");
      expect((await recordOf("edge"))?.held).toEqual({
        count: 1,
        names: ["old-gone"],
        reason:
          'cannot route the delete of 1 Application(s): "old-gone" spec.destination.server: "https://gone.example" is not the server of any registered cluster; held until its cluster is registered again',
      });
      expect(await inForce("edge")).toContain("old-gone");
      expect(await inForce("edge")).toContain("blog-prod-a");

      // Registered again: the held delete goes to that cluster's queue.
      await store.clusters.register({ name: "back", server: "https://gone.example", labels: {}, mode: "agent" });
      expect(await run()).toMatchObject({ deletes: 1, held: 0 });
      expect(await waiting("back")).toEqual(["delete old-gone"]);
    });
  });

  describe("with sources prepared by the generator", () => {
    const bundleOf = (job: SyncJob) => (job.source && "bundle" in job.source ? job.source.bundle : undefined);

    beforeEach(() => {
      sources = new FakeSources();
      memo = new Map();
      known = new PreparedMemo();
    });

    it("names each Application's bundle in its job and stores it beside the Application", async () => {
      fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
      await run();
      expect(jobs.syncs.map(bundleOf)).toEqual([`sha256:${"a".repeat(64)}`, `sha256:${"a".repeat(64)}`]);
      expect(await store.applications.sources("shop", ["web-prod-a"])).toEqual([
        { commit: "a".repeat(40), bundle: `sha256:${"a".repeat(64)}` },
      ]);
    });

    it("turns a new commit on a source branch into update jobs though no spec changed", async () => {
      fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
      await run();
      jobs.syncs = [];
      expect(await run()).toMatchObject({ unchanged: 1, syncs: 0 });
      // The ApplicationSet regenerated (its memo dropped), but every spec and commit is known: nothing is prepared
      // again, nothing enqueued.
      memo!.clear();
      const prepared = sources!.prepared;
      expect(await run()).toMatchObject({ unchanged: 0, syncs: 0 });
      expect(sources!.prepared).toBe(prepared);
      sources!.head = "b".repeat(40);
      expect(await run()).toMatchObject({ unchanged: 0, syncs: 2 });
      expect(jobs.syncs.map((j) => j.source)).toEqual([
        { commit: "b".repeat(40), bundle: `sha256:${"b".repeat(64)}` },
        { commit: "b".repeat(40), bundle: `sha256:${"b".repeat(64)}` },
      ]);
    });

    it("re-applies nothing when a new commit leaves the rendered output as it was", async () => {
      sources!.output = "same";
      fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
      await run();
      jobs.syncs = [];
      sources!.head = "b".repeat(40);
      expect(await run()).toMatchObject({ syncs: 0 });
      sources!.output = "changed";
      sources!.head = "c".repeat(40);
      expect(await run()).toMatchObject({ syncs: 2 });
    });

    it("keeps the Application in force while its source is unavailable, and creates a new one only once it is", async () => {
      fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
      await run();
      jobs.syncs = [];
      const down: PreparedSource = { kind: "transient", message: "cannot resolve HEAD: unreachable" };
      sources!.head = "b".repeat(40);
      sources!.override.set("web-prod-a", down);
      sources!.override.set("api-prod-a", down);
      fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web", "api"]) });
      const report = await run();
      expect(report).toMatchObject({ deletes: 0, sourcesPending: 2 });
      expect(names()).toEqual(["api-prod-b", "web-prod-b"]);
      expect(await inForce("shop")).toEqual(["api-prod-b", "web-prod-a", "web-prod-b"]);
      // Not remembered as settled: the next cycle tries again without any input changing.
      sources!.override.clear();
      jobs.syncs = [];
      expect(await run()).toMatchObject({ unchanged: 0, sourcesPending: 0, syncs: 2 });
      expect(names()).toEqual(["api-prod-a", "web-prod-a"]);
    });

    it("sends a failure only a new commit can fix once, not every cycle", async () => {
      fleet.push({ "appsets/shop.yaml": prodAppSet("shop", ["web"]) });
      const failure = (message: string): PreparedSource => ({
        kind: "ready",
        source: { commit: "a".repeat(40), failure: { step: "render", message } },
      });
      sources!.override.set("web-prod-a", failure("bad YAML in /tmp/render-1/a.yaml"));
      await run();
      expect(jobs.syncs.find((j) => j.application === "web-prod-a")?.source).toMatchObject({
        failure: { step: "render" },
      });
      jobs.syncs = [];
      memo!.clear();
      sources!.override.set("web-prod-a", failure("bad YAML in /tmp/render-2/a.yaml"));
      expect(await run()).toMatchObject({ syncs: 0 });
    });
  });
});
