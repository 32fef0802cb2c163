import { randomBytes } from "node:crypto";
import { failures, type KubeObject, ResourceManager } from "@flotilla/kube";
import { eventually } from "@flotilla/testbed";
import { describeWithClusters } from "@flotilla/testbed/vitest";
import { AppsV1Api, CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { template } from "./helm.ts";
import { inventoryOf } from "./manifests.ts";
import { valueSets } from "./value-sets.ts";

/** The labels that make the API server refuse any Pod below the restricted level (PodSecurity admission). */
const RESTRICTED = {
  "pod-security.kubernetes.io/enforce": "restricted",
  "pod-security.kubernetes.io/enforce-version": "latest",
};

interface Timing {
  set: string;
  objects: number;
  renderMs: number;
  applyMs: number;
}

describeWithClusters("charts/flotilla applied to a real API server", (clusters) => {
  const cluster = clusters[0]!;
  let kc: KubeConfig;
  let manager: ResourceManager;
  const namespaces: string[] = [];
  const clusterScoped: KubeObject[] = [];
  const timings: Timing[] = [];

  beforeAll(() => {
    kc = new KubeConfig();
    kc.loadFromString(cluster.kubeconfig);
    manager = ResourceManager.fromKubeconfig(cluster.kubeconfig);
  });

  afterAll(async () => {
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    await Promise.allSettled([
      ...clusterScoped.map((o) =>
        o.kind === "ClusterRole"
          ? rbac.deleteClusterRole({ name: o.metadata.name })
          : rbac.deleteClusterRoleBinding({ name: o.metadata.name }),
      ),
      ...namespaces.map((name) => core.deleteNamespace({ name })),
    ]);
    if (timings.length > 0) {
      const lines = timings.map(
        (t) =>
          `  ${t.set.padEnd(20)} ${String(t.objects).padStart(3)} objects  render ${t.renderMs} ms  apply ${t.applyMs} ms`,
      );
      process.stderr.write(
        `chart: helm template + server-side apply per value set (cluster ${cluster.name}):\n${lines.join("\n")}\n`,
      );
    }
  });

  async function restrictedNamespace(prefix: string): Promise<string> {
    const name = `${prefix}-${randomBytes(3).toString("hex")}`;
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name, labels: RESTRICTED } } });
    namespaces.push(name);
    return name;
  }

  it("runs an API server that enforces the restricted Pod Security level", async () => {
    const namespace = await restrictedNamespace("chart-pss");
    const refused = await kc
      .makeApiClient(CoreV1Api)
      .createNamespacedPod({
        namespace,
        body: { metadata: { name: "root" }, spec: { containers: [{ name: "c", image: "localhost/flotilla:0.1.0" }] } },
      })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    const status = JSON.parse(String((refused as { body?: unknown }).body)) as { code: number; message: string };
    expect(status.code).toBe(403);
    expect(status.message).toMatch(/violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
  });

  it.each(valueSets.map((s) => [s.name, s]))(
    "%s: the API server accepts every rendered object, and the controllers' Pods pass restricted",
    async (name, set) => {
      const namespace = await restrictedNamespace(`chart-${name}`);
      const started = performance.now();
      const objects = await template({ release: "fl", namespace, files: [set.file] });
      const rendered = performance.now();
      clusterScoped.push(...objects.filter((o) => o.kind.startsWith("Cluster")));
      const changes = await manager.apply(objects, { application: `chart-${name}`, commit: "chart-test", namespace });
      timings.push({
        set: name,
        objects: objects.length,
        renderMs: Math.round(rendered - started),
        applyMs: Math.round(performance.now() - rendered),
      });

      expect(failures(changes).map((e) => `${e.subject}: ${e.error?.message}`)).toEqual([]);
      expect(changes.entries.map((e) => e.action)).toEqual(objects.map(() => "created"));
      expect(changes.entries.length).toBe(inventoryOf(objects).length);

      // PodSecurity admission judges Pods, not Deployments: wait until the controllers made every Pod they want.
      const apps = kc.makeApiClient(AppsV1Api);
      for (const workload of objects.filter((o) => o.kind === "Deployment" || o.kind === "StatefulSet")) {
        const read = () =>
          workload.kind === "Deployment"
            ? apps.readNamespacedDeployment({ name: workload.metadata.name, namespace })
            : apps.readNamespacedStatefulSet({ name: workload.metadata.name, namespace });
        // A Pod the admission refuses shows on a Deployment as ReplicaFailure, saying why: fail with that at once.
        const outcome = await eventually(
          `${workload.kind}/${workload.metadata.name} to have its Pods created`,
          async () => {
            const current = await read();
            const refused = current.status?.conditions?.find((c) => c.type === "ReplicaFailure" && c.status === "True");
            if (refused !== undefined) return { refused: refused.message ?? refused.reason ?? "ReplicaFailure" };
            const wanted = current.spec?.replicas ?? 1;
            return (current.status?.replicas ?? 0) >= wanted ? { created: current.status?.replicas ?? 0 } : undefined;
          },
          90_000,
          500,
        );
        expect(outcome, `${workload.kind}/${workload.metadata.name}`).toEqual({ created: expect.any(Number) });
      }
      const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace });
      const expected = objects
        .filter((o) => o.kind === "Deployment" || o.kind === "StatefulSet")
        .reduce((sum, o) => sum + ((o as unknown as { spec: { replicas?: number } }).spec.replicas ?? 1), 0);
      expect(pods.items.length).toBeGreaterThanOrEqual(expected);
    },
  );
});
