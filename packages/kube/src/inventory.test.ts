import { describe, expect, it } from "vitest";
import { apiVersionOf, InvalidInventoryId, newInventory, parseId, staleEntries } from "./inventory.ts";
import type { KubeObject } from "./object.ts";

const obj = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
});

describe("newInventory", () => {
  it("records group/kind/namespace/name ids with their versions, sorted and deduplicated", () => {
    const inventory = newInventory([
      obj("apps/v1", "Deployment", "web", "shop"),
      obj("v1", "Namespace", "shop"),
      obj("v1", "ConfigMap", "settings", "shop"),
      obj("v1", "ConfigMap", "settings", "shop"),
    ]);
    expect(inventory.entries).toEqual([
      { id: "/ConfigMap/shop/settings", version: "v1" },
      { id: "/Namespace//shop", version: "v1" },
      { id: "apps/Deployment/shop/web", version: "v1" },
    ]);
  });
});

describe("staleEntries", () => {
  const a = obj("v1", "ConfigMap", "a", "ns");
  const b = obj("v1", "ConfigMap", "b", "ns");
  const cases: { name: string; previous: KubeObject[]; next: KubeObject[]; stale: string[] }[] = [
    { name: "nothing removed", previous: [a, b], next: [a, b], stale: [] },
    { name: "one removed", previous: [a, b], next: [a], stale: ["/ConfigMap/ns/b"] },
    { name: "everything removed", previous: [a, b], next: [], stale: ["/ConfigMap/ns/a", "/ConfigMap/ns/b"] },
    { name: "only additions", previous: [], next: [a], stale: [] },
    {
      name: "a move to another namespace leaves the old one stale",
      previous: [a],
      next: [obj("v1", "ConfigMap", "a", "other")],
      stale: ["/ConfigMap/ns/a"],
    },
    {
      name: "an API version bump is not a removal",
      previous: [obj("example.com/v1beta1", "Widget", "w", "ns")],
      next: [obj("example.com/v1", "Widget", "w", "ns")],
      stale: [],
    },
  ];
  it.each(cases)("$name", ({ previous, next, stale }) => {
    expect(staleEntries(newInventory(previous), newInventory(next)).map((e) => e.id)).toEqual(stale);
  });
});

describe("parseId and apiVersionOf", () => {
  it.each([
    ["apps/Deployment/shop/web", { group: "apps", kind: "Deployment", namespace: "shop", name: "web" }],
    ["/Namespace//shop", { group: "", kind: "Namespace", namespace: "", name: "shop" }],
  ])("parses %s", (id, ref) => {
    expect(parseId(id)).toEqual(ref);
  });

  it.each(["", "a/b/c", "apps/Deployment/ns/web/extra", "apps//ns/web", "apps/Deployment/ns/"])("rejects %j", (id) => {
    expect(() => parseId(id)).toThrow(InvalidInventoryId);
  });

  it("rebuilds the apiVersion from group and version", () => {
    expect(apiVersionOf({ id: "apps/Deployment/ns/web", version: "v1" })).toBe("apps/v1");
    expect(apiVersionOf({ id: "/ConfigMap/ns/c", version: "v1" })).toBe("v1");
  });
});
