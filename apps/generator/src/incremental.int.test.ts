import { randomUUID } from "node:crypto";
import type { RepoReader } from "@flotilla/core";
import type { GenerationMemo } from "@flotilla/engine";
import { type QueuedWork, SyncQueues, type WorkItem } from "@flotilla/queue";
import { StatusStore } from "@flotilla/status";
import { fenceOf, openStore, type Store } from "@flotilla/store";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { queueSink } from "./adapters/queue-sink.ts";
import { storeState } from "./adapters/store-state.ts";
import { type CycleDeps, type MemoEntry, type ParsedFile, runCycle } from "./cycle.ts";
import type { JobSink } from "./ports.ts";
import { PreparedMemo } from "./prepared-memo.ts";
import { FakeSources, MemoryFleet } from "./testing/cycle-fakes.ts";

// The incremental generator (what it keeps between cycles: fingerprints, prepared sources, generation memos)
// against a generator that keeps nothing, both on real Redis state and queues under their own prefixes, given the
// same fleet and registry step by step: what each enqueues and stores must be the same after every step.

const noGit: RepoReader = {
  resolveRevision: () => Promise.reject(new Error("unused")),
  listTree: () => Promise.reject(new Error("unused")),
  readFile: () => Promise.reject(new Error("unused")),
};

interface Fleet {
  apps: string[];
  /** (app, cluster) → revision: one Application pinned, as a push usually changes one. */
  pins: [string, string, string][];
}

function appSetYaml(fleet: Fleet): string {
  const elements = fleet.apps.map((app) => `{ app: "${app}", rev: v0 }`).join(", ");
  const pins = fleet.pins.map(([app, name, rev]) => `{ app: "${app}", name: "${name}", rev: "${rev}" }`).join(", ");
  return `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: shop }
spec:
  generators:
    - merge:
        mergeKeys: [app, name]
        generators:
          - matrix:
              generators:
                - clusters: { selector: { matchLabels: { env: prod } } }
                - list: { elements: [${elements}] }
          - list: { elements: [${pins}] }
  template:
    metadata: { name: "{{app}}-{{name}}", labels: { region: "{{metadata.labels.region}}" } }
    spec:
      source: { repoURL: "https://git.example/fleet.git", targetRevision: "{{rev}}", path: "apps/{{app}}" }
      destination: { cluster: "{{name}}", namespace: "{{app}}" }
      syncPolicy: { automated: { prune: true } }
`;
}

/** What a cycle did, as one generator's state and queues show it. */
class Recorder implements JobSink {
  items: WorkItem[] = [];
  readonly #real: JobSink;
  constructor(real: JobSink) {
    this.#real = real;
  }
  async enqueue(items: readonly WorkItem[]) {
    await this.#real.enqueue(items);
    this.items.push(...items);
  }
}

interface World {
  store: Store;
  queues: SyncQueues;
  jobs: Recorder;
  deps: CycleDeps;
}

describeWithRedis("a generator that keeps its last generation does what one that keeps nothing does", (redisInfo) => {
  let redis: Redis;
  const fleet = new MemoryFleet();
  let incremental: World;
  let full: World;

  async function world(keeps: boolean): Promise<World> {
    const prefix = `inc${randomUUID().slice(0, 8)}:`;
    const store = await openStore({ redis, prefix, needsCredentials: false, log: pino({ level: "silent" }) });
    const queues = new SyncQueues({ connection: redis, prefix: `${prefix}bull` });
    const fence = fenceOf((await store.lease("generator").acquire("incremental-test"))!);
    const jobs = new Recorder(queueSink({ queues, fence: () => fence, keys: store.keys }));
    for (const [name, env, region] of [
      ["a", "prod", "eu"],
      ["b", "prod", "us"],
      ["c", "dev", "eu"],
    ] as const) {
      await store.clusters.register({ name, server: `https://${name}:6443`, labels: { env, region }, mode: "agent" });
    }
    const deps: CycleDeps = {
      fleet,
      repos: noGit,
      clusters: () => store.clusters.list(),
      state: storeState(store, () => fence, { status: new StatusStore(redis, { prefix }) }),
      jobs,
      logger: pino({ level: "silent" }),
      sources: new FakeSources(),
      ...(keeps && {
        memo: new Map<string, MemoEntry>(),
        prepared: new PreparedMemo(),
        generationMemos: new Map<string, GenerationMemo>(),
        parsedFiles: new Map<string, ParsedFile>(),
      }),
    };
    return { store, queues, jobs, deps };
  }

  /** Jobs, stored Applications and record of one world, in a form two worlds can be compared in. */
  async function seen(w: World) {
    const digests = await w.store.applications.desiredDigests("shop");
    const names = [...digests.keys()].sort();
    const record = await w.store.generations.getGeneration("shop");
    const waiting: string[] = [];
    for (const c of ["a", "b", "c"]) {
      for (const job of await w.queues.queue(c).getJobs(["waiting", "prioritized", "delayed"])) {
        waiting.push(JSON.stringify((job.data as QueuedWork).item));
      }
    }
    return {
      enqueued: w.jobs.items.map((i) => JSON.stringify(i)).sort(),
      waiting: waiting.sort(),
      digests: names.map((n) => `${n}=${digests.get(n)}`),
      specs: JSON.stringify(await w.store.applications.getMany("shop", names)),
      sources: JSON.stringify(await w.store.applications.sources("shop", names)),
      record: { ...record, time: undefined },
    };
  }

  async function step(change: () => Promise<void> | void) {
    await change();
    incremental.jobs.items = [];
    full.jobs.items = [];
    const a = await runCycle(incremental.deps, { paths: ["appsets/*.yaml"] });
    const b = await runCycle(full.deps, { paths: ["appsets/*.yaml"] });
    expect({ ...a, unchanged: 0 }).toEqual({ ...b, unchanged: 0 });
    const [x, y] = [await seen(incremental), await seen(full)];
    expect(x).toEqual(y);
    return { report: a, seen: x };
  }

  const commit = (f: Fleet) => fleet.push({ "appsets/shop.yaml": appSetYaml(f) });
  const both = async (act: (s: Store) => Promise<unknown>) => {
    await act(incremental.store);
    await act(full.store);
  };

  beforeAll(async () => {
    redis = new Redis(redisInfo.url, { maxRetriesPerRequest: null });
    incremental = await world(true);
    full = await world(false);
  });

  afterAll(async () => {
    await incremental.queues.close();
    await full.queues.close();
    await redis.quit();
  });

  const apps = ["web", "api", "db", "cache", "queue"];

  it("step by step: a push, a removal, a relabel during a push, a bad element, a duplicated merge key", async () => {
    commit({ apps, pins: [["web", "a", "v1"]] });
    expect((await step(() => undefined)).report).toMatchObject({ syncs: 10, failed: [] });

    // One element of the merge changes: one Application is updated, in both.
    const push = await step(() => commit({ apps, pins: [["web", "a", "v2"]] }));
    expect(push.report.syncs).toBe(1);
    expect(push.seen.enqueued).toEqual([expect.stringContaining('"application":"web-a"')]);

    // An element removed: its Applications are deleted (2 of 10, under the guard).
    const removed = await step(() => commit({ apps: apps.filter((a) => a !== "db"), pins: [["web", "a", "v2"]] }));
    expect(removed.report.deletes).toBe(2);

    // A cluster relabelled (dev → prod, a new region) in the same cycle as a push that pins one of its apps.
    const relabel = await step(async () => {
      await both((s) => s.clusters.setLabels("c", { env: "prod", region: "ap" }));
      commit({ apps: apps.filter((a) => a !== "db"), pins: [["api", "c", "v3"]] });
    });
    expect(relabel.report.syncs).toBe(4 + 1); // c's four apps (api-c at v3), and web-a back to v0
    expect(relabel.seen.specs).toContain('"region":"ap"');

    // One element that cannot render (an invalid name): it fails alone, its siblings stay.
    const bad = await step(() => commit({ apps: [...apps.filter((a) => a !== "db"), "Bad_App"], pins: [] }));
    expect(bad.report.failed).toEqual(["shop"]);
    expect(bad.report.deletes).toBe(0);

    // A merge key duplicated fails the whole generation: nothing enqueued, nothing deleted, the error recorded.
    const dup = await step(() =>
      commit({
        apps,
        pins: [
          ["web", "a", "v4"],
          ["web", "a", "v5"],
        ],
      }),
    );
    expect(dup.seen.enqueued).toEqual([]);
    expect(dup.seen.record.generatorError).toMatch(/same merge key values/);

    // Fixed: back to a generation both agree on, with db back.
    const fixed = await step(() => commit({ apps, pins: [["web", "a", "v4"]] }));
    expect(fixed.report.failed).toEqual([]);
    expect(fixed.seen.digests).toHaveLength(15);
  });
});
