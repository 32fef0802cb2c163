import { describe, expect, it } from "vitest";
import { overlayKustomization, parseImageOverride } from "./kustomize-overlay.ts";

describe("parseImageOverride", () => {
  it.each([
    ["nginx:1.25", { name: "nginx", newTag: "1.25" }],
    [
      "nginx=registry.example:5000/nginx:1.25",
      { name: "nginx", newName: "registry.example:5000/nginx", newTag: "1.25" },
    ],
    ["registry.example:5000/app", { name: "registry.example:5000/app" }],
    ["app=other", { name: "app", newName: "other" }],
    ["app@sha256:abc", { name: "app", digest: "sha256:abc" }],
  ])("%s", (spec, expected) => {
    expect(parseImageOverride(spec)).toEqual(expected);
  });

  it.each(["", "a b", "=x:1", "app:", "app@"])("refuses %j", (spec) => {
    expect(() => parseImageOverride(spec)).toThrow(`source.kustomize.images entry ${JSON.stringify(spec)}`);
  });
});

describe("overlayKustomization", () => {
  it("is absent without settings", () => {
    expect(overlayKustomization(undefined, "../repo/app")).toBeUndefined();
    expect(overlayKustomization({ images: [], commonLabels: {} }, "../repo/app")).toBeUndefined();
  });

  it("references the source directory and carries every setting", () => {
    expect(
      overlayKustomization(
        {
          namePrefix: "p-",
          nameSuffix: "-s",
          namespace: "ns",
          images: ["nginx:1.25"],
          commonLabels: { team: "a" },
          commonAnnotations: { note: "x" },
        },
        "../repo/app",
      ),
    ).toEqual({
      apiVersion: "kustomize.config.k8s.io/v1beta1",
      kind: "Kustomization",
      resources: ["../repo/app"],
      namePrefix: "p-",
      nameSuffix: "-s",
      namespace: "ns",
      images: [{ name: "nginx", newTag: "1.25" }],
      commonLabels: { team: "a" },
      commonAnnotations: { note: "x" },
    });
  });
});
