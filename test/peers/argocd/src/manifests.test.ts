import { describe, expect, it } from "vitest";
import { argoCdSettings, clusterSecret, objectPath } from "./manifests.ts";

describe("argoCdSettings", () => {
  it("puts the ConfigMaps, Secret and default project in the given namespace", () => {
    const objects = argoCdSettings({
      namespace: "argocd-x",
      config: { "timeout.reconciliation": "30s" },
      serverSecretKey: "k",
    });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      "Namespace/argocd-x",
      "ConfigMap/argocd-cm",
      "ConfigMap/argocd-cmd-params-cm",
      "ConfigMap/argocd-rbac-cm",
      "Secret/argocd-secret",
      "AppProject/default",
    ]);
    expect(objects.slice(1).every((o) => o.metadata.namespace === "argocd-x")).toBe(true);
    expect(objects[1]?.["data"]).toEqual({ "timeout.reconciliation": "30s" });
    expect(objects[4]?.["stringData"]).toEqual({ "server.secretkey": "k" });
  });
});

describe("clusterSecret", () => {
  const cluster = { name: "bravo", server: "https://127.0.0.1:6443", caPem: "PEM", token: "t0k" };

  it("registers the cluster as `argocd cluster add` would, labels kept for selectors", () => {
    const secret = clusterSecret("argocd", { ...cluster, labels: { env: "prod" }, annotations: { team: "a" } });
    expect(secret.metadata).toEqual({
      name: "cluster-bravo",
      namespace: "argocd",
      labels: { env: "prod", "argocd.argoproj.io/secret-type": "cluster" },
      annotations: { team: "a" },
    });
    const data = secret["stringData"] as Record<string, string>;
    expect(data["name"]).toBe("bravo");
    expect(data["server"]).toBe("https://127.0.0.1:6443");
    expect(JSON.parse(data["config"] ?? "")).toEqual({
      bearerToken: "t0k",
      tlsClientConfig: { insecure: false, caData: Buffer.from("PEM").toString("base64") },
    });
  });

  it("refuses a caller's secret-type label rather than silently overwriting it", () => {
    expect(() =>
      clusterSecret("argocd", { ...cluster, labels: { "argocd.argoproj.io/secret-type": "repository" } }),
    ).toThrow(/cluster bravo: label argocd.argoproj.io\/secret-type is set by the harness/);
  });
});

describe("objectPath", () => {
  it.each([
    [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "argocd" } }, "/api/v1/namespaces/argocd"],
    [
      { apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "argocd" } },
      "/api/v1/namespaces/argocd/secrets/s",
    ],
    [
      { apiVersion: "argoproj.io/v1alpha1", kind: "ApplicationSet", metadata: { name: "a b", namespace: "argocd" } },
      "/apis/argoproj.io/v1alpha1/namespaces/argocd/applicationsets/a%20b",
    ],
    [
      { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "x.argoproj.io" } },
      "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/x.argoproj.io",
    ],
  ])("%o → %s", (object, path) => {
    expect(objectPath(object)).toBe(path);
  });

  it("names a kind it does not know", () => {
    expect(() => objectPath({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" } })).toThrow(
      "Deployment/d: kind not known to the Argo CD harness",
    );
  });
});
