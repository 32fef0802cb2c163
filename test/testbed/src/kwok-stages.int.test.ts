import { CoreV1Api, type KubeConfig, type V1Container, type V1Pod } from "@kubernetes/client-node";
import { beforeAll, expect, it } from "vitest";
import { createTestNamespace, eventually, kubeConfigFor } from "./testing/kube.ts";
import { describeWithClusters } from "./vitest.ts";

// The failure stages of kwok/failure-stages.yaml, on top of KWOK's defaults: broken Pods look as a kubelet
// reports them, and every other Pod still becomes Running and Ready.
describeWithClusters("KWOK's failure stages", (clusters) => {
  const cluster = clusters[0]!;
  let core: CoreV1Api;
  let namespace: string;
  const probe = { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 1 };

  beforeAll(async () => {
    const kc: KubeConfig = kubeConfigFor(cluster);
    core = kc.makeApiClient(CoreV1Api);
    namespace = await createTestNamespace(kc, "kwok-stages");
  });

  const createPod = (name: string, container: Partial<V1Container>, annotations?: Record<string, string>) =>
    core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name, ...(annotations ? { annotations } : {}) },
        spec: { containers: [{ name: "app", image: "registry.invalid/flotilla/web:1", ...container }] },
      },
    });
  const read = (name: string) => core.readNamespacedPod({ name, namespace });
  const podUntil = (name: string, what: string, test: (pod: V1Pod) => boolean) =>
    eventually(
      `pod ${name}: ${what}`,
      async () => {
        const pod = await read(name);
        return test(pod) ? pod : undefined;
      },
      30_000,
    );
  const condition = (pod: V1Pod, type: string) => pod.status?.conditions?.find((c) => c.type === type);

  it.runIf(cluster.runsWorkloads)("still makes a Pod with probes but no trigger Running and Ready", async () => {
    await createPod("plain", { readinessProbe: probe, livenessProbe: probe });
    const pod = await podUntil("plain", "Ready", (p) => condition(p, "Ready")?.status === "True");
    expect(pod.status?.phase).toBe("Running");
    expect(pod.status?.containerStatuses?.[0]).toMatchObject({ ready: true, restartCount: 0 });
  });

  it.runIf(cluster.runsWorkloads)(
    "keeps a Pod whose image is from unpullable.invalid Pending in ImagePullBackOff",
    async () => {
      const image = "unpullable.invalid/flotilla/web:1";
      await createPod("unpullable", { image });
      await podUntil(
        "unpullable",
        "ImagePullBackOff",
        (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === "ImagePullBackOff",
      );
      // No later stage takes it: a second look a while later finds it unchanged.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const pod = await read("unpullable");
      expect(pod.status?.phase).toBe("Pending");
      expect(pod.status?.containerStatuses).toEqual([
        expect.objectContaining({
          name: "app",
          image,
          ready: false,
          started: false,
          restartCount: 0,
          state: { waiting: { reason: "ImagePullBackOff", message: `Back-off pulling image "${image}"` } },
        }),
      ]);
      expect(condition(pod, "Ready")).toMatchObject({
        status: "False",
        reason: "ContainersNotReady",
        message: "containers with unready status: [app]",
      });
      const events = await core.listNamespacedEvent({
        namespace,
        fieldSelector: "involvedObject.name=unpullable",
      });
      expect(events.items.map((e) => [e.type, e.reason])).toEqual(
        expect.arrayContaining([
          ["Warning", "Failed"],
          ["Normal", "BackOff"],
        ]),
      );

      // KWOK's default delete stage still applies to it.
      await core.deleteNamespacedPod({ name: "unpullable", namespace });
      await eventually("pod unpullable deleted", async () =>
        (await core.listNamespacedPod({ namespace })).items.some((p) => p.metadata?.name === "unpullable")
          ? undefined
          : true,
      );
    },
  );

  it.runIf(cluster.runsWorkloads)(
    "runs a Pod annotated flotilla.test/readiness=fail but never makes its probed container ready",
    async () => {
      await createPod("unready", { readinessProbe: probe }, { "flotilla.test/readiness": "fail" });
      const pod = await podUntil("unready", "Running", (p) => p.status?.phase === "Running");
      expect(pod.status?.containerStatuses?.[0]).toMatchObject({ ready: false, started: true, restartCount: 0 });
      expect(pod.status?.containerStatuses?.[0]?.state?.running?.startedAt).toBeDefined();
      expect(condition(pod, "Ready")).toMatchObject({
        status: "False",
        reason: "ContainersNotReady",
        message: "containers with unready status: [app]",
      });
      expect(condition(pod, "ContainersReady")?.status).toBe("False");
    },
  );

  it.runIf(cluster.runsWorkloads)(
    "restarts a Pod annotated flotilla.test/liveness=fail in CrashLoopBackOff, counting restarts",
    async () => {
      await createPod("crashing", { livenessProbe: probe }, { "flotilla.test/liveness": "fail" });
      const backingOff = await podUntil(
        "crashing",
        "CrashLoopBackOff",
        (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === "CrashLoopBackOff",
      );
      const status = backingOff.status?.containerStatuses?.[0];
      expect(status).toMatchObject({ ready: false, started: false, lastState: { terminated: { exitCode: 137 } } });
      expect(status?.restartCount).toBeGreaterThanOrEqual(1);
      expect(condition(backingOff, "Ready")?.status).toBe("False");
      // It starts again after the back-off, and fails again.
      const restarted = await podUntil(
        "crashing",
        "a second restart",
        (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2,
      );
      expect(restarted.status?.phase).toBe("Running");
    },
  );

  it.runIf(cluster.runsWorkloads)(
    "fails a Pod annotated flotilla.test/exit=fail once it runs: its container exits with code 1",
    async () => {
      await core.createNamespacedPod({
        namespace,
        body: {
          metadata: { name: "exiting", annotations: { "flotilla.test/exit": "fail" } },
          spec: { restartPolicy: "Never", containers: [{ name: "app", image: "registry.invalid/flotilla/job:1" }] },
        },
      });
      const pod = await podUntil("exiting", "Failed", (p) => p.status?.phase === "Failed");
      expect(pod.status?.containerStatuses).toEqual([
        expect.objectContaining({
          name: "app",
          ready: false,
          restartCount: 0,
          state: { terminated: expect.objectContaining({ exitCode: 1, reason: "Error" }) },
        }),
      ]);
      expect(condition(pod, "Ready")).toMatchObject({ status: "False", reason: "PodFailed" });
    },
  );
});
