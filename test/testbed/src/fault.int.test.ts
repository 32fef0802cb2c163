import { CoreV1Api, type V1ConfigMap } from "@kubernetes/client-node";
import { expect, it } from "vitest";
import { pauseCluster, resumeCluster } from "./cluster.ts";
import { createTestNamespace, kubeConfigFor, serverSideApply, timeoutAfter } from "./testing/kube.ts";
import { describeWithClusters } from "./vitest.ts";

const requestTimeoutMs = 2_000;

describeWithClusters("fault injection", (clusters) => {
  for (const cluster of clusters) {
    it(`${cluster.name}: a paused cluster fails requests within a bounded time and comes back intact`, async () => {
      const kc = kubeConfigFor(cluster);
      const core = kc.makeApiClient(CoreV1Api);
      const namespace = await createTestNamespace(kc, "fault");
      await serverSideApply<V1ConfigMap>(kc, {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "before-pause", namespace },
        data: { kept: "yes" },
      });

      pauseCluster(cluster);
      try {
        const started = performance.now();
        await expect(
          core.readNamespacedConfigMap({ name: "before-pause", namespace }, timeoutAfter(requestTimeoutMs)),
        ).rejects.toThrow();
        const elapsed = performance.now() - started;
        expect(elapsed).toBeGreaterThanOrEqual(requestTimeoutMs - 100);
        expect(elapsed).toBeLessThan(requestTimeoutMs + 3_000);
        // Meanwhile the other clusters answer as usual: one unreachable cluster does not hold the rest up.
        for (const other of clusters.filter((c) => c.name !== cluster.name)) {
          const otherCore = kubeConfigFor(other).makeApiClient(CoreV1Api);
          await expect(otherCore.listNamespace({}, timeoutAfter(5_000))).resolves.toBeDefined();
        }
      } finally {
        resumeCluster(cluster);
      }

      const after = await core.readNamespacedConfigMap({ name: "before-pause", namespace }, timeoutAfter(10_000));
      expect(after.data).toEqual({ kept: "yes" });
    });
  }
});
