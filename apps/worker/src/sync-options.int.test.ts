import type { Application } from "@flotilla/core";
import { ResourceManager } from "@flotilla/kube";
import { StatusStore } from "@flotilla/status";
import { apiRequest, TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type ReconcileDeps, reconcileSync } from "./reconcile.ts";
import type { SyncContext } from "./steps/sync-context.ts";
import { application, configMapYaml, deploymentYaml, uniqueName } from "./testing/fixtures.ts";
import { eventually, reconcileDeps, silent, syncContext } from "./testing/harness.ts";

const APPSET = "options-it";

describeWithClusters("sync options on a real cluster (real Redis, real Git)", (clusters) => {
  const cluster = clusters[0]!;
  const repos: TestGitRepo[] = [];
  let redis: Redis;
  let deps: ReconcileDeps;
  let manager: ResourceManager;

  beforeAll(() => {
    redis = new Redis(testbedRedis().url, { maxRetriesPerRequest: null });
    deps = reconcileDeps(new StatusStore(redis, { prefix: `${uniqueName("opt")}:` }), silent);
    manager = ResourceManager.fromKubeconfig(cluster.kubeconfig);
  });

  afterAll(async () => {
    for (const repo of repos) repo.remove();
    await redis.quit();
  });

  function setup(syncOptions: string[]): { app: Application; ctx: SyncContext; namespace: string; repo: TestGitRepo } {
    const repo = new TestGitRepo();
    repos.push(repo);
    const namespace = uniqueName("opt");
    const app = application({
      name: uniqueName("opt"),
      repoURL: repo.dir,
      path: "app",
      cluster: cluster.name,
      namespace,
    });
    app.spec.syncPolicy = { automated: { prune: true }, syncOptions: ["CreateNamespace=true", ...syncOptions] };
    return { app, ctx: syncContext(APPSET, app, manager), namespace, repo };
  }

  const exists = async (path: string) => (await apiRequest(cluster, path)).status === 200;

  it("Prune=false keeps what left Git although automated.prune is on; the Application is OutOfSync", async () => {
    const { ctx, namespace, repo } = setup(["Prune=false"]);
    repo.commit({ "app/a.yaml": configMapYaml("a", "1"), "app/b.yaml": configMapYaml("b", "1") });
    expect((await reconcileSync(deps, ctx, "job-1")).sync).toBe("Synced");
    repo.commit({ "app/a.yaml": configMapYaml("a", "1") });

    const result = await reconcileSync(deps, ctx, "job-2");

    expect(result.sync).toBe("OutOfSync");
    expect(result.resources.find((r) => r.id === `/ConfigMap/${namespace}/b`)).toMatchObject({ action: "stale" });
    expect(await exists(`/api/v1/namespaces/${namespace}/configmaps/b`)).toBe(true);
  });

  it("an object annotated argocd.argoproj.io/sync-options: Prune=false is kept when it leaves Git", async () => {
    const { ctx, namespace, repo } = setup([]);
    const annotated = `apiVersion: v1
kind: ConfigMap
metadata:
  name: kept
  annotations: { argocd.argoproj.io/sync-options: Prune=false }
data: { value: "1" }
`;
    repo.commit({ "app/a.yaml": configMapYaml("a", "1"), "app/kept.yaml": annotated });
    expect((await reconcileSync(deps, ctx, "job-1")).sync).toBe("Synced");
    repo.commit({ "app/a.yaml": configMapYaml("a", "1") });

    const result = await reconcileSync(deps, ctx, "job-2");

    expect(result.resources.find((r) => r.id === `/ConfigMap/${namespace}/kept`)).toMatchObject({
      action: "skipped",
      message: "preserved by annotation",
    });
    expect(await exists(`/api/v1/namespaces/${namespace}/configmaps/kept`)).toBe(true);
  });

  it("Validate=true is what happens: a field the API server's schema does not know fails the apply", async () => {
    // Why Validate=false is refused rather than accepted: a server-side apply checks every field whatever
    // fieldValidation says, so there is no way to honour it.
    const { ctx, repo } = setup(["Validate=true"]);
    repo.commit({
      "app/cm.yaml": `apiVersion: v1
kind: ConfigMap
metadata: { name: loose }
data: { value: "1" }
notAField: true
`,
    });
    const refused = await reconcileSync(deps, ctx, "job-1");
    expect(refused).toMatchObject({ sync: "Error", lastError: { reason: "ApplyFailed" } });
    expect(refused.lastError?.message).toMatch(/notAField: field not declared in schema/);
  });

  it("PrunePropagationPolicy=orphan: a pruned Deployment leaves its ReplicaSet behind, orphaned", async () => {
    const { ctx, namespace, repo } = setup(["PrunePropagationPolicy=orphan"]);
    repo.commit({ "app/a.yaml": configMapYaml("a", "1"), "app/web.yaml": deploymentYaml("web") });
    expect((await reconcileSync(deps, ctx, "job-1")).sync).toBe("Synced");
    const replicaSets = async () => {
      const res = await apiRequest(cluster, `/apis/apps/v1/namespaces/${namespace}/replicasets`);
      return (JSON.parse(res.body) as { items: { metadata: { ownerReferences?: unknown[] } }[] }).items;
    };
    await eventually(
      replicaSets,
      (items) => items.length === 1 && (items[0]?.metadata.ownerReferences ?? []).length === 1,
      60_000,
      "the Deployment's ReplicaSet, owned by it",
    );
    repo.commit({ "app/a.yaml": configMapYaml("a", "1") });

    const result = await reconcileSync(deps, ctx, "job-2");

    expect(result.resources.find((r) => r.id === `apps/Deployment/${namespace}/web`)).toMatchObject({
      action: "deleted",
    });
    // The garbage collector orphans dependents by removing their owner reference, instead of deleting them.
    const orphaned = await eventually(
      replicaSets,
      (items) => items.length === 1 && (items[0]?.metadata.ownerReferences ?? []).length === 0,
      60_000,
      "the ReplicaSet orphaned",
    );
    expect(orphaned).toHaveLength(1);
    await eventually(
      () => exists(`/apis/apps/v1/namespaces/${namespace}/deployments/web`),
      (found) => !found,
      60_000,
      "the Deployment gone once its dependents are orphaned",
    );
  });
});
