import type { Application } from "@flotilla/core";
import { ResourceManager } from "@flotilla/kube";
import { StatusStore } from "@flotilla/status";
import { apiRequest, type ClusterInfo, TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { KubeConfig, Watch } from "@kubernetes/client-node";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { type ReconcileDeps, reconcileSync } from "./reconcile.ts";
import type { SyncContext } from "./steps/sync-context.ts";
import { application, configMapYaml, deploymentYaml, uniqueName } from "./testing/fixtures.ts";
import { reconcileDeps, silent, syncContext } from "./testing/harness.ts";

const APPSET = "waves-it";

interface Seen {
  type: string;
  name: string;
  /** All the bed's API servers share one etcd: resourceVersions are its revisions and order writes across kinds. */
  rv: bigint;
  object: { metadata?: { name?: string; resourceVersion?: string }; status?: { conditions?: Condition[] } };
}
interface Condition {
  type: string;
  status: string;
}

/** Every event of one namespaced collection, in the order the server sent them. */
async function record(cluster: ClusterInfo, path: string): Promise<{ events: Seen[]; stop(): void }> {
  const kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig);
  const events: Seen[] = [];
  const controller = await new Watch(kc).watch(
    path,
    {},
    (type: string, object: Seen["object"]) => {
      events.push({
        type,
        name: object.metadata?.name ?? "",
        rv: BigInt(object.metadata?.resourceVersion ?? "0"),
        object,
      });
    },
    () => {},
  );
  return { events, stop: () => controller.abort() };
}

function firstComplete(events: readonly Seen[], name: string): Seen | undefined {
  return events.find(
    (e) => e.name === name && e.object.status?.conditions?.some((c) => c.type === "Complete" && c.status === "True"),
  );
}

function jobYaml(name: string, annotations: Record<string, string>, options: { fail?: boolean } = {}): string {
  const podAnnotations = options.fail === true ? { "flotilla.test/exit": "fail" } : {};
  return `apiVersion: batch/v1
kind: Job
metadata: { name: ${name}, annotations: ${JSON.stringify(annotations)} }
spec:
  backoffLimit: 0
  template:
    metadata: { annotations: ${JSON.stringify(podAnnotations)} }
    spec:
      restartPolicy: Never
      containers: [{ name: main, image: registry.invalid/flotilla/job:1 }]
`;
}

function withAnnotations(yaml: string, annotations: Record<string, string>): string {
  return yaml.replace(
    /metadata: \{ name: ([^ }]+) \}/,
    `metadata: { name: $1, annotations: ${JSON.stringify(annotations)} }`,
  );
}

describeWithClusters("sync waves and hooks on a real cluster (real Redis, real Git)", (clusters) => {
  const cluster = clusters[0]!;
  const repos: TestGitRepo[] = [];
  const watches: { stop(): void }[] = [];
  let redis: Redis;
  let deps: ReconcileDeps;
  let manager: ResourceManager;

  beforeAll(() => {
    redis = new Redis(testbedRedis().url, { maxRetriesPerRequest: null });
    deps = reconcileDeps(new StatusStore(redis, { prefix: `${uniqueName("waves")}:` }), silent);
    manager = ResourceManager.fromKubeconfig(cluster.kubeconfig);
  });

  afterEach(() => {
    for (const watch of watches.splice(0)) watch.stop();
  });

  afterAll(async () => {
    for (const repo of repos) repo.remove();
    await redis.quit();
  });

  function setup(selfHeal = false): { app: Application; ctx: SyncContext; namespace: string; repo: TestGitRepo } {
    const repo = new TestGitRepo();
    repos.push(repo);
    const namespace = uniqueName("waves");
    const app = application({
      name: uniqueName("waves"),
      repoURL: repo.dir,
      path: "app",
      cluster: cluster.name,
      namespace,
    });
    app.spec.syncPolicy = { automated: { prune: true, selfHeal }, syncOptions: ["CreateNamespace=true"] };
    return { app, ctx: syncContext(APPSET, app, manager), namespace, repo };
  }

  async function watch(path: string): Promise<Seen[]> {
    const recorder = await record(cluster, path);
    watches.push(recorder);
    return recorder.events;
  }

  const get = async (path: string) => apiRequest(cluster, path);

  it.runIf(cluster.runsWorkloads)(
    "applies a Deployment in wave 0 only after the Job in wave -1 completed",
    async () => {
      const { ctx, namespace, repo } = setup();
      repo.commit({
        "app/seed.yaml": jobYaml("seed", { "argocd.argoproj.io/sync-wave": "-1" }),
        "app/web.yaml": deploymentYaml("web"),
      });
      const jobs = await watch(`/apis/batch/v1/namespaces/${namespace}/jobs`);
      const deployments = await watch(`/apis/apps/v1/namespaces/${namespace}/deployments`);

      const status = await reconcileSync(deps, ctx, "job-1");

      expect(status.lastError).toBeUndefined();
      expect(status.sync).toBe("Synced");
      const complete = firstComplete(jobs, "seed");
      const created = deployments.find((e) => e.type === "ADDED" && e.name === "web");
      expect(complete, "the Job's Complete condition was seen").toBeDefined();
      expect(created, "the Deployment's creation was seen").toBeDefined();
      expect(created!.rv > complete!.rv).toBe(true);
      // An ordinary Job in a wave is a resource like any other: owned, kept, in the status.
      expect(status.resources.map((r) => [r.id, r.hook])).toEqual([
        [`apps/Deployment/${namespace}/web`, undefined],
        [`batch/Job/${namespace}/seed`, undefined],
      ]);
    },
  );

  it("prunes in reverse wave order: the highest wave's objects are deleted first", async () => {
    const { ctx, namespace, repo } = setup();
    const wave = (n: string) => ({ "flotilla.dev/sync-wave": n });
    repo.commit({
      "app/keep.yaml": configMapYaml("keep", "1"),
      "app/early.yaml": withAnnotations(configMapYaml("early", "1"), wave("-1")),
      "app/middle.yaml": configMapYaml("middle", "1"),
      "app/late.yaml": withAnnotations(configMapYaml("late", "1"), wave("1")),
    });
    expect((await reconcileSync(deps, ctx, "job-1")).sync).toBe("Synced");
    const configMaps = await watch(`/api/v1/namespaces/${namespace}/configmaps`);
    repo.commit({ "app/keep.yaml": configMapYaml("keep", "1") });

    const status = await reconcileSync(deps, ctx, "job-2");

    expect(status.sync).toBe("Synced");
    expect(configMaps.filter((e) => e.type === "DELETED").map((e) => e.name)).toEqual(["late", "middle", "early"]);
  });

  it.runIf(cluster.runsWorkloads)(
    "stops the sync at a failing PreSync Job, naming it and why, runs SyncFail hooks, and does not re-run it for the same state",
    async () => {
      const { ctx, namespace, repo } = setup();
      repo.commit({
        "app/migrate.yaml": jobYaml("migrate", { "argocd.argoproj.io/hook": "PreSync" }, { fail: true }),
        "app/on-fail.yaml": jobYaml("on-fail", { "flotilla.dev/hook": "SyncFail" }),
        "app/config.yaml": configMapYaml("config", "1"),
      });

      const status = await reconcileSync(deps, ctx, "job-1");

      expect(status.sync).toBe("Error");
      expect(status.lastError).toMatchObject({ reason: "HookFailed", retrying: false });
      expect(status.lastError?.message).toMatch(
        new RegExp(`^PreSync hook failed: Job/${namespace}/migrate: job failed: .*BackoffLimitExceeded`),
      );
      expect(status.lastError?.message).toMatch(/pod migrate-[a-z0-9]+: Error \(exit code 1\)/);
      // Nothing of the waves was applied.
      expect((await get(`/api/v1/namespaces/${namespace}/configmaps/config`)).status).toBe(404);
      // The SyncFail hook ran to completion (the sync waited for it) and, by its default policy, stays until the next run.
      const onFail = JSON.parse((await get(`/apis/batch/v1/namespaces/${namespace}/jobs/on-fail`)).body);
      expect(onFail.status.conditions).toContainEqual(expect.objectContaining({ type: "Complete", status: "True" }));
      expect(status.resources).toEqual([
        expect.objectContaining({ id: `batch/Job/${namespace}/migrate`, hook: "PreSync", health: "Degraded" }),
        expect.objectContaining({ id: `batch/Job/${namespace}/on-fail`, hook: "SyncFail", health: "Healthy" }),
      ]);
      expect(status.hooks?.phases).toEqual({ PreSync: "Failed", SyncFail: "Succeeded" });

      const before = JSON.parse((await get(`/apis/batch/v1/namespaces/${namespace}/jobs/migrate`)).body);
      const again = await reconcileSync(deps, ctx, "job-2");
      const after = JSON.parse((await get(`/apis/batch/v1/namespaces/${namespace}/jobs/migrate`)).body);
      expect(again.lastError?.message).toMatch(/for this desired state already/);
      // Not re-created: BeforeHookCreation would have replaced it with a new uid.
      expect(after.metadata.uid).toBe(before.metadata.uid);
      expect((await get(`/api/v1/namespaces/${namespace}/configmaps/config`)).status).toBe(404);
    },
  );

  it.runIf(cluster.runsWorkloads)(
    "deletes HookSucceeded Jobs after they succeed, runs PostSync after the waves, and runs no hook on a re-sync",
    async () => {
      const { ctx, namespace, repo } = setup(true);
      const succeeded = { "argocd.argoproj.io/hook-delete-policy": "HookSucceeded" };
      repo.commit({
        "app/migrate.yaml": jobYaml("migrate", { "argocd.argoproj.io/hook": "PreSync", ...succeeded }),
        "app/notify.yaml": jobYaml("notify", { "argocd.argoproj.io/hook": "PostSync", ...succeeded }),
        "app/config.yaml": configMapYaml("config", "1"),
      });
      const jobs = await watch(`/apis/batch/v1/namespaces/${namespace}/jobs`);
      const configMaps = await watch(`/api/v1/namespaces/${namespace}/configmaps`);

      const status = await reconcileSync(deps, ctx, "job-1");

      expect(status.lastError).toBeUndefined();
      expect(status.sync).toBe("Synced");
      expect((await get(`/apis/batch/v1/namespaces/${namespace}/jobs/migrate`)).status).toBe(404);
      expect((await get(`/apis/batch/v1/namespaces/${namespace}/jobs/notify`)).status).toBe(404);
      const migrate = jobs.filter((e) => e.name === "migrate");
      expect(migrate[0]?.type).toBe("ADDED");
      expect(migrate.at(-1)?.type).toBe("DELETED");
      const migrated = firstComplete(jobs, "migrate");
      const config = configMaps.find((e) => e.type === "ADDED" && e.name === "config");
      const notified = jobs.find((e) => e.type === "ADDED" && e.name === "notify");
      expect(migrated).toBeDefined();
      expect(config).toBeDefined();
      expect(notified).toBeDefined();
      // PreSync completed before the wave was applied; PostSync was created after it.
      expect(config!.rv > migrated!.rv).toBe(true);
      expect(notified!.rv > config!.rv).toBe(true);
      expect(firstComplete(jobs, "notify")).toBeDefined();
      expect(status.resources).toEqual([
        expect.objectContaining({ id: `/ConfigMap/${namespace}/config`, action: "created" }),
        expect.objectContaining({
          id: `batch/Job/${namespace}/migrate`,
          action: "deleted",
          hook: "PreSync",
          health: "Healthy",
        }),
        expect.objectContaining({
          id: `batch/Job/${namespace}/notify`,
          action: "deleted",
          hook: "PostSync",
          health: "Healthy",
        }),
      ]);
      expect(status.hooks?.phases).toEqual({ PreSync: "Succeeded", PostSync: "Succeeded" });
      // Hooks are not in the inventory: prune never touches them.
      expect((await deps.status.inventory(ctx.ref)).entries.map((e) => e.id)).toEqual([
        `/ConfigMap/${namespace}/config`,
      ]);

      // selfHeal re-applies the same desired state: no hook runs again, and the rows stay.
      const seen = jobs.length;
      const resync = await reconcileSync(deps, ctx, "job-2");
      expect(resync.sync).toBe("Synced");
      expect(jobs.slice(seen).filter((e) => e.type === "ADDED")).toEqual([]);
      expect(resync.resources.filter((r) => r.hook !== undefined).map((r) => r.id)).toEqual([
        `batch/Job/${namespace}/migrate`,
        `batch/Job/${namespace}/notify`,
      ]);
    },
  );

  it.runIf(cluster.runsWorkloads)(
    "fails at a wave whose Job failed, naming the wave and the Job, without waiting out the timeout or applying the next wave",
    async () => {
      const { ctx, namespace, repo } = setup();
      repo.commit({
        "app/seed.yaml": jobYaml("seed", { "argocd.argoproj.io/sync-wave": "-1" }, { fail: true }),
        "app/after.yaml": configMapYaml("after", "1"),
      });

      const status = await reconcileSync(deps, ctx, "job-1");

      expect(status.lastError).toMatchObject({ reason: "SyncWaveFailed", retrying: false });
      expect(status.lastError?.message).toMatch(
        new RegExp(`^sync wave -1 did not become Healthy: not Healthy: Job/${namespace}/seed Degraded \\(job failed: `),
      );
      expect((await get(`/api/v1/namespaces/${namespace}/configmaps/after`)).status).toBe(404);
      // What wave -1 applied is owned: the next sync (or a delete) still finds it.
      expect((await deps.status.inventory(ctx.ref)).entries.map((e) => e.id)).toEqual([`batch/Job/${namespace}/seed`]);
    },
  );

  it.runIf(cluster.runsWorkloads)(
    "fails at a wave still not Healthy after the health timeout, naming it and its objects, and retries",
    async () => {
      const { ctx, namespace, repo } = setup();
      const shortWait = reconcileDeps(deps.status, silent, 2_000);
      repo.commit({
        "app/stuck.yaml": deploymentYaml("stuck").replace("registry.invalid/", "unpullable.invalid/"),
        "app/after.yaml": withAnnotations(configMapYaml("after", "1"), { "flotilla.dev/sync-wave": "1" }),
      });

      await expect(reconcileSync(shortWait, ctx, "job-1")).rejects.toThrow(/^sync wave 0 did not become Healthy/);

      const status = await deps.status.get(ctx.ref);
      expect(status?.lastError).toMatchObject({ reason: "SyncWaveFailed", retrying: true });
      expect(status?.lastError?.message).toMatch(
        new RegExp(
          `^sync wave 0 did not become Healthy: not Healthy within 2s: Deployment/${namespace}/stuck (Progressing|Degraded) \\(`,
        ),
      );
      expect((await get(`/api/v1/namespaces/${namespace}/configmaps/after`)).status).toBe(404);
    },
  );

  it("refuses a bundle with a wave that is not an integer or an unknown hook, naming the object; applies none of it", async () => {
    const { ctx, namespace, repo } = setup();
    repo.commit({
      "app/good.yaml": configMapYaml("good", "1"),
      "app/bad.yaml": withAnnotations(configMapYaml("bad", "1"), { "argocd.argoproj.io/sync-wave": "soon" }),
    });

    const status = await reconcileSync(deps, ctx, "job-1");

    expect(status.sync).toBe("Error");
    expect(status.lastError).toMatchObject({
      reason: "RenderFailed",
      retrying: false,
      message:
        'render failed: ConfigMap/bad: annotation argocd.argoproj.io/sync-wave is "soon"; expected an integer wave such as -1, 0 or 5',
    });
    expect((await get(`/api/v1/namespaces/${namespace}/configmaps/good`)).status).toBe(404);

    repo.commit({
      "app/good.yaml": configMapYaml("good", "1"),
      "app/hook.yaml": jobYaml("hook", { "argocd.argoproj.io/hook": "PreSynk" }),
    });
    const hook = await reconcileSync(deps, ctx, "job-2");
    expect(hook.lastError?.message).toMatch(
      /^render failed: Job\/hook: annotation argocd\.argoproj\.io\/hook is "PreSynk"; expected PreSync, Sync, PostSync, SyncFail or Skip/,
    );
    expect((await get(`/api/v1/namespaces/${namespace}/configmaps/good`)).status).toBe(404);
  });

  it.runIf(cluster.runsWorkloads)(
    "runs no hook while a manual Application is only looked at, and runs them on each requested sync",
    async () => {
      const { app, ctx, namespace, repo } = setup();
      delete app.spec.syncPolicy?.automated;
      repo.commit({
        "app/migrate.yaml": jobYaml("migrate", {
          "argocd.argoproj.io/hook": "PreSync",
          "argocd.argoproj.io/hook-delete-policy": "HookSucceeded",
        }),
        "app/config.yaml": configMapYaml("config", "1"),
      });
      const jobs = await watch(`/apis/batch/v1/namespaces/${namespace}/jobs`);
      const runs = () => jobs.filter((e) => e.type === "ADDED" && e.name === "migrate").length;

      expect((await reconcileSync(deps, ctx, "job-1")).sync).toBe("OutOfSync");
      expect(runs()).toBe(0);

      await deps.status.requests.request(ctx.ref);
      const first = await reconcileSync(deps, ctx, "job-2");
      expect(first.sync).toBe("Synced");
      expect(runs()).toBe(1);

      // The same desired state, asked for again: an explicit sync operation runs its hooks again.
      await deps.status.requests.request(ctx.ref);
      const second = await reconcileSync(deps, ctx, "job-3");
      expect(second.sync).toBe("Synced");
      expect(runs()).toBe(2);
      expect(second.hooks?.phases).toEqual({ PreSync: "Succeeded" });
    },
  );
});
