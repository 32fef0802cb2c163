import { CoreV1Api, type V1ConfigMap } from "@kubernetes/client-node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type ClusterSet, startClusters } from "./clusters.ts";
import { kubeConfigFor, serverSideApply, timeoutAfter } from "./testing/kube.ts";
import { describeWithClusters } from "./vitest.ts";

// A bed of its own (one bare cluster): stopping an API server is only possible for the process that started it.
describeWithClusters("stopping and starting an API server", () => {
  let bed: ClusterSet;

  beforeAll(async () => {
    bed = await startClusters({ count: 1, names: ["restart"], withControllerManager: false, withKwok: false });
  });

  afterAll(async () => {
    await bed?.stop();
  });

  it("refuses connections while down and comes back on the same URL with its data", async () => {
    const cluster = bed.clusters[0]!;
    const kc = kubeConfigFor(cluster.info);
    const core = kc.makeApiClient(CoreV1Api);
    await serverSideApply<V1ConfigMap>(kc, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "survivor", namespace: "default" },
      data: { kept: "yes" },
    });
    const pid = cluster.info.apiServerPid;

    await cluster.stopApiServer();
    const started = performance.now();
    await expect(core.readNamespacedConfigMap({ name: "survivor", namespace: "default" })).rejects.toThrow(
      /ECONNREFUSED|fetch failed/,
    );
    expect(performance.now() - started).toBeLessThan(2_000);

    await cluster.startApiServer();
    expect(cluster.info.apiServerPid).not.toBe(pid);
    const after = await core.readNamespacedConfigMap({ name: "survivor", namespace: "default" }, timeoutAfter(10_000));
    expect(after.data).toEqual({ kept: "yes" });
  });
});
