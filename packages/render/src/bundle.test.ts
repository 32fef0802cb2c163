import { describe, expect, it } from "vitest";
import { bundleDigest, groupOf, type KubernetesObject, objectId, sortManifests } from "./bundle.ts";

const cm = (name: string, ns?: string, data: Record<string, string> = {}): KubernetesObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: ns === undefined ? { name } : { name, namespace: ns },
  data,
});
const deploy: KubernetesObject = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "a", labels: { x: "1", a: "2" } },
  spec: { replicas: 2 },
};

describe("bundleDigest", () => {
  it("is stable for the same manifests", () => {
    expect(bundleDigest([cm("a"), deploy])).toBe(bundleDigest([cm("a"), deploy]));
    expect(bundleDigest([cm("a")])).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("does not depend on manifest order or key order", () => {
    const reordered: KubernetesObject = {
      spec: { replicas: 2 },
      metadata: { labels: { a: "2", x: "1" }, namespace: "a", name: "web" },
      kind: "Deployment",
      apiVersion: "apps/v1",
    };
    expect(bundleDigest([deploy, cm("a"), cm("b", "x")])).toBe(bundleDigest([cm("b", "x"), cm("a"), reordered]));
  });

  it("changes when any content changes", () => {
    expect(bundleDigest([cm("a", undefined, { k: "1" })])).not.toBe(bundleDigest([cm("a", undefined, { k: "2" })]));
    expect(bundleDigest([cm("a")])).not.toBe(bundleDigest([cm("a"), cm("b")]));
    expect(bundleDigest([])).not.toBe(bundleDigest([cm("a")]));
  });
});

describe("sortManifests", () => {
  it("orders by group, kind, namespace, name", () => {
    const sorted = sortManifests([deploy, cm("b", "x"), cm("a", "x"), cm("z")]).map(objectId);
    expect(sorted).toEqual(["/ConfigMap//z", "/ConfigMap/x/a", "/ConfigMap/x/b", "apps/Deployment/a/web"]);
  });

  it("identifies objects by group, not version", () => {
    expect(groupOf("apps/v1")).toBe("apps");
    expect(groupOf("v1")).toBe("");
    expect(objectId({ ...deploy, apiVersion: "apps/v1beta1" })).toBe(objectId(deploy));
  });
});
