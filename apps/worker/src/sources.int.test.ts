import { spawnSync } from "node:child_process";
import type { Application } from "@flotilla/core";
import { ResourceManager } from "@flotilla/kube";
import { StatusStore } from "@flotilla/status";
import { eventually, TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ReconcileDeps, reconcileSync } from "./reconcile.ts";
import type { SyncContext } from "./steps/sync-context.ts";
import { application, configMapYaml, deploymentYaml, uniqueName } from "./testing/fixtures.ts";
import { reconcileDeps, silent, syncContext } from "./testing/harness.ts";

const APPSET = "sources-it";

// Like the render package's own tests: without the binary (a workstation that skipped set-up) the test is skipped.
const has = (tool: string) => spawnSync(tool, ["version"], { stdio: "ignore" }).status === 0;
const helm = process.env.FLOTILLA_HELM ?? "helm";
const kustomize = process.env.FLOTILLA_KUSTOMIZE ?? "kustomize";

describeWithClusters("Kustomize, Helm and health verdicts through the worker", (clusters) => {
  const cluster = clusters[1] ?? clusters[0]!;
  const repo = new TestGitRepo();
  let redis: Redis;
  let deps: ReconcileDeps;
  let manager: ResourceManager;

  beforeAll(() => {
    redis = new Redis(testbedRedis().url, { maxRetriesPerRequest: null });
    deps = reconcileDeps(new StatusStore(redis, { prefix: `${uniqueName("src")}:` }), silent);
    manager = ResourceManager.fromKubeconfig(cluster.kubeconfig);
  });

  afterAll(async () => {
    repo.remove();
    await redis.quit();
  });

  function context(app: Application): SyncContext {
    return syncContext(APPSET, app, manager);
  }

  describe.skipIf(!has(kustomize))("kustomize", () => {
    it("an overlay is rendered and applied, Synced and Healthy", async () => {
      const commit = repo.commit({
        "base/kustomization.yaml": "resources: [cm.yaml, deploy.yaml]\n",
        "base/cm.yaml": configMapYaml("settings", "base"),
        "base/deploy.yaml": deploymentYaml("api"),
        "overlays/dev/kustomization.yaml": "resources: [../../base]\nnamePrefix: dev-\n",
      });
      const namespace = uniqueName("kz");
      const app = application({
        name: uniqueName("kz"),
        repoURL: repo.dir,
        path: "overlays/dev",
        cluster: cluster.name,
        namespace,
      });
      const ctx = context(app);
      const status = await reconcileSync(deps, ctx, "job-1");
      expect(status).toMatchObject({ sync: "Synced", revision: commit });
      // The Deployment's roll-out ends after the sync: its health is stored then.
      await eventually(
        "Healthy",
        async () => ((await deps.status.get(ctx.ref))?.health === "Healthy" ? true : undefined),
        30_000,
        200,
      );
      expect(status.resources.map((r) => r.id)).toEqual([
        `/ConfigMap/${namespace}/dev-settings`,
        `apps/Deployment/${namespace}/dev-api`,
      ]);
    });
  });

  describe.skipIf(!has(helm))("helm", () => {
    it("a chart with values is rendered and applied, Synced and Healthy", async () => {
      repo.commit({
        "chart/Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
        "chart/values.yaml": "greeting: hello\n",
        "chart/templates/cm.yaml":
          "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: {{ .Release.Name }}-cfg }\ndata: { greeting: {{ .Values.greeting | quote }} }\n",
      });
      const namespace = uniqueName("helm");
      const app = application({
        name: uniqueName("hm"),
        repoURL: repo.dir,
        path: "chart",
        cluster: cluster.name,
        namespace,
      });
      app.spec.source.helm = { releaseName: "shop", values: "greeting: bonjour\n" };
      const status = await reconcileSync(deps, context(app), "job-1");
      expect(status).toMatchObject({ sync: "Synced", health: "Healthy" });
      expect(status.resources.map((r) => r.id)).toEqual([`/ConfigMap/${namespace}/shop-cfg`]);
      const drift = await manager.diff(
        [
          {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "shop-cfg", namespace },
            data: { greeting: "bonjour" },
          },
        ],
        { application: app.metadata.name, appSet: APPSET, commit: status.revision ?? "", namespace },
      );
      expect(drift[0]?.drifted).toBe(false);
    });
  });

  it("a Deployment that cannot make progress is Synced but Degraded", async () => {
    // No node matches, so its pod never runs and the progress deadline passes.
    const stuck = `apiVersion: apps/v1
kind: Deployment
metadata: { name: stuck }
spec:
  replicas: 1
  progressDeadlineSeconds: 1
  selector: { matchLabels: { app: stuck } }
  template:
    metadata: { labels: { app: stuck } }
    spec:
      nodeSelector: { flotilla.dev/no-such-node: "true" }
      containers: [{ name: app, image: registry.invalid/flotilla/web:1 }]
`;
    repo.commit({ "stuck/deploy.yaml": stuck });
    const app = application({
      name: uniqueName("st"),
      repoURL: repo.dir,
      path: "stuck",
      cluster: cluster.name,
      namespace: uniqueName("stuck"),
    });
    const ctx = context(app);
    expect((await reconcileSync(deps, ctx, "job-1")).sync).toBe("Synced");
    // Past the deadline after the sync ended: the worker's own re-reads store it (no watch here).
    const status = await eventually(
      "Degraded",
      async () => {
        const stored = await deps.status.get(ctx.ref);
        return stored?.health === "Degraded" ? stored : undefined;
      },
      30_000,
      200,
    );
    expect(status.sync).toBe("Synced");
    expect(status.healthMessage).toMatch(/progress deadline exceeded/);
  });
});
