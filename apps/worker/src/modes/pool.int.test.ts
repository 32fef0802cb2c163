import { SyncQueues } from "@flotilla/queue";
import { type AppStatus, readPoolWorkers, servedClusters } from "@flotilla/status";
import { storeKeys } from "@flotilla/store";
import { pauseCluster, resumeCluster, TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { application, configMapYaml, syncJob, uniqueName } from "../testing/fixtures.ts";
import { eventually, type TestRuntime, testKey, testRuntime } from "../testing/harness.ts";
import { PoolWorker } from "./pool.ts";

const APPSET = "pool-it";

describeWithClusters("pool mode (3 real clusters, real Redis, real Git)", (clusters) => {
  const prefix = `${uniqueName("pool")}:`;
  const key = testKey();
  const runtimes: TestRuntime[] = [];
  const workers: PoolWorker[] = [];
  const runtimeOf = new Map<PoolWorker, TestRuntime>();
  let queues: SyncQueues;
  const repo = new TestGitRepo();
  const namespace = uniqueName("pool");

  beforeAll(async () => {
    const main = await testRuntime(testbedRedis().url, prefix, key);
    runtimes.push(main);
    for (const cluster of clusters) {
      await main.store.clusters.register({
        name: cluster.name,
        server: cluster.apiUrl,
        labels: { env: cluster.name },
        mode: "pool",
        credentials: { kind: "kubeconfig", kubeconfig: cluster.kubeconfig },
      });
    }
    queues = new SyncQueues({ connection: main.redis, prefix: `${prefix}bull`, attempts: 50 });
  });

  afterAll(async () => {
    for (const worker of workers) await worker.stop(2_000);
    await queues.close();
    for (const r of runtimes) await r.close();
    repo.remove();
  });

  async function startWorker(workerId: string): Promise<PoolWorker> {
    const r = await testRuntime(testbedRedis().url, prefix, key);
    runtimes.push(r);
    const worker = new PoolWorker(r.runtime, { workerId, leaseTtlMs: 3_000, tickMs: 300, requestTimeoutMs: 2_000 });
    await worker.start();
    workers.push(worker);
    runtimeOf.set(worker, r);
    return worker;
  }

  const apps = clusters.map((c) =>
    application({ name: `cfg-${c.name}`, repoURL: repo.dir, path: "app", cluster: c.name, namespace }),
  );

  async function statuses(): Promise<(AppStatus | undefined)[]> {
    const status = runtimes[0]!.runtime.status;
    return Promise.all(
      apps.map((app) =>
        status.get({ cluster: app.spec.destination.cluster!, appSet: APPSET, application: app.metadata.name }),
      ),
    );
  }

  it("two workers split the three clusters between them", async () => {
    const a = await startWorker("worker-a");
    expect(a.held()).toEqual(clusters.map((c) => c.name).sort());
    // Reported as soon as taken, not at the next heartbeat: what `flotilla status` reads as served.
    const reports = await runtimes[0]!.redis.hgetall(storeKeys(prefix).poolWorkerHoldings);
    expect(JSON.parse(reports["worker-a"] ?? "[]")).toEqual(clusters.map((c) => c.name).sort());
    // What `flotilla status` reads, sampled all through the hand-over: never a cluster served by nobody.
    const unserved: string[][] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const served = servedClusters(await readPoolWorkers(runtimes[0]!.redis, storeKeys(prefix)), Date.now(), 3_000);
        const missing = clusters.map((c) => c.name).filter((c) => !served.has(c));
        if (missing.length > 0) unserved.push(missing);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    const b = await startWorker("worker-b");

    await eventually(
      async () => [a.held(), b.held()],
      ([ha, hb]) => ha!.length >= 1 && hb!.length >= 1 && ha!.length + hb!.length === 3,
      15_000,
      "split",
    );
    expect(new Set([...a.held(), ...b.held()]).size).toBe(3);
    // Past the leaving report's two ticks: the taker's own report has replaced it.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    sampling = false;
    await sampler;
    expect(unserved).toEqual([]);
    expect(a.leaving()).toEqual([]);
  });

  it("jobs on every cluster are synced by whichever worker holds it", async () => {
    const commit = repo.commit({ "app/cm.yaml": configMapYaml("pooled", "1") });
    for (const app of apps) await queues.enqueueSync(syncJob(APPSET, app));
    const all = await eventually(
      statuses,
      (s) => s.every((x) => x?.sync === "Synced" && x.revision === commit),
      60_000,
      "all synced",
    );
    expect(all.map((s) => s?.health)).toEqual(["Healthy", "Healthy", "Healthy"]);
  });

  it("a paused cluster does not delay the others, and converges after resume", async () => {
    const paused = clusters[clusters.length - 1]!;
    pauseCluster(paused);
    let commit: string;
    try {
      commit = repo.commit({ "app/cm.yaml": configMapYaml("pooled", "2") });
      const started = Date.now();
      for (const app of apps) await queues.enqueueSync(syncJob(APPSET, app));
      await eventually(
        statuses,
        (s) => s.slice(0, -1).every((x) => x?.revision === commit && x.sync === "Synced"),
        20_000,
        "the reachable clusters synced",
      );
      // Within a few seconds, not after the paused cluster's request deadline times its retries.
      expect(Date.now() - started).toBeLessThan(10_000);
      const [last] = (await statuses()).slice(-1);
      expect(last?.revision === commit && last.sync === "Synced").toBe(false);
      // The paused cluster's sync fails past its request deadline and waits for a retry, as unreachable.
      await eventually(
        async () => (await statuses()).at(-1),
        (x) => x?.sync === "Error" && x.lastError?.retrying === true,
        20_000,
        "the paused cluster reported unreachable",
      );
    } finally {
      resumeCluster(paused);
    }
    await eventually(
      statuses,
      (s) => s.every((x) => x?.revision === commit && x.sync === "Synced"),
      60_000,
      "converged after resume",
    );
  });

  it("a worker leaving hands its clusters over to the one that stays", async () => {
    const [a, b] = workers as [PoolWorker, PoolWorker];
    await a.stop(5_000);
    workers.splice(workers.indexOf(a), 1);
    await eventually(
      async () => b.held(),
      (held) => held.length === 3,
      15_000,
      "taken over",
    );

    // And the one that stayed serves them all.
    const commit = repo.commit({ "app/cm.yaml": configMapYaml("pooled", "3") });
    for (const app of apps) await queues.enqueueSync(syncJob(APPSET, app));
    await eventually(
      statuses,
      (s) => s.every((x) => x?.revision === commit && x.sync === "Synced"),
      60_000,
      "synced by the survivor",
    );
  });

  it("a stalled registry read does not cost the worker its leases", async () => {
    const [b] = workers as [PoolWorker];
    const names = clusters.map((c) => c.name).sort();
    expect(b.held()).toEqual(names);
    const liveness = runtimes[0]!.redis;
    const fences = () => Promise.all(names.map((n) => liveness.get(storeKeys(prefix).leaseFence(`cluster:${n}`))));
    const before = await fences();
    // A blocking read on the store's connection holds up every command behind it, as a loaded Redis did: the
    // rebalancing step's registry read waits twice the lease TTL. Renewals travel on their own connection and timer.
    await runtimeOf.get(b)!.redis.blpop(`${prefix}nothing-arrives`, 6);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(b.held()).toEqual(names);
    // Not lost and taken again: a new grant would carry a new fencing token.
    expect(await fences()).toEqual(before);
  });
});
