import type { ApplicationSource, RepoTree } from "@flotilla/core";
import { describe, expect, it } from "vitest";
import { detectSourceKind } from "./detect.ts";

const tree: RepoTree = {
  files: [
    "plain/a.yaml",
    "kust/kustomization.yaml",
    "kust-yml/kustomization.yml",
    "kust-bare/Kustomization",
    "chart/Chart.yaml",
    "chart/templates/cm.yaml",
    "both/Chart.yaml",
    "both/kustomization.yaml",
    "nested/sub/Chart.yaml",
    "root.yaml",
  ],
  directories: ["plain", "kust", "kust-yml", "kust-bare", "chart", "chart/templates", "both", "nested", "nested/sub"],
};
const src = (path: string, extra: Partial<ApplicationSource> = {}): ApplicationSource => ({
  repoURL: "https://git.example/fleet.git",
  path,
  ...extra,
});

describe("detectSourceKind", () => {
  it.each([
    ["plain", "directory"],
    ["kust", "kustomize"],
    ["kust-yml", "kustomize"],
    ["kust-bare", "kustomize"],
    ["chart", "helm"],
    ["both", "kustomize"],
    ["nested", "directory"],
    ["", "directory"],
  ])("%s → %s", (path, kind) => {
    expect(detectSourceKind(src(path), path, tree)).toBe(kind);
  });

  it("refuses a missing path, a file, and repository charts", () => {
    expect(() => detectSourceKind(src("nope"), "nope", tree)).toThrow(
      'source.path "nope" does not exist at this commit',
    );
    expect(() => detectSourceKind(src("root.yaml"), "root.yaml", tree)).toThrow(
      'source.path "root.yaml" is a file; it must be a directory',
    );
    expect(() => detectSourceKind(src("", { chart: "nginx" }), "", tree)).toThrow(
      /^source.chart "nginx": charts from Helm repositories are not supported/,
    );
  });
});
