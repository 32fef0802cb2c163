import { eventually } from "@flotilla/testbed";
import { describeWithRedis } from "@flotilla/testbed/vitest";
import { expect, it } from "vitest";
import type { ClusterChange } from "./cluster-types.ts";
import { freshStores } from "./testing/fresh-stores.ts";

const until = <T>(what: string, probe: () => T | undefined, timeoutMs = 10_000) =>
  eventually(what, probe, timeoutMs, 20);

describeWithRedis("cluster registry change watch (real Redis)", (info) => {
  const stores = freshStores(info.url);
  const open = stores.open;
  const agent = (name: string, labels: Record<string, string>) => ({
    name,
    server: `https://${name}:6443`,
    mode: "agent" as const,
    labels,
  });

  it("delivers added, relabelled (labelsChanged) and removed events in order", async () => {
    const store = await open();
    await store.clusters.register(agent("alpha", { env: "dev" }));
    const seen: ClusterChange[] = [];
    const stop = store.clusters.watch((c) => void seen.push(c), { fromVersion: await store.clusters.version() });
    try {
      await store.clusters.register(agent("beta", { env: "prod" }));
      await store.clusters.setLabels("alpha", { env: "prod" });
      await store.clusters.register({ ...agent("alpha", { env: "prod" }), server: "https://moved:6443" });
      await store.clusters.remove("beta");
      await until("4 events", () => (seen.length >= 4 ? true : undefined));
      expect(seen).toEqual([
        { type: "added", cluster: "beta", labelsChanged: true, version: 2 },
        { type: "updated", cluster: "alpha", labelsChanged: true, version: 3 },
        { type: "updated", cluster: "alpha", labelsChanged: false, version: 4 },
        { type: "removed", cluster: "beta", labelsChanged: true, version: 5 },
      ]);
    } finally {
      await stop();
    }
  });

  it("loses nothing across a dropped connection: changes made while it was down arrive after reconnect", async () => {
    const store = await open();
    const seen: ClusterChange[] = [];
    const stop = store.clusters.watch((c) => void seen.push(c), { blockMs: 200, retryDelayMs: 50 });
    await stop.ready;
    try {
      await store.clusters.register(agent("one", {}));
      await until("first event", () => seen[0]);
      const clients = await stores.redis.client("LIST");
      const watcher = String(clients)
        .split("\n")
        .find((line) => line.includes(`name=${store.keys.clusterEvents}:watch`));
      const id = watcher?.match(/\bid=(\d+)/)?.[1];
      expect(id).toBeDefined();
      await stores.redis.client("KILL", "ID", id!);
      await store.clusters.register(agent("two", {}));
      await store.clusters.register(agent("three", {}));
      await until("three events", () => (seen.length >= 3 ? true : undefined));
      expect(seen.map((c) => (c.type === "resync" ? "resync" : c.cluster))).toEqual(["one", "two", "three"]);
    } finally {
      await stop();
    }
  });

  it("catches up from an older version, and turns changes it can no longer see into a resync", async () => {
    const store = await open();
    await store.clusters.register(agent("a", {}));
    await store.clusters.register(agent("b", {}));
    await store.clusters.register(agent("c", {}));

    // Catch-up: a consumer that read the registry at version 1 gets exactly what came after.
    const caught: ClusterChange[] = [];
    const stopCatch = store.clusters.watch((c) => void caught.push(c), { fromVersion: 1 });
    await until("catch-up", () => (caught.length >= 2 ? true : undefined));
    await stopCatch();
    expect(caught.map((c) => c.version)).toEqual([2, 3]);

    // A missed event: the version moved but the stream lost the entry (trimmed away, or never written).
    const seen: ClusterChange[] = [];
    const stop = store.clusters.watch((c) => void seen.push(c), { blockMs: 100 });
    await stop.ready;
    try {
      await stores.redis.multi().incr(store.keys.clusterVersion).xtrim(store.keys.clusterEvents, "MAXLEN", 0).exec();
      const resync = await until("resync", () => seen.find((c) => c.type === "resync"));
      expect(resync).toEqual({ type: "resync", version: 4 });
      await store.clusters.register(agent("d", {}));
      await until("event after resync", () => seen.find((c) => c.type === "added"));
      expect(seen).toEqual([
        { type: "resync", version: 4 },
        { type: "added", cluster: "d", labelsChanged: true, version: 5 },
      ]);
    } finally {
      await stop();
    }
  });

  it("keeps watching when the handler throws", async () => {
    const store = await open();
    const seen: string[] = [];
    const stop = store.clusters.watch((c) => {
      if (c.type !== "resync") seen.push(c.cluster);
      if (seen.length === 1) throw new Error("handler bug");
    });
    await stop.ready;
    try {
      await store.clusters.register(agent("x", {}));
      await store.clusters.register(agent("y", {}));
      await until("both", () => (seen.length >= 2 ? true : undefined));
      expect(seen).toEqual(["x", "y"]);
    } finally {
      await stop();
    }
  });
});
