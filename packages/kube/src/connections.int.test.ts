import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { describeWithClusters } from "@flotilla/testbed/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ResourceManager } from "./manager.ts";
import { configMap, freshNamespace, kubeConfigOf } from "./test-support.ts";

// undici announces each new connection here (client-node's undici and Node's own alike).
const CONNECTED = "undici:client:connected";

describeWithClusters("a manager's requests share one pool of connections to its cluster", (clusters) => {
  const cluster = clusters[0]!;
  const port = new URL(cluster.apiUrl).port;
  let opened = 0;
  const count = (message: unknown): void => {
    const params = (message as { connectParams?: { port?: string | number } }).connectParams;
    if (String(params?.port) === port) opened++;
  };

  beforeAll(() => subscribe(CONNECTED, count));
  afterAll(() => unsubscribe(CONNECTED, count));

  it("opens a handful of connections for many requests and a watch, not one per request", async () => {
    const namespace = await freshNamespace(kubeConfigOf(cluster.kubeconfig), "kube-pool");
    const manager = ResourceManager.fromKubeconfig(cluster.kubeconfig);
    opened = 0;
    for (let i = 0; i < 15; i++) expect((await manager.version()).gitVersion).toMatch(/^v1\./);
    const objects = Array.from({ length: 8 }, (_, i) => configMap(`pooled-${i}`, { i: String(i) }));
    const applied = await manager.apply(objects, { application: "pooled", commit: "1".repeat(40), namespace });
    expect(applied.entries.filter((e) => e.error !== undefined)).toEqual([]);
    const seen: string[] = [];
    const controller = await manager.watch(
      { apiVersion: "v1", kind: "ConfigMap", labelSelector: "flotilla.dev/application", timeoutSeconds: 10 },
      (phase, object) => {
        const name = (object as { metadata?: { name?: string } }).metadata?.name;
        if (phase === "ADDED" && name?.startsWith("pooled-")) seen.push(name);
      },
      () => undefined,
    );
    const drift = await manager.diff(objects, { application: "pooled", commit: "1".repeat(40), namespace });
    expect(drift.filter((d) => d.drifted)).toEqual([]);
    controller.abort();
    // 15 reads, 8 applies (with their discovery), a watch and 8 dry-runs: each used to open its own connection.
    expect(seen.sort()).toEqual(objects.map((o) => o.metadata.name).sort());
    expect(opened).toBeGreaterThan(0);
    expect(opened).toBeLessThanOrEqual(10);
  });
});
