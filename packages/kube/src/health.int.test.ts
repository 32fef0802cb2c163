import { describeWithClusters } from "@flotilla/testbed/vitest";
import type { KubeConfig } from "@kubernetes/client-node";
import { beforeAll, beforeEach, expect, it } from "vitest";
import type { HealthReport } from "./check-health.ts";
import { ResourceManager } from "./manager.ts";
import { configMap, deployment, eventually, freshNamespace, kubeConfigOf } from "./test-support.ts";

const owner = { application: "healthy", commit: "3333333333333333333333333333333333333333" };

type DeploymentSpec = Record<string, unknown> & {
  template: { metadata: Record<string, unknown>; spec: { containers: Record<string, unknown>[] } };
};

/**
 * A one-replica Deployment, changed by `edit`. The test bed's KWOK (test/testbed/kwok/failure-stages.yaml) fails
 * Pods on purpose: an image from `unpullable.invalid` never pulls, and `flotilla.test/readiness: fail` makes a
 * container's readiness probe fail.
 */
function deploymentWith(name: string, edit: (spec: DeploymentSpec) => void) {
  const object = deployment(name);
  edit(object["spec"] as DeploymentSpec);
  return object;
}

const readinessProbe = { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 1 };

describeWithClusters("ResourceManager.health against a real API server", (clusters) => {
  const cluster = clusters[0]!;
  let kc: KubeConfig;
  let manager: ResourceManager;
  let namespace: string;

  const until = (objects: Parameters<ResourceManager["health"]>[0], status: string, message?: RegExp) =>
    eventually<HealthReport>(
      `aggregate health ${status}${message ? ` with a message matching ${message}` : ""}`,
      async () => {
        const report = await manager.health(objects, { namespace });
        if (report.aggregate.status !== status) return undefined;
        return message === undefined || message.test(report.aggregate.message) ? report : undefined;
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

  it.runIf(cluster.runsWorkloads)(
    "a Deployment with readiness and liveness probes that pass becomes Healthy",
    async () => {
      const probed = deploymentWith("probed", (spec) => {
        spec.template.spec.containers[0]!["readinessProbe"] = readinessProbe;
        spec.template.spec.containers[0]!["livenessProbe"] = readinessProbe;
      });
      await manager.apply([probed], { ...owner, namespace });
      const report = await until([probed], "Healthy");
      expect(report.objects[0]?.verdict).toEqual({ status: "Healthy", message: "1 of 1 replicas available" });
    },
  );

  it.runIf(cluster.runsWorkloads)(
    "says which Pod waits in ImagePullBackOff while a Deployment progresses",
    async () => {
      const broken = deploymentWith("pulling", (spec) => {
        spec.template.spec.containers[0]!["image"] = "unpullable.invalid/flotilla/web:1";
      });
      await manager.apply([broken], { ...owner, namespace });
      // Within the default 600 s deadline the rollout is still in progress, and the Pod says why it is stuck.
      const report = await until([broken], "Progressing", /ImagePullBackOff/);
      expect(report.objects[0]?.verdict.message).toMatch(
        /^0 of 1 replicas available; pod pulling-[a-z0-9]+-[a-z0-9]+: ImagePullBackOff$/,
      );
    },
  );

  it.runIf(cluster.runsWorkloads)(
    "reports Degraded, naming ImagePullBackOff, when a Deployment's image cannot be pulled",
    async () => {
      const broken = deploymentWith("broken-image", (spec) => {
        spec["progressDeadlineSeconds"] = 2;
        spec.template.spec.containers[0]!["image"] = "unpullable.invalid/flotilla/web:1";
      });
      await manager.apply([broken], { ...owner, namespace });
      const report = await until([broken], "Degraded", /ImagePullBackOff/);
      expect(report.aggregate.message).toMatch(
        new RegExp(
          `^Deployment/${namespace}/broken-image: progress deadline exceeded: ReplicaSet "broken-image-[a-z0-9]+" has timed out progressing\\.; ` +
            "pod broken-image-[a-z0-9]+-[a-z0-9]+: ImagePullBackOff$",
        ),
      );
    },
  );

  it.runIf(cluster.runsWorkloads)(
    "reports Degraded, naming the unready container, when a readiness probe fails",
    async () => {
      const unready = deploymentWith("unready", (spec) => {
        spec["progressDeadlineSeconds"] = 2;
        spec.template.metadata["annotations"] = { "flotilla.test/readiness": "fail" };
        spec.template.spec.containers[0]!["readinessProbe"] = readinessProbe;
      });
      await manager.apply([unready], { ...owner, namespace });
      const report = await until([unready], "Degraded", /unready status/);
      expect(report.objects[0]?.verdict.message).toMatch(
        /^progress deadline exceeded: ReplicaSet "unready-[a-z0-9]+" has timed out progressing\.; pod unready-[a-z0-9]+-[a-z0-9]+: containers with unready status: \[app\]$/,
      );
    },
  );
});
