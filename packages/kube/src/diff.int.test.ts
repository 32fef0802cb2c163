import { describeWithClusters } from "@flotilla/testbed/vitest";
import { type KubeConfig, KubernetesObjectApi, PatchStrategy } from "@kubernetes/client-node";
import { beforeAll, beforeEach, expect, it } from "vitest";
import { ResourceManager } from "./manager.ts";
import { configMap, deployment, freshNamespace, kubeConfigOf } from "./test-support.ts";

const owner = { application: "drifty", commit: "2222222222222222222222222222222222222222" };

describeWithClusters("ResourceManager.diff (server-side dry-run) against a real API server", (clusters) => {
  const cluster = clusters[0]!;
  let kc: KubeConfig;
  let manager: ResourceManager;
  let namespace: string;

  beforeAll(() => {
    kc = kubeConfigOf(cluster.kubeconfig);
    manager = ResourceManager.fromKubeconfig(cluster.kubeconfig);
  });
  beforeEach(async () => {
    namespace = await freshNamespace(kc, "kube-drift");
  });

  it("finds no drift right after an apply, although the server defaulted many fields and wrote status", async () => {
    const objects = [deployment("web", { replicas: 2 }), configMap("settings", { a: "1" })];
    await manager.apply(objects, { ...owner, namespace });
    const drift = await manager.diff(objects, { ...owner, namespace });
    expect(drift.map((d) => [d.subject, d.drifted, d.paths])).toEqual([
      [`Deployment/${namespace}/web`, false, []],
      [`ConfigMap/${namespace}/settings`, false, []],
    ]);
  });

  it("detects a manual edit by another field manager (replicas, image), and an apply reverts it", async () => {
    const objects = [deployment("web", { replicas: 2 })];
    await manager.apply(objects, { ...owner, namespace });

    const edit = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace },
      spec: {
        replicas: 5,
        template: { spec: { containers: [{ name: "app", image: "registry.invalid/flotilla/web:hacked" }] } },
      },
    };
    await KubernetesObjectApi.makeApiClient(kc).patch(
      edit,
      undefined,
      undefined,
      "kubectl-edit",
      undefined,
      PatchStrategy.StrategicMergePatch,
    );

    const [drift] = await manager.diff(objects, { ...owner, namespace });
    expect(drift?.drifted).toBe(true);
    expect(drift?.paths).toEqual(["spec.replicas", "spec.template.spec.containers[0].image"]);

    const reverted = await manager.apply(objects, { ...owner, namespace });
    expect(reverted.entries[0]?.action).toBe("configured");
    const [after] = await manager.diff(objects, { ...owner, namespace });
    expect(after?.drifted).toBe(false);
  });

  it("does not count a field we never set, changed by someone else, as drift", async () => {
    const objects = [deployment("web")];
    await manager.apply(objects, { ...owner, namespace });
    // minReadySeconds is not in our manifest: whoever sets it owns it, and SSA leaves it alone.
    await KubernetesObjectApi.makeApiClient(kc).patch(
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace }, spec: { minReadySeconds: 7 } },
      undefined,
      undefined,
      "kubectl-edit",
      undefined,
      PatchStrategy.MergePatch,
    );
    const [drift] = await manager.diff(objects, { ...owner, namespace });
    expect(drift?.drifted).toBe(false);
  });

  it("reports a deleted object as drift", async () => {
    const objects = [configMap("settings", { a: "1" })];
    const [drift] = await manager.diff(objects, { ...owner, namespace });
    expect(drift).toMatchObject({ drifted: true, paths: ["(object missing)"] });
  });
});
