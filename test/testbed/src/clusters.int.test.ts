import { randomBytes } from "node:crypto";
import {
  ApiextensionsV1Api,
  ApisApi,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  KubernetesObjectApi,
  type V1ConfigMap,
  type V1CustomResourceDefinition,
  type V1Deployment,
  VersionApi,
  Watch,
} from "@kubernetes/client-node";
import { beforeAll, describe, expect, it } from "vitest";
import { pinnedVersions } from "./binaries.ts";
import { createTestNamespace, eventually, fieldManager, kubeConfigFor, serverSideApply } from "./testing/kube.ts";
import { describeWithClusters } from "./vitest.ts";

describeWithClusters("every test bed cluster", (clusters) => {
  it("has unique users, ports and kubeconfigs", () => {
    expect(clusters.length).toBeGreaterThanOrEqual(1);
    expect(new Set(clusters.map((c) => c.user)).size).toBe(clusters.length);
    expect(new Set(clusters.map((c) => c.apiUrl)).size).toBe(clusters.length);
    expect(new Set(clusters.map((c) => c.etcdPrefix)).size).toBe(clusters.length);
  });

  for (const cluster of clusters) {
    describe(cluster.name, () => {
      let kc: KubeConfig;
      let namespace: string;

      beforeAll(async () => {
        kc = kubeConfigFor(cluster);
        namespace = await createTestNamespace(kc, "testbed");
      });

      it("is the pinned kube-apiserver, reached with the kubeconfig's own user", async () => {
        const version = await kc.makeApiClient(VersionApi).getCode();
        expect(version.gitVersion).toBe(pinnedVersions()["KUBERNETES_VERSION"]);
        expect(kc.getCurrentUser()?.name).toBe(cluster.user);
        const list = await KubernetesObjectApi.makeApiClient(kc).list("v1", "Namespace");
        expect(list.items.map((n) => n.metadata?.name)).toContain(namespace);
      });

      it("server-side applies a ConfigMap with Flotilla's field manager and reads it back", async () => {
        const applied = await serverSideApply<V1ConfigMap>(kc, {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "settings", namespace },
          data: { colour: "blue" },
        });
        expect(applied.metadata?.uid).toBeTruthy();
        const read = await kc.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: "settings", namespace });
        expect(read.data).toEqual({ colour: "blue" });
        const managers = read.metadata?.managedFields?.map((f) => [f.manager, f.operation]);
        expect(managers).toContainEqual([fieldManager, "Apply"]);

        // A second apply that drops a key removes it: the server tracks what this manager owns.
        await serverSideApply<V1ConfigMap>(kc, {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "settings", namespace },
          data: { size: "large" },
        });
        const again = await kc.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: "settings", namespace });
        expect(again.data).toEqual({ size: "large" });
      });

      it("server-side applies a Deployment, defaults it, and it becomes Available with Pods on the KWOK node", async () => {
        expect(cluster.runsWorkloads).toBe(true);
        await serverSideApply<V1Deployment>(kc, deployment("web", namespace, 2));
        const apps = kc.makeApiClient(AppsV1Api);
        const read = await apps.readNamespacedDeployment({ name: "web", namespace });
        // Defaulted by the real API server, which a fake would not do.
        expect(read.spec?.strategy?.type).toBe("RollingUpdate");
        expect(read.metadata?.managedFields?.map((f) => f.manager)).toContain(fieldManager);

        const available = await eventually(
          "Deployment web to become Available",
          async () => {
            const d = await apps.readNamespacedDeployment({ name: "web", namespace });
            const condition = d.status?.conditions?.find((c) => c.type === "Available");
            return condition?.status === "True" && d.status?.availableReplicas === 2 ? d : undefined;
          },
          90_000,
        );
        expect(available.status?.readyReplicas).toBe(2);
        const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace, labelSelector: "app=web" });
        expect(pods.items).toHaveLength(2);
        for (const pod of pods.items) {
          expect(pod.spec?.nodeName).toBe("kwok-node-0");
          expect(pod.status?.phase).toBe("Running");
        }
      });

      it("creates a CRD that becomes Established and discoverable, and applies a custom object", async () => {
        // A group of its own per run, so that re-running in the same bed creates the CRD afresh.
        const group = `t${randomBytes(3).toString("hex")}.testbed.flotilla.dev`;
        const crd = widgetCrd(group);
        const extensions = kc.makeApiClient(ApiextensionsV1Api);
        await extensions.createCustomResourceDefinition({ body: crd });
        await eventually(
          "the Widget CRD to be Established",
          async () => {
            const read = await extensions.readCustomResourceDefinition({ name: `widgets.${group}` });
            return read.status?.conditions?.some((c) => c.type === "Established" && c.status === "True")
              ? true
              : undefined;
          },
          30_000,
        );
        const discovered = await eventually(
          "the Widget resource in discovery",
          async () => {
            const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
            if (!groups.groups.some((g) => g.name === group)) return undefined;
            const resources = await kc.makeApiClient(CustomObjectsApi).getAPIResources({ group, version: "v1" });
            return resources.resources.find((r) => r.name === "widgets");
          },
          30_000,
        );
        expect(discovered.kind).toBe("Widget");
        expect(discovered.namespaced).toBe(true);

        await serverSideApply(kc, {
          apiVersion: `${group}/v1`,
          kind: "Widget",
          metadata: { name: "sprocket", namespace },
          spec: { size: 3 },
        });
        const read = (await kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({
          group,
          version: "v1",
          namespace,
          plural: "widgets",
          name: "sprocket",
        })) as { spec: { size: number }; metadata: { managedFields: Array<{ manager: string }> } };
        expect(read.spec.size).toBe(3);
        expect(read.metadata.managedFields.map((f) => f.manager)).toContain(fieldManager);
      });

      it("delivers watch events", async () => {
        const events: Array<{ phase: string; name: string | undefined }> = [];
        let finished = false;
        let onAdded: () => void = () => {};
        let onError: (error: Error) => void = () => {};
        const added = new Promise<void>((resolve, reject) => {
          onAdded = resolve;
          onError = reject;
        });
        // watch() resolves once the server has answered, so an object created afterwards must be seen.
        const watch = await new Watch(kc).watch(
          `/api/v1/namespaces/${namespace}/configmaps`,
          { labelSelector: "watched=yes" },
          (phase: string, object: V1ConfigMap) => {
            events.push({ phase, name: object.metadata?.name });
            if (phase === "ADDED" && object.metadata?.name === "watched") onAdded();
          },
          (error: unknown) => {
            if (!finished) onError(new Error(`watch ended before the event arrived: ${String(error)}`));
          },
        );
        try {
          await kc.makeApiClient(CoreV1Api).createNamespacedConfigMap({
            namespace,
            body: { metadata: { name: "watched", labels: { watched: "yes" } }, data: { a: "1" } },
          });
          await added;
        } finally {
          finished = true;
          watch.abort();
        }
        expect(events).toContainEqual({ phase: "ADDED", name: "watched" });
      });
    });
  }
});

function deployment(name: string, namespace: string, replicas: number): V1Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        // KWOK never pulls or runs the image: the name only has to be valid.
        spec: { containers: [{ name, image: "registry.invalid/flotilla/web:1" }] },
      },
    },
  };
}

function widgetCrd(group: string): V1CustomResourceDefinition {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      scope: "Namespaced",
      names: { plural: "widgets", singular: "widget", kind: "Widget" },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: "object",
              properties: { spec: { type: "object", properties: { size: { type: "integer" } } } },
            },
          },
        },
      ],
    },
  };
}
