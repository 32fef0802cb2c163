import { describe, expect, it } from "vitest";
import type { KubeObject } from "./object.ts";
import { applyStage, sortForApply, sortForDelete, stagesOf } from "./order.ts";

const obj = (kind: string, name: string, namespace?: string): KubeObject => ({
  apiVersion: "v1",
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
});
const names = (objects: KubeObject[]) =>
  objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`);

describe("apply order", () => {
  const input = [
    obj("Widget", "w", "a"),
    obj("Deployment", "web", "a"),
    obj("Service", "web", "a"),
    obj("ConfigMap", "b", "a"),
    obj("ConfigMap", "a", "b"),
    obj("ConfigMap", "a", "a"),
    obj("CustomResourceDefinition", "widgets.example.com"),
    obj("Namespace", "a"),
    obj("Gadget", "g", "a"),
    obj("ServiceAccount", "runner", "a"),
  ];

  it("puts namespaces and CRDs first, then a fixed kind order, then unknown kinds by name", () => {
    expect(names(sortForApply(input))).toEqual([
      "Namespace//a",
      "CustomResourceDefinition//widgets.example.com",
      "ServiceAccount/a/runner",
      "ConfigMap/a/a",
      "ConfigMap/a/b",
      "ConfigMap/b/a",
      "Service/a/web",
      "Deployment/a/web",
      "Gadget/a/g",
      "Widget/a/w",
    ]);
  });

  it("is deterministic whatever the input order", () => {
    expect(names(sortForApply([...input].reverse()))).toEqual(names(sortForApply(input)));
  });

  it("deletes kinds in reverse, names still ascending", () => {
    expect(
      names(
        sortForDelete([
          obj("Namespace", "a"),
          obj("ConfigMap", "x", "a"),
          obj("ConfigMap", "y", "a"),
          obj("Deployment", "d", "a"),
        ]),
      ),
    ).toEqual(["Deployment/a/d", "ConfigMap/a/x", "ConfigMap/a/y", "Namespace//a"]);
  });

  it("splits into the two stages", () => {
    expect(applyStage(obj("Namespace", "a"))).toBe(0);
    expect(applyStage(obj("CustomResourceDefinition", "x"))).toBe(0);
    expect(applyStage(obj("ConfigMap", "x"))).toBe(1);
    const [first, rest] = stagesOf(input);
    expect(names(first)).toEqual(["Namespace//a", "CustomResourceDefinition//widgets.example.com"]);
    expect(rest).toHaveLength(input.length - 2);
  });

  it("does not modify its input", () => {
    const copy = [...input];
    sortForApply(input);
    expect(input).toEqual(copy);
  });
});
