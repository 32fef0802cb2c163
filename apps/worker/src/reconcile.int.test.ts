import { setTimeout as sleep } from "node:timers/promises";
import { type Application, Semaphore } from "@flotilla/core";
import { COMMIT_ANNOTATION, type KubeObject, loadKubeconfig, ResourceManager } from "@flotilla/kube";
import { StatusStore } from "@flotilla/status";
import { eventually, pauseCluster, resumeCluster, TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { CoreV1Api } from "@kubernetes/client-node";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { reconcileDelete } from "./delete-app.ts";
import { type ReconcileDeps, reconcileSync } from "./reconcile.ts";
import type { SyncContext } from "./steps/sync-context.ts";
import { application, configMapYaml, deploymentYaml, uniqueName } from "./testing/fixtures.ts";
import { reconcileDeps, syncContext } from "./testing/harness.ts";

const log = pino({ level: "silent" });
const APPSET = "it";

describeWithClusters("reconcile on a real cluster (real Redis, real Git)", (clusters) => {
  const cluster = clusters[0]!;
  let redis: Redis;
  let status: StatusStore;
  let deps: ReconcileDeps;
  let manager: ResourceManager;
  const repos: TestGitRepo[] = [];

  beforeAll(() => {
    redis = new Redis(testbedRedis().url, { maxRetriesPerRequest: null });
    status = new StatusStore(redis, { prefix: `${uniqueName("rt")}:` });
    deps = reconcileDeps(status, log, 60_000);
    manager = ResourceManager.fromKubeconfig(cluster.kubeconfig, { requestTimeoutMs: 10_000 });
  });

  afterAll(async () => {
    for (const repo of repos) repo.remove();
    await redis.quit();
  });

  function newRepo(): TestGitRepo {
    const repo = new TestGitRepo();
    repos.push(repo);
    return repo;
  }

  function context(app: Application, m: ResourceManager = manager): SyncContext {
    return syncContext(APPSET, app, m, log);
  }

  async function healthOf(namespace: string, kind: string, apiVersion: string, name: string) {
    const object: KubeObject = { apiVersion, kind, metadata: { name, namespace } };
    return (await manager.health([object], { namespace })).aggregate.status;
  }

  it("a plain directory is applied, Synced and Healthy (the Deployment becomes Available)", async () => {
    const repo = newRepo();
    const namespace = uniqueName("plain");
    const commit = repo.commit({
      "apps/web/cm.yaml": configMapYaml("web-config", "1"),
      "apps/web/deploy.yaml": deploymentYaml("web"),
    });
    const app = application({
      name: uniqueName("web"),
      repoURL: repo.dir,
      path: "apps/web",
      cluster: cluster.name,
      namespace,
    });
    const ctx = context(app);

    const result = await reconcileSync(deps, ctx, "job-1");

    expect(result).toMatchObject({ sync: "Synced", revision: commit });
    expect(result.bundleDigest).toMatch(/^sha256:/);
    // The sync reads health once and lets its job go; the roll-out's end is stored after it (no watch here: the
    // worker's own re-reads).
    const settled = await eventually(
      "the stored health to settle",
      async () => {
        const stored = await status.get(ctx.ref);
        return stored?.health === "Healthy" ? stored : undefined;
      },
      30_000,
      200,
    );
    expect(settled).toMatchObject({ sync: "Synced", revision: commit, lastSyncAt: result.lastSyncAt });
    expect(settled.resources.map((r) => [r.id, r.action, r.health])).toEqual([
      [`/ConfigMap/${namespace}/web-config`, "created", "Healthy"],
      [`apps/Deployment/${namespace}/web`, "created", "Healthy"],
    ]);
    expect((await status.inventory(ctx.ref)).entries.map((e) => e.id)).toEqual([
      `/ConfigMap/${namespace}/web-config`,
      `apps/Deployment/${namespace}/web`,
    ]);
    const history = await status.history(ctx.ref);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ result: "Synced", revision: commit, jobId: "job-1" });
  });

  it("syncs sharing a lane talk to the cluster one at a time and all succeed; without one they overlap", async () => {
    const repo = newRepo();
    const commit = repo.commit({ "apps/lane/cm.yaml": configMapYaml("lane", "1") });
    const together = async (lane: Semaphore | undefined) => {
      // The real manager, watched: how many syncs are inside one of its calls at once.
      const watched = watchedCalls(manager);
      const apps = Array.from({ length: 4 }, () =>
        application({
          name: uniqueName("lane"),
          repoURL: repo.dir,
          path: "apps/lane",
          cluster: cluster.name,
          namespace: uniqueName("lane"),
        }),
      );
      const results = await Promise.all(
        apps.map((app, i) =>
          reconcileSync(deps, { ...context(app, watched.manager), ...(lane && { lane }) }, `lane-${lane ? 1 : 0}-${i}`),
        ),
      );
      expect(results.map((r) => [r.sync, r.revision])).toEqual(apps.map(() => ["Synced", commit]));
      return watched.peak();
    };
    expect(await together(new Semaphore(1))).toBe(1);
    expect(await together(undefined)).toBeGreaterThan(1);
  });

  it("a file removed in Git is pruned; history answers revisionAt across both syncs", async () => {
    const repo = newRepo();
    const namespace = uniqueName("prune");
    const first = repo.commit({ "app/a.yaml": configMapYaml("a", "1"), "app/b.yaml": configMapYaml("b", "1") });
    const app = application({
      name: uniqueName("pr"),
      repoURL: repo.dir,
      path: "app",
      cluster: cluster.name,
      namespace,
    });
    const ctx = context(app);
    await reconcileSync(deps, ctx, "job-1");
    const between = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 5));

    const second = repo.commit({ "app/a.yaml": configMapYaml("a", "2") });
    const result = await reconcileSync(deps, ctx, "job-2");

    expect(result).toMatchObject({ sync: "Synced", revision: second });
    expect(result.resources.find((r) => r.id === `/ConfigMap/${namespace}/b`)).toMatchObject({ action: "deleted" });
    expect(await healthOf(namespace, "ConfigMap", "v1", "b")).toBe("Missing");
    expect(await healthOf(namespace, "ConfigMap", "v1", "a")).toBe("Healthy");
    expect((await status.inventory(ctx.ref)).entries.map((e) => e.id)).toEqual([`/ConfigMap/${namespace}/a`]);

    expect(await status.revisionAt(ctx.ref, between)).toBe(first);
    expect(await status.revisionAt(ctx.ref, Date.now())).toBe(second);
    expect(await status.revisionAt(ctx.ref, 0)).toBeUndefined();
  });

  it("a new commit that leaves the bundle as applied moves the status without touching the cluster, while the watches vouch", async () => {
    const repo = newRepo();
    const namespace = uniqueName("adv");
    // A commit writes the whole tree.
    const tree = (x: string) => ({ "app/a.yaml": configMapYaml("a", "1"), "other/x.yaml": configMapYaml("x", x) });
    const first = repo.commit(tree("1"));
    const app = application({
      name: uniqueName("adv"),
      repoURL: repo.dir,
      path: "app",
      cluster: cluster.name,
      namespace,
    });
    const ctx = context(app);
    const synced = await reconcileSync(deps, ctx, "job-1");
    expect(synced).toMatchObject({ sync: "Synced", health: "Healthy", revision: first });
    const bundle = synced.bundleDigest as string;
    const core = loadKubeconfig(cluster.kubeconfig).makeApiClient(CoreV1Api);
    const before = await core.readNamespacedConfigMap({ name: "a", namespace });

    // Another app's file changed: the job names the same bundle at the new commit.
    const second = repo.commit(tree("2"));
    const at = (commit: string) => ({ ...ctx, job: { ...ctx.job, source: { commit, bundle } } });
    // The drift watches have watched ConfigMaps without a gap since before the first sync.
    deps.watch.ledger.connected(cluster.name, "/ConfigMap", 0);
    const advanced = await reconcileSync(deps, at(second), "job-2");

    expect(advanced).toMatchObject({ sync: "Synced", health: "Healthy", revision: second, bundleDigest: bundle });
    expect(advanced.lastSyncAt).toBe(synced.lastSyncAt);
    expect(await status.get(ctx.ref)).toEqual(advanced);
    const after = await core.readNamespacedConfigMap({ name: "a", namespace });
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    expect(after.metadata?.annotations?.[COMMIT_ANNOTATION]).toBe(first);
    const [latest] = await status.history(ctx.ref, 1);
    expect(latest).toMatchObject({ result: "Synced", revision: second, bundleDigest: bundle, jobId: "job-2" });
    expect(await status.revisionAt(ctx.ref, Date.now())).toBe(second);

    // Without the watches' word the sync reads the cluster: the drift check at that commit finds it in sync,
    // although its objects still carry the commit that applied them.
    deps.watch.ledger.closed(cluster.name);
    const checked = await reconcileSync(deps, at(second), "job-3");
    expect(checked).toMatchObject({ sync: "Synced", revision: second });
    expect(checked.resources.map((r) => r.drift)).toEqual([undefined]);
    // And a new commit is applied as usual.
    const third = repo.commit(tree("3"));
    expect(await reconcileSync(deps, at(third), "job-4")).toMatchObject({ sync: "Synced", revision: third });
    const reapplied = await core.readNamespacedConfigMap({ name: "a", namespace });
    expect(reapplied.metadata?.annotations?.[COMMIT_ANNOTATION]).toBe(third);
  });

  it("with prune off, what left Git stays and the Application is OutOfSync", async () => {
    const repo = newRepo();
    const namespace = uniqueName("keep");
    repo.commit({ "app/a.yaml": configMapYaml("a", "1"), "app/b.yaml": configMapYaml("b", "1") });
    const app = application({
      name: uniqueName("kp"),
      repoURL: repo.dir,
      path: "app",
      cluster: cluster.name,
      namespace,
      prune: false,
    });
    const ctx = context(app);
    await reconcileSync(deps, ctx, "job-1");

    repo.commit({ "app/a.yaml": configMapYaml("a", "1") });
    const result = await reconcileSync(deps, ctx, "job-2");

    expect(result.sync).toBe("OutOfSync");
    expect(result.resources.find((r) => r.id === `/ConfigMap/${namespace}/b`)).toMatchObject({ action: "stale" });
    expect(await healthOf(namespace, "ConfigMap", "v1", "b")).toBe("Healthy");
    // Still owned: turning prune on later removes it.
    expect((await status.inventory(ctx.ref)).entries.map((e) => e.id)).toContain(`/ConfigMap/${namespace}/b`);
  });

  it("an unknown kind or bad YAML is an Error on that Application only, not retried; a sibling syncs", async () => {
    const repo = newRepo();
    const namespace = uniqueName("bad");
    repo.commit({
      "apps/unknown/cm.yaml": configMapYaml("fine", "1"),
      "apps/unknown/nope.yaml": "apiVersion: nope.example.com/v1\nkind: Nope\nmetadata: { name: x }\n",
      "apps/yaml/broken.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: [unclosed\n",
      "apps/good/cm.yaml": configMapYaml("good", "1"),
    });
    const make = (path: string) =>
      application({ name: uniqueName(path.split("/")[1]!), repoURL: repo.dir, path, cluster: cluster.name, namespace });
    const [unknown, yaml, good] = [make("apps/unknown"), make("apps/yaml"), make("apps/good")];

    // Resolved, not thrown: the job completes and is not retried.
    const [u, y, g] = await Promise.all([
      reconcileSync(deps, context(unknown), "u"),
      reconcileSync(deps, context(yaml), "y"),
      reconcileSync(deps, context(good), "g"),
    ]);

    expect(u.sync).toBe("Error");
    expect(u.lastError).toMatchObject({ reason: "ApplyFailed", retrying: false });
    expect(u.lastError?.message).toMatch(/Nope/);
    expect(y.sync).toBe("Error");
    expect(y.lastError).toMatchObject({ reason: "RenderFailed", retrying: false });
    expect(y.lastError?.message).toMatch(/apps\/yaml\/broken\.yaml/);
    expect(g).toMatchObject({ sync: "Synced", health: "Healthy" });
    // What could be applied was, and is owned, so a later prune finds it.
    expect(await healthOf(namespace, "ConfigMap", "v1", "fine")).toBe("Healthy");
    expect((await status.inventory(context(unknown).ref)).entries.map((e) => e.id)).toContain(
      `/ConfigMap/${namespace}/fine`,
    );
    expect((await status.history(context(yaml).ref))[0]).toMatchObject({ result: "Error" });
  });

  it("a delete job removes the objects, status and inventory, and history records it", async () => {
    const repo = newRepo();
    const namespace = uniqueName("del");
    const commit = repo.commit({ "app/a.yaml": configMapYaml("a", "1") });
    const app = application({
      name: uniqueName("dl"),
      repoURL: repo.dir,
      path: "app",
      cluster: cluster.name,
      namespace,
    });
    const ctx = context(app);
    await reconcileSync(deps, ctx, "job-1");
    const whileRunning = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 5));

    await reconcileDelete(
      deps,
      {
        ref: ctx.ref,
        job: { appSet: APPSET, application: app.metadata.name, cluster: cluster.name, preserveResources: false },
        manager,
        log,
      },
      "job-2",
    );

    expect(await healthOf(namespace, "ConfigMap", "v1", "a")).toBe("Missing");
    expect(await status.get(ctx.ref)).toBeUndefined();
    expect((await status.inventory(ctx.ref)).entries).toEqual([]);
    const history = await status.history(ctx.ref);
    expect(history.map((h) => h.result)).toEqual(["Deleted", "Synced"]);
    expect(await status.revisionAt(ctx.ref, whileRunning)).toBe(commit);
    expect(await status.revisionAt(ctx.ref, Date.now() + 1)).toBeUndefined();
  });

  it("a delete with preserveResources keeps the objects and forgets the Application", async () => {
    const repo = newRepo();
    const namespace = uniqueName("pres");
    repo.commit({ "app/a.yaml": configMapYaml("a", "1") });
    const app = application({
      name: uniqueName("ps"),
      repoURL: repo.dir,
      path: "app",
      cluster: cluster.name,
      namespace,
    });
    const ctx = context(app);
    await reconcileSync(deps, ctx, "job-1");

    const job = { appSet: APPSET, application: app.metadata.name, cluster: cluster.name, preserveResources: true };
    await reconcileDelete(deps, { ref: ctx.ref, job, manager, log }, "job-2");

    expect(await healthOf(namespace, "ConfigMap", "v1", "a")).toBe("Healthy");
    expect(await status.get(ctx.ref)).toBeUndefined();
    expect((await status.history(ctx.ref))[0]).toMatchObject({ result: "Deleted", message: "resources preserved" });
  });

  it("an unreachable cluster is retried (the sync throws) with the error on the status", async () => {
    const target = clusters[clusters.length - 1]!;
    const repo = newRepo();
    repo.commit({ "app/a.yaml": configMapYaml("a", "1") });
    const app = application({
      name: uniqueName("ur"),
      repoURL: repo.dir,
      path: "app",
      cluster: target.name,
      namespace: uniqueName("unreach"),
    });
    const paused = ResourceManager.fromKubeconfig(target.kubeconfig, { requestTimeoutMs: 1_000 });
    const ctx = {
      ...context(app, paused),
      ref: { cluster: target.name, appSet: APPSET, application: app.metadata.name },
    };

    pauseCluster(target);
    try {
      await expect(reconcileSync(deps, ctx, "job-1")).rejects.toMatchObject({ name: "ApplyFailed", retryable: true });
    } finally {
      resumeCluster(target);
    }
    expect((await status.get(ctx.ref))?.lastError).toMatchObject({ reason: "ApplyFailed", retrying: true });

    // The job's last attempt fails the same way, but nothing will retry it: the status must not say otherwise.
    pauseCluster(target);
    try {
      await expect(reconcileSync(deps, { ...ctx, finalAttempt: true }, "job-1")).rejects.toMatchObject({
        name: "ApplyFailed",
      });
    } finally {
      resumeCluster(target);
    }
    expect((await status.get(ctx.ref))?.lastError).toMatchObject({ reason: "ApplyFailed", retrying: false });

    const recovered = await reconcileSync(deps, ctx, "job-2");
    expect(recovered.sync).toBe("Synced");
    expect(recovered.lastError).toBeUndefined();
  });
});

/** The manager as it is, each method call counted while it runs: the peak number of calls in flight at once. */
function watchedCalls(manager: ResourceManager): { manager: ResourceManager; peak: () => number } {
  let inFlight = 0;
  let peak = 0;
  const watched = new Proxy(manager, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        // Only calls that wait on the cluster count; the plain ones answer at once.
        if (!(result instanceof Promise)) return result;
        inFlight++;
        peak = Math.max(peak, inFlight);
        // Each call is held a little longer than the cluster takes, so that syncs free to overlap do.
        return result
          .then(
            async (value) => {
              await sleep(100);
              return value;
            },
            async (err) => {
              await sleep(100);
              throw err;
            },
          )
          .finally(() => {
            inFlight--;
          });
      };
    },
  });
  return { manager: watched, peak: () => peak };
}
