import type { ApplicationSet, Cluster } from "@flotilla/core";
import { describe, expect, it } from "vitest";
import { clustersDigest, inputFingerprint } from "./input-fingerprint.ts";

const template = {
  metadata: { name: "{{name}}" },
  spec: { source: { repoURL: "https://git.example/x.git" }, destination: { cluster: "{{name}}" } },
};
const withGenerators = (generators: ApplicationSet["spec"]["generators"]): ApplicationSet => ({
  apiVersion: "flotilla.dev/v1alpha1",
  kind: "ApplicationSet",
  metadata: { name: "s" },
  spec: { generators, template },
});
const cluster = (name: string, env: string): Cluster => ({
  name,
  server: `https://${name}`,
  labels: { env },
  annotations: {},
});

describe("inputFingerprint", () => {
  const clusters = clustersDigest([cluster("a", "prod"), cluster("b", "dev")]);

  it("is stable for equal inputs and changes with the ApplicationSet, its file or the registry", () => {
    const set = withGenerators([{ clusters: {} }]);
    const fp = inputFingerprint(set, "f.yaml", clusters);
    expect(inputFingerprint(withGenerators([{ clusters: {} }]), "f.yaml", clusters)).toBe(fp);
    expect(inputFingerprint(withGenerators([{ clusters: { values: { x: "1" } } }]), "f.yaml", clusters)).not.toBe(fp);
    expect(inputFingerprint(set, "g.yaml", clusters)).not.toBe(fp);
    expect(inputFingerprint(set, "f.yaml", clustersDigest([cluster("a", "prod"), cluster("b", "prod")]))).not.toBe(fp);
  });

  it("does not depend on the registry's order", () => {
    expect(clustersDigest([cluster("b", "dev"), cluster("a", "prod")])).toBe(clusters);
  });

  it("is unknown for ApplicationSets that read Git, at any depth", () => {
    const git = { git: { repoURL: "https://git.example/x.git", directories: [{ path: "*" }] } };
    expect(inputFingerprint(withGenerators([git]), "f.yaml", clusters)).toBeUndefined();
    expect(
      inputFingerprint(withGenerators([{ matrix: { generators: [{ clusters: {} }, git] } }]), "f.yaml", clusters),
    ).toBeUndefined();
  });
});
