import { describeWithClusters } from "@flotilla/testbed/vitest";
import { CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { beforeAll, beforeEach, expect, it } from "vitest";
import { isNotFound } from "./errors/predicates.ts";
import { newInventory, staleEntries } from "./inventory.ts";
import { PRESERVE_ANNOTATION, PRUNE_ANNOTATION } from "./labels.ts";
import { ResourceManager } from "./manager.ts";
import type { KubeObject } from "./object.ts";
import { configMap, freshNamespace, kubeConfigOf } from "./test-support.ts";

const owner = { application: "shop-prod", commit: "1111111111111111111111111111111111111111" };

describeWithClusters("ResourceManager.prune against a real API server", (clusters) => {
  const cluster = clusters[0]!;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let manager: ResourceManager;
  let namespace: string;

  const exists = async (name: string): Promise<boolean> => {
    try {
      await core.readNamespacedConfigMap({ name, namespace });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 404) return false;
      throw error;
    }
  };
  const inNs = (objects: KubeObject[]) => objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace } }));

  beforeAll(() => {
    kc = kubeConfigOf(cluster.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    manager = ResourceManager.fromKubeconfig(cluster.kubeconfig);
  });
  beforeEach(async () => {
    namespace = await freshNamespace(kc, "kube-prune");
  });

  it("deletes what left Git, keeps what stayed", async () => {
    const before = inNs([configMap("a", { v: "1" }), configMap("b", { v: "1" })]);
    await manager.apply(before, { ...owner, namespace });
    const after = inNs([configMap("a", { v: "1" })]);
    await manager.apply(after, { ...owner, namespace });

    const stale = staleEntries(newInventory(before), newInventory(after));
    const changes = await manager.prune(stale, { application: owner.application });
    expect(changes.entries.map((e) => [e.subject, e.action])).toEqual([[`ConfigMap/${namespace}/b`, "deleted"]]);
    expect(await exists("a")).toBe(true);
    expect(await exists("b")).toBe(false);
  });

  it("never deletes an object that is not ours, even under a stale inventory id", async () => {
    // Someone else's ConfigMap with the name our inventory remembers.
    await core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: "shared" }, data: { theirs: "yes" } },
    });
    const other = await manager.apply(inNs([configMap("taken", { v: "1" })]), {
      ...owner,
      application: "someone-else",
      namespace,
    });
    expect(other.entries[0]?.action).toBe("created");

    const stale = newInventory(inNs([configMap("shared", {}), configMap("taken", {})])).entries;
    const changes = await manager.prune(stale, { application: owner.application });
    expect(changes.entries.map((e) => [e.subject, e.action, e.reason])).toEqual([
      [`ConfigMap/${namespace}/shared`, "skipped", `not owned by ${owner.application}`],
      [`ConfigMap/${namespace}/taken`, "skipped", `not owned by ${owner.application}`],
    ]);
    expect(await exists("shared")).toBe(true);
    expect(await exists("taken")).toBe(true);
  });

  it("never deletes the same Application name's objects when another ApplicationSet applied them", async () => {
    await manager.apply(inNs([configMap("mine", { v: "1" })]), { ...owner, appSet: "shop", namespace });
    await manager.apply(inNs([configMap("theirs", { v: "1" })]), { ...owner, appSet: "copy", namespace });
    const stale = newInventory(inNs([configMap("mine", {}), configMap("theirs", {})])).entries;
    const changes = await manager.deleteApplication(
      { entries: stale },
      { application: owner.application, appSets: ["shop"] },
    );
    expect(changes.entries.map((e) => [e.subject, e.action, e.reason])).toEqual([
      [`ConfigMap/${namespace}/mine`, "deleted", undefined],
      [`ConfigMap/${namespace}/theirs`, "skipped", `not owned by ${owner.application} of ApplicationSet shop`],
    ]);
    expect(await exists("theirs")).toBe(true);
  });

  it("honours the preserve and prune-disabled annotations, and deletes the rest with the Application", async () => {
    const keep = configMap("keep", { v: "1" });
    keep.metadata.annotations = { [PRESERVE_ANNOTATION]: "true" };
    const pinned = configMap("pinned", { v: "1" });
    pinned.metadata.annotations = { [PRUNE_ANNOTATION]: "disabled" };
    const objects = inNs([keep, pinned, configMap("gone", { v: "1" })]);
    await manager.apply(objects, { ...owner, namespace });

    const changes = await manager.deleteApplication(newInventory(objects), { application: owner.application });
    const byName = Object.fromEntries(changes.entries.map((e) => [e.subject.split("/").at(-1), [e.action, e.reason]]));
    expect(byName).toEqual({
      gone: ["deleted", undefined],
      keep: ["skipped", "preserved by annotation"],
      pinned: ["skipped", "preserved by annotation"],
    });
    expect(await exists("keep")).toBe(true);
    expect(await exists("pinned")).toBe(true);
    expect(await exists("gone")).toBe(false);
  });

  it("treats an entry already gone as skipped, not as an error", async () => {
    const stale = newInventory(inNs([configMap("never-there", {})])).entries;
    const changes = await manager.prune(stale, { application: owner.application });
    expect(changes.entries.map((e) => [e.action, e.reason, e.error])).toEqual([["skipped", "already gone", undefined]]);
    expect(isNotFound(changes.entries[0]?.error)).toBe(false);
  });
});
