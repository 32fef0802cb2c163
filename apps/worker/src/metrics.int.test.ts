import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type KubeObject, ResourceManager } from "@flotilla/kube";
import { parsePrometheusText, type Scrape, samplesOf, sampleValue } from "@flotilla/metrics";
import { SyncQueues } from "@flotilla/queue";
import { StatusStore } from "@flotilla/status";
import { openStore, type Store } from "@flotilla/store";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { application, configMapYaml, syncJob, uniqueName } from "./testing/fixtures.ts";
import { eventually, silent, storeAndSync, testKey } from "./testing/harness.ts";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));
const APPSET = "metrics-it";

/** A worker process, and the port its probes and `/metrics` listen on (read from its "probes served" line). */
interface WorkerProcess {
  child: ChildProcess;
  port: Promise<number>;
  exited: Promise<number | null>;
}

function startWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? "", FLOTILLA_ALLOW_LOCAL_REPOS: "true", FLOTILLA_HEALTH_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      for (const line of out.split("\n")) {
        if (!line.includes('"probes served"')) continue;
        resolve((JSON.parse(line) as { port: number }).port);
      }
    });
    child.on("exit", (code) => reject(new Error(`worker exited (${code}) before serving its probes`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, port, exited };
}

async function scrape(port: number): Promise<{ contentType: string; scrape: Scrape }> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.status).toBe(200);
  return { contentType: res.headers.get("content-type") ?? "", scrape: parsePrometheusText(await res.text()) };
}

describeWithClusters("the worker's /metrics after real syncs (agent mode, real Redis and cluster)", (clusters) => {
  const cluster = clusters[0]!;
  const prefix = `${uniqueName("metrics")}:`;
  const repo = new TestGitRepo();
  const namespace = uniqueName("metrics");
  // What `kubectl edit` does: another field manager takes the field over.
  const human = ResourceManager.fromKubeconfig(cluster.kubeconfig, { apply: { fieldManager: "kubectl-edit" } });
  let redis: Redis;
  let queues: SyncQueues;
  let status: StatusStore;
  let store: Store;
  let worker: WorkerProcess;
  let port: number;

  const app = application({ name: "web", repoURL: repo.dir, path: "web", cluster: cluster.name, namespace });
  app.spec.syncPolicy = { automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=true"] };
  const broken = application({ name: "broken", repoURL: repo.dir, path: "broken", cluster: cluster.name, namespace });
  const ref = { cluster: cluster.name, appSet: APPSET, application: "web" };

  /** Scrapes until `check` holds: gauges read Redis through a cache of a few seconds. */
  async function scrapeUntil(check: (s: Scrape) => boolean, what: string): Promise<Scrape> {
    return await eventually(async () => (await scrape(port)).scrape, check, 30_000, what);
  }

  beforeAll(async () => {
    redis = new Redis(testbedRedis().url, { maxRetriesPerRequest: null });
    queues = new SyncQueues({ connection: redis, prefix: `${prefix}bull` });
    status = new StatusStore(redis, { prefix });
    store = await openStore({ redis, prefix, needsCredentials: false, log: silent });
    const dir = mkdtempSync(join(tmpdir(), "flotilla-metrics-"));
    writeFileSync(join(dir, "kubeconfig"), cluster.kubeconfig);
    worker = startWorker({
      FLOTILLA_MODE: "agent",
      FLOTILLA_CLUSTER: cluster.name,
      FLOTILLA_KUBECONFIG: join(dir, "kubeconfig"),
      FLOTILLA_REDIS_URL: testbedRedis().url,
      FLOTILLA_REDIS_PREFIX: prefix,
      FLOTILLA_LOCAL_RENDER: "true",
      FLOTILLA_GIT_MIN_FETCH_INTERVAL: "0",
      FLOTILLA_REPO_CACHE: mkdtempSync(join(tmpdir(), "flotilla-metrics-git-")),
      FLOTILLA_LOG_LEVEL: "info",
    });
    port = await worker.port;
  });

  afterAll(async () => {
    if (worker.child.exitCode === null) {
      worker.child.kill("SIGTERM");
      await worker.exited;
    }
    await queues.close();
    await redis.quit();
    repo.remove();
  });

  it("serves Prometheus text 0.0.4 with process metrics and the cluster it serves", async () => {
    const first = await scrape(port);
    expect(first.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(first.scrape.families.get("process_cpu_seconds_total")?.type).toBe("counter");
    expect(sampleValue(first.scrape, "process_resident_memory_bytes")).toBeGreaterThan(1_000_000);
    const s = await scrapeUntil(
      (x) => sampleValue(x, "flotilla_cluster_info", { cluster: cluster.name }) === 1,
      "cluster_info once the agent started",
    );
    expect(samplesOf(s, "flotilla_cluster_info")).toEqual([
      { name: "flotilla_cluster_info", labels: { cluster: cluster.name, mode: "agent" }, value: 1 },
    ]);
  });

  it("after a sync: app_info Synced and Healthy at the commit, one Succeeded sync, its duration and its steps, the cluster reachable", async () => {
    const commit = repo.commit({ "web/cm.yaml": configMapYaml("cfg", "one") });
    // Stored as the generator stores it: the drift watch re-syncs an edited Application from the store.
    await storeAndSync({ store, queues }, APPSET, app);
    await eventually(
      () => status.get(ref),
      (x) => x?.revision === commit && x.sync === "Synced",
      60_000,
      "synced",
    );
    const s = await scrapeUntil(
      (x) => sampleValue(x, "flotilla_app_info", { app: "web", revision: commit }) === 1,
      "app_info at the commit",
    );
    expect(samplesOf(s, "flotilla_app_info", { app: "web" })).toEqual([
      {
        name: "flotilla_app_info",
        labels: {
          appset: APPSET,
          app: "web",
          cluster: cluster.name,
          sync_status: "Synced",
          health_status: "Healthy",
          revision: commit,
        },
        value: 1,
      },
    ]);
    const sync = { appset: APPSET, app: "web", cluster: cluster.name };
    expect(sampleValue(s, "flotilla_app_sync_total", { ...sync, phase: "Succeeded" })).toBe(1);
    expect(sampleValue(s, "flotilla_app_sync_total", { ...sync, phase: "Failed" })).toBeUndefined();
    expect(sampleValue(s, "flotilla_app_reconcile_seconds_count", { cluster: cluster.name })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(s, "flotilla_app_reconcile_seconds_sum", { cluster: cluster.name })).toBeGreaterThan(0);
    // The first sync of an Application applied: each of its steps has its own series, the lane wait among them.
    for (const step of ["inputs", "source", "lane", "apply", "status"]) {
      expect(
        sampleValue(s, "flotilla_sync_step_seconds_count", { cluster: cluster.name, step }),
      ).toBeGreaterThanOrEqual(1);
    }
    expect(sampleValue(s, "flotilla_sync_step_seconds_sum", { cluster: cluster.name, step: "apply" })).toBeGreaterThan(
      0,
    );
    expect(sampleValue(s, "flotilla_cluster_connection_status", { cluster: cluster.name })).toBe(1);
    expect(sampleValue(s, "flotilla_queue_jobs", { cluster: cluster.name, state: "failed" })).toBe(0);
    expect(samplesOf(s, "flotilla_queue_jobs", { cluster: cluster.name }).map((x) => x.labels["state"])).toEqual([
      "waiting",
      "active",
      "delayed",
      "failed",
    ]);
  });

  it("a new commit replaces the app_info series: the old revision's is gone", async () => {
    const before = (await scrape(port)).scrape;
    const old = samplesOf(before, "flotilla_app_info", { app: "web" })[0]?.labels["revision"];
    const commit = repo.commit({ "web/cm.yaml": configMapYaml("cfg", "two") });
    await storeAndSync({ store, queues }, APPSET, app);
    const s = await scrapeUntil(
      (x) => sampleValue(x, "flotilla_app_info", { app: "web", revision: commit }) === 1,
      "app_info at the new commit",
    );
    expect(old).toBeDefined();
    expect(samplesOf(s, "flotilla_app_info", { app: "web" })).toHaveLength(1);
    expect(sampleValue(s, "flotilla_app_info", { app: "web", revision: old! })).toBeUndefined();
    expect(sampleValue(s, "flotilla_app_sync_total", { app: "web", phase: "Succeeded" })).toBe(2);
  });

  it("an edit by hand, reverted by selfHeal, counts in drift_reverted_total", async () => {
    const before = (await scrape(port)).scrape;
    expect(sampleValue(before, "flotilla_drift_reverted_total", { cluster: cluster.name })).toBeUndefined();
    const object: KubeObject = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cfg", namespace },
      data: { value: "edited by hand" },
    };
    const last = await status.get(ref);
    const edited = await human.apply([object], {
      application: "web",
      appSet: APPSET,
      commit: last!.revision!,
      namespace,
    });
    expect(edited.entries[0]?.action).toBe("configured");
    const s = await scrapeUntil(
      (x) => sampleValue(x, "flotilla_drift_reverted_total", { cluster: cluster.name }) === 1,
      "the revert counted",
    );
    expect(sampleValue(s, "flotilla_app_sync_total", { app: "web", phase: "Succeeded" })).toBe(3);
    const live = await human.diff([{ ...object, data: { value: "two" } }], {
      application: "web",
      appSet: APPSET,
      commit: last!.revision!,
      namespace,
    });
    expect(live[0]?.drifted).toBe(false);
  });

  it("a manifest that cannot be rendered counts as a Failed sync (not retried), and shows Error in app_info", async () => {
    repo.commit({ "broken/bad.yaml": "kind: ConfigMap\nmetadata: [not, a, map\n" });
    await queues.enqueueSync(syncJob(APPSET, broken));
    const s = await scrapeUntil(
      (x) => sampleValue(x, "flotilla_app_sync_total", { app: "broken", phase: "Failed" }) === 1,
      "the failed sync counted",
    );
    expect(sampleValue(s, "flotilla_app_sync_total", { app: "broken", phase: "Error" })).toBeUndefined();
    const info = await scrapeUntil(
      (x) => samplesOf(x, "flotilla_app_info", { app: "broken" }).length === 1,
      "app_info of the broken Application",
    );
    expect(samplesOf(info, "flotilla_app_info", { app: "broken" })[0]?.labels["sync_status"]).toBe("Error");
  });
});

describeWithClusters("the worker's /metrics in pool mode: the clusters it holds, as they move", (clusters) => {
  const prefix = `${uniqueName("metrics-pool")}:`;
  const key = testKey();
  const workers: WorkerProcess[] = [];
  let redis: Redis;
  let store: Store;

  function startPoolWorker(workerId: string): WorkerProcess {
    const worker = startWorker({
      FLOTILLA_MODE: "pool",
      FLOTILLA_WORKER_ID: workerId,
      FLOTILLA_REDIS_URL: testbedRedis().url,
      FLOTILLA_REDIS_PREFIX: prefix,
      FLOTILLA_ENCRYPTION_KEY: key.toString("base64"),
      FLOTILLA_LEASE_TTL: "2s",
      FLOTILLA_DRAIN_TIMEOUT: "3s",
      FLOTILLA_REPO_CACHE: mkdtempSync(join(tmpdir(), "flotilla-metrics-git-")),
      FLOTILLA_LOG_LEVEL: "info",
    });
    workers.push(worker);
    return worker;
  }

  const held = async (port: number) =>
    samplesOf((await scrape(port)).scrape, "flotilla_cluster_info").map(
      (x) => `${x.labels["cluster"]}/${x.labels["mode"]}`,
    );

  beforeAll(async () => {
    redis = new Redis(testbedRedis().url, { maxRetriesPerRequest: null });
    store = await openStore({ redis, prefix, encryptionKey: key, log: silent });
    for (const cluster of clusters) {
      await store.clusters.register({
        name: cluster.name,
        server: cluster.apiUrl,
        mode: "pool",
        credentials: { kind: "kubeconfig", kubeconfig: cluster.kubeconfig },
      });
    }
  });

  afterAll(async () => {
    for (const w of workers) {
      if (w.child.exitCode !== null) continue;
      w.child.kill("SIGTERM");
      await w.exited;
    }
    await redis.quit();
  });

  it("reports every cluster it holds in pool mode; a second worker takes some, and each reports only its own", async () => {
    const all = clusters.map((c) => `${c.name}/pool`).sort();
    const a = await startPoolWorker("metrics-a").port;
    await eventually(
      () => held(a),
      (h) => h.length === all.length,
      30_000,
      "worker a holds every cluster",
    );
    expect((await held(a)).sort()).toEqual(all);

    const b = await startPoolWorker("metrics-b").port;
    const [ofA, ofB] = await eventually(
      async () => [await held(a), await held(b)],
      ([x, y]) => x!.length > 0 && y!.length > 0 && x!.length + y!.length === all.length,
      30_000,
      "the clusters split between a and b",
    );
    expect([...ofA!, ...ofB!].sort()).toEqual(all);
    expect(ofA!.filter((c) => ofB!.includes(c))).toEqual([]);
  });
});
