import { describeWithClusters } from "@flotilla/testbed/vitest";
import { AppsV1Api, CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { beforeAll, beforeEach, expect, it } from "vitest";
import { failures } from "./changeset.ts";
import { isUnknownKind } from "./errors/predicates.ts";
import { APPLICATION_LABEL, APPSET_LABEL, COMMIT_ANNOTATION } from "./labels.ts";
import { ResourceManager } from "./manager.ts";
import { configMap, deployment, freshNamespace, kubeConfigOf, uniqueName, widgetCrd } from "./test-support.ts";

const owner = { application: "guestbook-dev", appSet: "guestbook", commit: "0123456789abcdef0123456789abcdef01234567" };

describeWithClusters("ResourceManager.apply against a real API server", (clusters) => {
  const cluster = clusters[0]!;
  let kc: KubeConfig;
  let manager: ResourceManager;
  let namespace: string;

  beforeAll(() => {
    kc = kubeConfigOf(cluster.kubeconfig);
    manager = ResourceManager.fromKubeconfig(cluster.kubeconfig);
  });
  beforeEach(async () => {
    namespace = await freshNamespace(kc, "kube-apply");
  });

  it("server-side applies a ConfigMap and a Deployment under field manager flotilla, stamped with their owner", async () => {
    const objects = [deployment("web"), configMap("settings", { colour: "blue" })];
    const changes = await manager.apply(objects, { ...owner, namespace });

    expect(failures(changes)).toEqual([]);
    expect(changes.entries.map((e) => [e.subject, e.action])).toEqual([
      [`ConfigMap/${namespace}/settings`, "created"],
      [`Deployment/${namespace}/web`, "created"],
    ]);
    expect(changes.entries[1]?.id).toBe(`apps/Deployment/${namespace}/web`);

    const cm = await kc.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: "settings", namespace });
    expect(cm.data).toEqual({ colour: "blue" });
    expect(cm.metadata?.labels?.[APPLICATION_LABEL]).toBe("guestbook-dev");
    expect(cm.metadata?.labels?.[APPSET_LABEL]).toBe("guestbook");
    expect(cm.metadata?.annotations?.[COMMIT_ANNOTATION]).toBe(owner.commit);
    expect(cm.metadata?.managedFields?.map((f) => [f.manager, f.operation])).toContainEqual(["flotilla", "Apply"]);

    const web = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: "web", namespace });
    expect(web.metadata?.labels?.[APPLICATION_LABEL]).toBe("guestbook-dev");
  });

  it("reports a second identical apply as unchanged, and a changed field as configured", async () => {
    const objects = [configMap("settings", { colour: "blue" }), deployment("web")];
    await manager.apply(objects, { ...owner, namespace });

    const again = await manager.apply(objects, { ...owner, namespace });
    expect(again.entries.map((e) => e.action)).toEqual(["unchanged", "unchanged"]);

    const changed = await manager.apply([configMap("settings", { colour: "red" }), deployment("web")], {
      ...owner,
      namespace,
    });
    expect(changed.entries.map((e) => e.action)).toEqual(["configured", "unchanged"]);
  });

  it("without reading first, tells created from configured by the apply's own answer", async () => {
    const objects = [configMap("settings", { colour: "blue" }), deployment("web")];
    const first = await manager.apply(objects, { ...owner, namespace, readLive: false });
    expect(first.entries.map((e) => e.action)).toEqual(["created", "created"]);
    const next = { ...owner, commit: "fedcba9876543210fedcba9876543210fedcba98" };
    const again = await manager.apply(objects, { ...next, namespace, readLive: false });
    expect(again.entries.map((e) => e.action)).toEqual(["configured", "configured"]);
    const cm = await kc.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: "settings", namespace });
    expect(cm.metadata?.annotations?.[COMMIT_ANNOTATION]).toBe(next.commit);
  });

  it("applies a CRD and a custom resource of it in one set, waiting for the CRD to be established", async () => {
    const group = `${uniqueName("w")}.flotilla.test`;
    const widget = {
      apiVersion: `${group}/v1`,
      kind: "Widget",
      metadata: { name: "gizmo" },
      spec: { size: 3, nested: { free: "form" } },
    };
    const changes = await manager.apply([widget, widgetCrd(group)], { ...owner, namespace });

    expect(failures(changes)).toEqual([]);
    expect(changes.entries.map((e) => e.subject)).toEqual([
      `CustomResourceDefinition/widgets.${group}`,
      `Widget/${namespace}/gizmo`,
    ]);
    expect(changes.entries.map((e) => e.action)).toEqual(["created", "created"]);
  });

  it("creates the destination namespace when asked, without owning it", async () => {
    const target = uniqueName("kube-created");
    const changes = await manager.apply([configMap("settings", { a: "1" })], {
      ...owner,
      namespace: target,
      createNamespace: true,
    });
    expect(failures(changes)).toEqual([]);
    expect(changes.entries.map((e) => [e.subject, e.action, e.owned])).toEqual([
      [`Namespace/${target}`, "created", false],
      [`ConfigMap/${target}/settings`, "created", true],
    ]);
    const ns = await kc.makeApiClient(CoreV1Api).readNamespace({ name: target });
    expect(ns.metadata?.labels?.[APPLICATION_LABEL]).toBeUndefined();
  });

  it("without CreateNamespace, an object for a missing namespace fails on its own entry", async () => {
    const target = uniqueName("kube-missing");
    const changes = await manager.apply([configMap("settings", { a: "1" })], { ...owner, namespace: target });
    expect(changes.entries[0]?.error?.message).toMatch(
      new RegExp(`^ConfigMap/${target}/settings apply failed \\(.*not found`),
    );
  });

  it("fails an unknown kind with a clear per-object error and still applies the rest", async () => {
    const bogus = { apiVersion: "nope.flotilla.test/v1", kind: "Gadget", metadata: { name: "g" } };
    const typo = { apiVersion: "apps/v1", kind: "Deploymnet", metadata: { name: "d" } };
    const changes = await manager.apply([bogus, typo, configMap("settings", { a: "1" })], { ...owner, namespace });

    const failed = failures(changes);
    expect(failed.map((e) => e.error?.message)).toEqual([
      'Deploymnet/d apply failed (no kind "Deploymnet" is served in apiVersion "apps/v1" on this cluster)',
      'Gadget/g apply failed (no kind "Gadget" is served in apiVersion "nope.flotilla.test/v1" on this cluster)',
    ]);
    expect(failed.every((e) => isUnknownKind(e.error))).toBe(true);
    expect(changes.entries.find((e) => e.subject === `ConfigMap/${namespace}/settings`)?.action).toBe("created");
  });

  it("names the object and the reason when a field is immutable", async () => {
    await manager.apply([deployment("web")], { ...owner, namespace });
    const moved = deployment("web");
    (moved["spec"] as { selector: unknown }).selector = { matchLabels: { app: "other" } };
    (moved["spec"] as { template: { metadata: { labels: unknown } } }).template.metadata.labels = { app: "other" };
    const changes = await manager.apply([moved], { ...owner, namespace });
    expect(changes.entries[0]?.error?.message).toBe(
      `Deployment/${namespace}/web apply failed (spec.selector: field is immutable)`,
    );
  });
});
