import { describeWithClusters } from "@flotilla/testbed/vitest";
import type { KubeConfig } from "@kubernetes/client-node";
import { beforeAll, beforeEach, expect, it } from "vitest";
import type { HealthReport } from "./check-health.ts";
import { ResourceManager } from "./manager.ts";
import { configMap, deployment, eventually, freshNamespace, kubeConfigOf } from "./test-support.ts";

const owner = { application: "healthy", commit: "3333333333333333333333333333333333333333" };

describeWithClusters("ResourceManager.health against a real API server", (clusters) => {
  const cluster = clusters[0]!;
  let kc: KubeConfig;
  let manager: ResourceManager;
  let namespace: string;

  const until = (objects: Parameters<ResourceManager["health"]>[0], status: string) =>
    eventually<HealthReport>(
      `aggregate health ${status}`,
      async () => {
        const report = await manager.health(objects, { namespace });
        return report.aggregate.status === status ? report : undefined;
      },
      60_000,
    );

  beforeAll(() => {
    kc = kubeConfigOf(cluster.kubeconfig);
    manager = ResourceManager.fromKubeconfig(cluster.kubeconfig);
  });
  beforeEach(async () => {
    namespace = await freshNamespace(kc, "kube-health");
  });

  it("reports Missing before the apply", async () => {
    const report = await manager.health([configMap("settings", {})], { namespace });
    expect(report.aggregate.status).toBe("Missing");
  });

  it.runIf(cluster.runsWorkloads)("sees a Deployment become Healthy once its Pods are available", async () => {
    const objects = [deployment("web", { replicas: 2 }), configMap("settings", { a: "1" })];
    await manager.apply(objects, { ...owner, namespace });
    const report = await until(objects, "Healthy");
    expect(report.objects.map((o) => [o.subject, o.verdict.status])).toEqual([
      [`Deployment/${namespace}/web`, "Healthy"],
      [`ConfigMap/${namespace}/settings`, "Healthy"],
    ]);
    expect(report.objects[0]?.verdict.message).toBe("2 of 2 replicas available");
  });

  it.runIf(cluster.runsWorkloads)("reports Degraded when a Deployment exceeds its progress deadline", async () => {
    const stuck = deployment("stuck");
    const spec = stuck["spec"] as Record<string, unknown> & { template: { spec: Record<string, unknown> } };
    spec["progressDeadlineSeconds"] = 1;
    // No node carries this label, so the Pod stays Pending and the rollout never progresses.
    spec.template.spec["nodeSelector"] = { "flotilla.test/nowhere": "true" };
    await manager.apply([stuck], { ...owner, namespace });
    const report = await until([stuck], "Degraded");
    expect(report.aggregate.message).toMatch(new RegExp(`^Deployment/${namespace}/stuck: progress deadline exceeded`));
  });
});
