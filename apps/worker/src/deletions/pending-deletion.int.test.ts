import { type KubeObject, newInventory, ResourceManager } from "@flotilla/kube";
import { type ClusterWorker, createClusterWorker, SyncQueues } from "@flotilla/queue";
import type { AppRef } from "@flotilla/status";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createWorkHandler } from "../handler.ts";
import { Resync } from "../modes/resync.ts";
import { uniqueName } from "../testing/fixtures.ts";
import { eventually, type TestRuntime, testKey, testRuntime } from "../testing/harness.ts";
import { READ, RestrictedIdentity } from "../testing/rbac.ts";
import { abandonDeletion } from "./abandon-deletion.ts";

const APPSET = "owed";
const COMMIT = "1".repeat(40);
const REVISION = "2".repeat(40);
/** Fewer than the 8 the queue gives by default, so that the job's own budget runs out quickly. */
const JOB_ATTEMPTS = 2;

interface Refused {
  ref: AppRef;
  ns: string;
  identity: RestrictedIdentity;
  manager: ResourceManager;
}

/**
 * A delete the real API server refuses (RBAC: the worker may not delete ConfigMaps) through the real queue, worker
 * handler and sweep: the job's attempts run out, the deletion stays owed as a record, the sweep retries it, and it
 * completes once the refusal is lifted; an abandoned one is never retried and leaves the objects alone.
 */
describeWithClusters("a failed delete is never dropped (real cluster, real Redis, real queue)", (clusters) => {
  const cluster = clusters[0]!;
  const admin = new KubeConfig();
  const prefix = `${uniqueName("owed")}:`;
  let core: CoreV1Api;
  let adminManager: ResourceManager;
  let harness: TestRuntime;
  let producer: SyncQueues;
  let resync: Resync;
  const workers: ClusterWorker[] = [];
  const namespaces: string[] = [];

  beforeAll(async () => {
    admin.loadFromString(cluster.kubeconfig);
    core = admin.makeApiClient(CoreV1Api);
    adminManager = new ResourceManager(admin, { requestTimeoutMs: 10_000 });
    harness = await testRuntime(testbedRedis().url, prefix, testKey());
    await harness.store.clusters.registerAgent({ name: cluster.name, server: adminManager.server, labels: {} });
    producer = new SyncQueues({ connection: harness.redis, prefix: `${prefix}bull`, attempts: JOB_ATTEMPTS });
    resync = new Resync(harness.runtime, () => [cluster.name], { intervalMs: 0 });
  });

  afterAll(async () => {
    for (const worker of workers) await worker.close(2_000);
    await producer.close();
    await harness.close();
    for (const name of namespaces) await core.deleteNamespace({ name }).catch(() => undefined);
  });

  /** An Application with one ConfigMap on the cluster, and a worker whose identity may not delete it. */
  async function refusedDelete(name: string): Promise<Refused> {
    const ns = uniqueName(name);
    await core.createNamespace({ body: { metadata: { name: ns } } });
    namespaces.push(ns);
    const ref: AppRef = { cluster: cluster.name, appSet: APPSET, application: uniqueName(name) };
    const object: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: ns } };
    await adminManager.apply([object], { application: ref.application, appSet: APPSET, commit: COMMIT, namespace: ns });
    await harness.runtime.status.putInventory(ref, newInventory([object]));
    const identity = new RestrictedIdentity(admin, ns);
    const manager = await identity.manager([{ apiGroups: [""], resources: ["configmaps"], verbs: READ }]);
    await identity.authorized("delete", "configmaps", false);
    return { ref, ns, identity, manager };
  }

  /** The real worker of the cluster's queue, acting as `manager`; closed after the test. */
  function startWorker(manager: ResourceManager): ClusterWorker {
    const worker = createClusterWorker(
      cluster.name,
      createWorkHandler(harness.runtime.deps, async () => manager, harness.runtime.deletions, harness.runtime.lanes),
      harness.runtime.queueOptions,
    );
    workers.push(worker);
    return worker;
  }

  const configMapExists = async (ns: string): Promise<boolean> =>
    (await adminManager.health([{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: ns } }], {}))
      .aggregate.status !== "Missing";

  /** Waits until the job BullMQ ran for the deletion failed for good: nothing of the queue's own retries is left. */
  async function jobGone(ref: AppRef): Promise<void> {
    const queue = harness.runtime.queues.queue(ref.cluster);
    await eventually(
      async () => queue.getDeduplicationJobId(`${ref.appSet}/${ref.application}`),
      (id) => id === null,
      60_000,
      "the delete job's attempts used up",
    );
  }

  it("outlives its job's attempts, is retried by the sweep, and completes once the refusal is lifted", async () => {
    const { ref, ns, identity, manager } = await refusedDelete("retried");
    const worker = startWorker(manager);
    await producer.enqueueDelete({ ...ref, preserveResources: false, revision: REVISION });

    // Before the fix the job failed for good here and nothing remembered it: the ConfigMap stayed forever.
    await jobGone(ref);
    const owed = await harness.store.pendingDeletions.get(ref);
    expect(owed).toMatchObject({ ...ref, preserveResources: false, revision: REVISION, attempts: JOB_ATTEMPTS });
    expect(owed?.lastError).toMatch(/ConfigMap\/.*\/cfg delete failed \(configmaps "cfg" is forbidden/);
    expect(owed!.nextAttemptAt).toBeGreaterThan(owed!.lastAttemptAt);
    expect(await configMapExists(ns)).toBe(true);
    expect((await harness.runtime.status.get(ref))?.lastError).toMatchObject({
      reason: "DeleteFailed",
      retrying: true,
    });

    // The sweep puts it back once due, on its own timer even with the periodic re-sync off; still refused, it
    // counts more attempts and stays owed.
    const sweeping = new Resync(harness.runtime, () => [cluster.name], { intervalMs: 0, deletionSweepMs: 250 });
    sweeping.start();
    await eventually(
      () => harness.store.pendingDeletions.get(ref),
      (d) => (d?.attempts ?? 0) > JOB_ATTEMPTS,
      60_000,
      "another failed attempt counted",
    );

    await identity.setRules([{ apiGroups: [""], resources: ["configmaps"], verbs: [...READ, "delete"] }]);
    await identity.authorized("delete", "configmaps", true);
    await eventually(
      () => harness.store.pendingDeletions.get(ref),
      (d) => d === undefined,
      90_000,
      "the pending deletion done",
    );
    await sweeping.stop();
    expect(await configMapExists(ns)).toBe(false);
    expect(await harness.runtime.status.get(ref)).toBeUndefined();
    expect((await harness.runtime.status.history(ref))[0]).toMatchObject({
      result: "Deleted",
      fleetRevision: REVISION,
    });
    await worker.close(2_000);
  });

  it("abandoned: the record goes, nothing retries it, the objects stay and the Application is forgotten", async () => {
    const { ref, ns, manager } = await refusedDelete("abandoned");
    startWorker(manager);
    await producer.enqueueDelete({ ...ref, preserveResources: false });
    await jobGone(ref);
    expect((await harness.store.pendingDeletions.get(ref))?.attempts).toBe(JOB_ATTEMPTS);

    const deps = { pending: harness.store.pendingDeletions, status: harness.runtime.status, now: () => new Date() };
    const abandoned = await abandonDeletion(deps, ref);
    expect(abandoned).toMatchObject({ ...ref, attempts: JOB_ATTEMPTS });
    expect(await harness.store.pendingDeletions.get(ref)).toBeUndefined();
    expect(await abandonDeletion(deps, ref)).toBeUndefined();
    expect(await resync.sweepDeletions()).toBe(0);
    expect(await configMapExists(ns)).toBe(true);
    // Forgotten on the cluster: no failing status left behind, and history says what was left and why.
    expect(await harness.runtime.status.get(ref)).toBeUndefined();
    expect((await harness.runtime.status.inventory(ref)).entries).toEqual([]);
    const [last] = await harness.runtime.status.history(ref);
    expect(last).toMatchObject({ result: "Abandoned" });
    expect(last?.message).toMatch(/after 2 failed attempt\(s\); 1 object\(s\) left on the cluster, no longer managed/);
  });
});
