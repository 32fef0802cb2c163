import type { Application } from "@flotilla/core";
import { type KubeObject, ResourceManager } from "@flotilla/kube";
import { StatusStore } from "@flotilla/status";
import { TestGitRepo } from "@flotilla/testbed";
import { describeWithClusters, testbedRedis } from "@flotilla/testbed/vitest";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type ReconcileDeps, reconcileSync } from "./reconcile.ts";
import type { SyncContext } from "./steps/sync-context.ts";
import { application, configMapYaml, uniqueName } from "./testing/fixtures.ts";
import { reconcileDeps, silent, syncContext } from "./testing/harness.ts";

const APPSET = "drift-it";

describeWithClusters("drift on a real cluster", (clusters) => {
  const cluster = clusters[0]!;
  const repo = new TestGitRepo();
  let redis: Redis;
  let status: StatusStore;
  let deps: ReconcileDeps;
  let manager: ResourceManager;
  // What `kubectl edit` does: another field manager takes the field over.
  let human: ResourceManager;

  beforeAll(() => {
    redis = new Redis(testbedRedis().url, { maxRetriesPerRequest: null });
    status = new StatusStore(redis, { prefix: `${uniqueName("dr")}:` });
    deps = reconcileDeps(status, silent);
    manager = ResourceManager.fromKubeconfig(cluster.kubeconfig);
    human = ResourceManager.fromKubeconfig(cluster.kubeconfig, { apply: { fieldManager: "kubectl-edit" } });
  });

  afterAll(async () => {
    repo.remove();
    await redis.quit();
  });

  function context(app: Application): SyncContext {
    return syncContext(APPSET, app, manager);
  }

  async function setup(selfHeal: boolean) {
    const namespace = uniqueName("drift");
    const commit = repo.commit({ "app/cm.yaml": configMapYaml("cfg", "git") });
    const app = application({
      name: uniqueName("dr"),
      repoURL: repo.dir,
      path: "app",
      cluster: cluster.name,
      namespace,
    });
    app.spec.syncPolicy = { automated: { prune: true, selfHeal }, syncOptions: ["CreateNamespace=true"] };
    const ctx = context(app);
    expect((await reconcileSync(deps, ctx, "job-1")).sync).toBe("Synced");
    const object: KubeObject = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cfg", namespace },
      data: { value: "git" },
    };
    const owner = { application: app.metadata.name, appSet: APPSET, commit, namespace };
    const edit = async () => {
      const changes = await human.apply([{ ...object, data: { value: "edited by hand" } }], owner);
      expect(changes.entries[0]?.action).toBe("configured");
    };
    const drifted = async () => (await manager.diff([object], owner))[0]?.drifted;
    return { ctx, edit, drifted };
  }

  it("nothing changed and nobody edited: a re-sync only looks, and stays Synced without a new history entry", async () => {
    const { ctx, drifted } = await setup(false);
    const again = await reconcileSync(deps, ctx, "job-2");
    expect(again.sync).toBe("Synced");
    expect(await drifted()).toBe(false);
    expect(await status.history(ctx.ref)).toHaveLength(1);
  });

  it("without selfHeal a manual edit is reported OutOfSync, with the path, and left alone", async () => {
    const { ctx, edit, drifted } = await setup(false);
    await edit();

    const result = await reconcileSync(deps, ctx, "job-2");

    expect(result.sync).toBe("OutOfSync");
    expect(result.resources[0]?.drift).toContain("data.value");
    expect(await drifted()).toBe(true);
    expect((await status.history(ctx.ref))[0]).toMatchObject({ result: "OutOfSync", message: "drift detected" });
  });

  it("with selfHeal a manual edit is reverted by the next sync", async () => {
    const { ctx, edit, drifted } = await setup(true);
    await edit();
    expect(await drifted()).toBe(true);

    const result = await reconcileSync(deps, ctx, "job-2");

    expect(result.sync).toBe("Synced");
    expect(result.resources[0]?.action).toBe("configured");
    expect(await drifted()).toBe(false);
  });

  it("with selfHeal, a re-sync that changes nothing adds no history entry", async () => {
    const { ctx } = await setup(true);
    const again = await reconcileSync(deps, ctx, "job-2");
    expect(again.sync).toBe("Synced");
    expect(again.resources[0]?.action).toBe("unchanged");
    expect(await status.history(ctx.ref)).toHaveLength(1);
  });
});
