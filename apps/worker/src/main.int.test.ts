import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SyncQueues } from "@flotilla/queue";
import type { AppStatus } from "@flotilla/status";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { application, configMapYaml, syncJob, uniqueName } from "./testing/fixtures.ts";
import { eventually, type TestRuntime, testKey, testRuntime } from "./testing/harness.ts";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));
const APPSET = "proc-it";

interface Proc {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
}

function run(env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [MAIN], {
    // The tests' repositories are on this machine's disk.
    env: { PATH: process.env.PATH ?? "", FLOTILLA_ALLOW_LOCAL_REPOS: "true", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

it("a bad configuration exits 2 naming the variable", async () => {
  const proc = run({ FLOTILLA_MODE: "agent" });
  expect(await proc.exited).toBe(2);
  expect(proc.stderr()).toMatch(/FLOTILLA_CLUSTER: required in agent mode/);
});

describeWithClusters("worker processes in pool mode (real Redis, 3 real clusters)", (clusters) => {
  const prefix = `${uniqueName("proc")}:`;
  const key = testKey();
  const repo = new TestGitRepo();
  const namespace = uniqueName("proc");
  const procs: Proc[] = [];
  let harness: TestRuntime;
  let queues: SyncQueues;

  const apps = clusters.map((c) =>
    application({ name: `proc-${c.name}`, repoURL: repo.dir, path: "app", cluster: c.name, namespace }),
  );

  function startWorker(workerId: string, extra: Record<string, string> = {}): Proc {
    const proc = run({
      ...extra,
      FLOTILLA_MODE: "pool",
      FLOTILLA_REDIS_URL: testbedRedis().url,
      FLOTILLA_REDIS_PREFIX: prefix,
      FLOTILLA_ENCRYPTION_KEY: key.toString("base64"),
      FLOTILLA_WORKER_ID: workerId,
      FLOTILLA_LEASE_TTL: "2s",
      FLOTILLA_DRAIN_TIMEOUT: "3s",
      FLOTILLA_GIT_MIN_FETCH_INTERVAL: "0",
      FLOTILLA_REPO_CACHE: mkdtempSync(join(tmpdir(), "flotilla-worker-git-")),
      FLOTILLA_LOG_LEVEL: "warn",
      FLOTILLA_LOCK_DURATION: "3s",
      FLOTILLA_STALLED_INTERVAL: "1s",
      ...extra,
    });
    procs.push(proc);
    return proc;
  }

  async function holders(): Promise<(string | null)[]> {
    return Promise.all(clusters.map((c) => harness.redis.get(harness.store.keys.lease(`cluster:${c.name}`))));
  }

  async function statuses(): Promise<(AppStatus | undefined)[]> {
    return Promise.all(
      apps.map((app) =>
        harness.runtime.status.get({
          cluster: app.spec.destination.cluster!,
          appSet: APPSET,
          application: app.metadata.name,
        }),
      ),
    );
  }

  async function syncAll(version: string): Promise<void> {
    const commit = repo.commit({ "app/cm.yaml": configMapYaml("proc", version) });
    for (const app of apps) await queues.enqueueSync(syncJob(APPSET, app));
    await eventually(
      statuses,
      (s) => s.every((x) => x?.revision === commit && x.sync === "Synced"),
      60_000,
      `synced ${version}`,
    );
  }

  beforeAll(async () => {
    harness = await testRuntime(testbedRedis().url, prefix, key);
    for (const cluster of clusters) {
      await harness.store.clusters.register({
        name: cluster.name,
        server: cluster.apiUrl,
        mode: "pool",
        credentials: { kind: "kubeconfig", kubeconfig: cluster.kubeconfig },
      });
    }
    queues = new SyncQueues({ connection: harness.redis, prefix: `${prefix}bull`, attempts: 50 });
  });

  afterAll(async () => {
    for (const proc of procs)
      if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill("SIGKILL");
    await queues.close();
    await harness.close();
    repo.remove();
  });

  it("two processes share the clusters; a SIGKILLed one's clusters are taken over after the lease TTL", async () => {
    const a = startWorker("proc-a");
    const b = startWorker("proc-b");
    await eventually(
      holders,
      (h) => h.every((x) => x !== null) && h.includes("proc-a") && h.includes("proc-b"),
      30_000,
      "split between the processes",
    );
    await syncAll("1");
    // Killed between writing status and completing its job, a worker would leave a locked job for stalled-job
    // recovery (30 s by default), which this test is not about.
    await eventually(
      () => Promise.all(clusters.map((c) => queues.queue(c.name).getActiveCount())),
      (counts) => counts.every((n) => n === 0),
      10_000,
      "no active jobs",
    );

    a.child.kill("SIGKILL");
    await a.exited;
    await eventually(holders, (h) => h.every((x) => x === "proc-b"), 15_000, "taken over by proc-b");
    await syncAll("2");
    expect(b.child.exitCode).toBeNull();
  });

  it("SIGTERM drains within the bounded time, exits 0 and releases its leases", async () => {
    // The SIGKILLed one has a null exit code too; the survivor is the one without a signal.
    const b = procs.find((p) => p.child.exitCode === null && p.child.signalCode === null)!;
    const started = Date.now();
    b.child.kill("SIGTERM");
    expect(await b.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(3_000 + 5_000);
    expect(await holders()).toEqual([null, null, null]);
  });

  it("a worker SIGKILLed mid-sync loses nothing: another recovers the job and finishes it", async () => {
    // Three hundred objects keep a sync applying for seconds on these shared API servers: long enough to kill it
    // mid-apply, whatever the machine's speed.
    const many = Array.from(
      { length: 300 },
      (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: slow-${i} }\ndata: { i: "${i}" }\n`,
    ).join("---\n");
    const commit = repo.commit({ "slow/many.yaml": many });
    const cluster = clusters[0]!;
    const app = application({
      name: "slow",
      repoURL: repo.dir,
      path: "slow",
      cluster: cluster.name,
      namespace: uniqueName("slow"),
    });
    const first = startWorker("proc-c");
    await eventually(holders, (h) => h.every((x) => x === "proc-c"), 30_000, "proc-c holds every cluster");
    await queues.enqueueSync(syncJob(APPSET, app));
    await eventually(
      () => queues.queue(cluster.name).getActiveCount(),
      (n) => n === 1,
      15_000,
      "mid-sync",
    );

    first.child.kill("SIGKILL");
    await first.exited;
    const ref = { cluster: cluster.name, appSet: APPSET, application: "slow" };
    // Killed before its sync could record anything: the job is what carries the work over.
    expect(await harness.runtime.status.get(ref)).toBeUndefined();
    startWorker("proc-d");

    const status = await eventually(
      () => harness.runtime.status.get(ref),
      (s) => s !== undefined,
      60_000,
      "finished by proc-d",
    );
    expect(status).toMatchObject({ sync: "Synced", health: "Healthy", revision: commit });
    expect(status?.resources).toHaveLength(300);
    expect(await holders()).toEqual(["proc-d", "proc-d", "proc-d"]);
  });
});
