import { type KubeObject, newInventory, ResourceManager } from "@flotilla/kube";
import type { DeleteJob } from "@flotilla/queue";
import type { AppRef } from "@flotilla/status";
import { StatusStore } from "@flotilla/status";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { reconcileDelete } from "./delete-app.ts";
import { PruneFailed } from "./errors/prune-failed.ts";
import type { ReconcileDeps } from "./reconcile.ts";
import { prune } from "./steps/prune.ts";
import type { SyncContext } from "./steps/sync-context.ts";
import { application, syncJob, uniqueName } from "./testing/fixtures.ts";
import { READ, RestrictedIdentity } from "./testing/rbac.ts";

const log = pino({ level: "silent" });
const APPSET = "delete-it";
const COMMIT = "1".repeat(40);

/**
 * Deletes refused by the real API server: the worker runs as a service account whose RBAC Role lets it read and
 * write but not delete some kinds, so the refusal is a real 403 Forbidden from kube-apiserver's authorizer.
 */
describeWithClusters("deletes and prunes the cluster refuses (real RBAC, real Redis)", (clusters) => {
  const cluster = clusters[0]!;
  const admin = new KubeConfig();
  let core: CoreV1Api;
  let redis: Redis;
  let status: StatusStore;
  let deps: Pick<ReconcileDeps, "status" | "now">;
  let adminManager: ResourceManager;
  const namespaces: string[] = [];

  beforeAll(() => {
    admin.loadFromString(cluster.kubeconfig);
    core = admin.makeApiClient(CoreV1Api);
    adminManager = new ResourceManager(admin, { requestTimeoutMs: 10_000 });
    redis = new Redis(testbedRedis().url, { maxRetriesPerRequest: null });
    status = new StatusStore(redis, { prefix: `${uniqueName("del-it")}:` });
    deps = { status, now: () => new Date() };
  });

  afterAll(async () => {
    for (const name of namespaces) await core.deleteNamespace({ name }).catch(() => undefined);
    await redis.quit();
  });

  async function namespace(prefix: string): Promise<string> {
    const name = uniqueName(prefix);
    await core.createNamespace({ body: { metadata: { name } } });
    namespaces.push(name);
    return name;
  }

  async function exists(ns: string, kind: "ConfigMap" | "Secret", name: string): Promise<boolean> {
    const object: KubeObject = { apiVersion: "v1", kind, metadata: { name, namespace: ns } };
    return (await adminManager.health([object], { namespace: ns })).aggregate.status !== "Missing";
  }

  it("a delete refused for one kind keeps those objects in the inventory, says why, and the retry finishes", async () => {
    const ns = await namespace("del-rbac");
    const ref: AppRef = { cluster: cluster.name, appSet: APPSET, application: uniqueName("refused") };
    const owner = { application: ref.application, appSet: APPSET, commit: COMMIT, namespace: ns };
    const objects: KubeObject[] = [
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: ns }, data: { a: "1" } },
      { apiVersion: "v1", kind: "Secret", metadata: { name: "keys", namespace: ns }, stringData: { k: "v" } },
    ];
    const applied = await adminManager.apply(objects, owner);
    expect(applied.entries.every((e) => e.error === undefined)).toBe(true);
    // Recorded once, deleted since by someone else: a 404 that must leave the inventory.
    const vanished: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "vanished", namespace: ns } };
    await status.putInventory(ref, newInventory([...objects, vanished]));

    // May delete Secrets, may not delete ConfigMaps.
    const identity = new RestrictedIdentity(admin, ns);
    const manager = await identity.manager([
      { apiGroups: [""], resources: ["configmaps"], verbs: READ },
      { apiGroups: [""], resources: ["secrets"], verbs: [...READ, "delete"] },
    ]);
    await identity.authorized("delete", "secrets", true);
    await identity.authorized("delete", "configmaps", false);
    const job: DeleteJob = { ...ref, preserveResources: false, revision: "2".repeat(40) };

    await expect(reconcileDelete(deps, { ref, job, manager, log }, "del-1")).rejects.toThrow(
      new RegExp(`ConfigMap/${ns}/settings delete failed \\(configmaps "settings" is forbidden`),
    );

    expect(await exists(ns, "Secret", "keys")).toBe(false);
    expect(await exists(ns, "ConfigMap", "settings")).toBe(true);
    expect((await status.inventory(ref)).entries).toEqual([{ id: `/ConfigMap/${ns}/settings`, version: "v1" }]);
    const failed = await status.get(ref);
    expect(failed).toMatchObject({ sync: "Error", lastError: { reason: "DeleteFailed", retrying: true } });
    expect(failed?.resources).toEqual([
      {
        id: `/ConfigMap/${ns}/settings`,
        action: "skipped",
        health: "Unknown",
        message: expect.stringMatching(
          /forbidden: User "system:serviceaccount:.*" cannot delete resource "configmaps"/,
        ),
      },
      { id: `/ConfigMap/${ns}/vanished`, action: "skipped", health: "Unknown", message: "already gone" },
      { id: `/Secret/${ns}/keys`, action: "deleted", health: "Missing" },
    ]);
    const [last] = await status.history(ref);
    expect(last).toMatchObject({ result: "Error", jobId: "del-1", fleetRevision: job.revision });
    expect(last?.message).toContain(`ConfigMap/${ns}/settings delete failed`);

    // Another attempt: still kept and still reported as retrying (a failed delete is owed until done or abandoned).
    await expect(reconcileDelete(deps, { ref, job, manager, log }, "del-2")).rejects.toThrow(/forbidden/);
    expect((await status.inventory(ref)).entries.map((e) => e.id)).toEqual([`/ConfigMap/${ns}/settings`]);
    expect((await status.get(ref))?.lastError?.retrying).toBe(true);

    // The operator grants the delete: the next attempt finds what is left and finishes.
    await identity.setRules([{ apiGroups: [""], resources: ["configmaps", "secrets"], verbs: [...READ, "delete"] }]);
    await identity.authorized("delete", "configmaps", true);
    await reconcileDelete(deps, { ref, job, manager, log }, "del-3");

    expect(await exists(ns, "ConfigMap", "settings")).toBe(false);
    expect((await status.inventory(ref)).entries).toEqual([]);
    expect(await status.get(ref)).toBeUndefined();
    expect((await status.history(ref)).map((h) => [h.result, h.jobId])).toEqual([
      ["Deleted", "del-3"],
      ["Error", "del-2"],
      ["Error", "del-1"],
    ]);
  });

  it("a prune refused by RBAC fails naming the object and why, and succeeds once allowed", async () => {
    const ns = await namespace("prune-rbac");
    const app = application({
      name: uniqueName("pr"),
      repoURL: "unused",
      path: "app",
      cluster: cluster.name,
      namespace: ns,
    });
    const owner = { application: app.metadata.name, appSet: APPSET, commit: COMMIT, namespace: ns };
    const kept: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: ns } };
    const left: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b", namespace: ns } };
    await adminManager.apply([kept, left], owner);
    const identity = new RestrictedIdentity(admin, ns);
    const manager = await identity.manager([{ apiGroups: [""], resources: ["configmaps"], verbs: READ }]);
    await identity.authorized("get", "configmaps", true);
    const ctx: SyncContext = {
      ref: { cluster: cluster.name, appSet: APPSET, application: app.metadata.name },
      job: syncJob(APPSET, app),
      app,
      manager,
      log,
      signal: new AbortController().signal,
    };
    const previous = newInventory([kept, left]);
    const applied = newInventory([kept]);

    const refused = await prune(ctx, previous, applied).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(PruneFailed);
    expect((refused as PruneFailed).retryable).toBe(false);
    expect((refused as PruneFailed).message).toMatch(
      new RegExp(`ConfigMap/${ns}/b delete failed \\(configmaps "b" is forbidden`),
    );
    expect(await exists(ns, "ConfigMap", "b")).toBe(true);

    await identity.setRules([{ apiGroups: [""], resources: ["configmaps"], verbs: [...READ, "delete"] }]);
    await identity.authorized("delete", "configmaps", true);
    const outcome = await prune(ctx, previous, applied);

    expect(outcome.pruned.entries.map((e) => [e.id, e.action])).toEqual([[`/ConfigMap/${ns}/b`, "deleted"]]);
    expect(outcome.inventory).toEqual(applied);
    expect(await exists(ns, "ConfigMap", "b")).toBe(false);
  });
});
