import { pauseCluster, resumeCluster } from "@flotilla/testbed";
import { describeWithClusters } from "@flotilla/testbed/vitest";
import { expect, it } from "vitest";
import { failures } from "./changeset.ts";
import { isUnreachable } from "./errors/predicates.ts";
import { ResourceManager } from "./manager.ts";
import { configMap } from "./test-support.ts";

describeWithClusters("an unreachable cluster", (clusters) => {
  const cluster = clusters[clusters.length - 1]!;

  it("fails each object within the request deadline with an unreachable error, and recovers after", async () => {
    const seen: boolean[] = [];
    const manager = ResourceManager.fromKubeconfig(cluster.kubeconfig, {
      requestTimeoutMs: 1_000,
      observeReachability: (reachable) => seen.push(reachable),
    });
    const objects = [configMap("a", { v: "1" }), configMap("b", { v: "1" })];
    const request = { application: "paused", commit: "4444444444444444444444444444444444444444", namespace: "default" };

    pauseCluster(cluster);
    let changes: Awaited<ReturnType<ResourceManager["apply"]>>;
    const started = Date.now();
    try {
      changes = await manager.apply(objects, request);
    } finally {
      resumeCluster(cluster);
    }
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(failures(changes).length).toBe(2);
    expect(changes.entries.every((e) => isUnreachable(e.error))).toBe(true);
    expect(changes.entries[0]?.error?.message).toMatch(
      /^ConfigMap\/(default\/)?a apply failed \(cluster at .* unreachable/,
    );

    // What the worker's metrics report as the cluster's connection status: the last request's answer.
    expect(seen.at(-1)).toBe(false);
    const again = await manager.apply(objects, request);
    expect(failures(again)).toEqual([]);
    expect(seen.at(-1)).toBe(true);
  });
});
