import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { kwokFailureStagesFile } from "./workloads.ts";

interface Stage {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    resourceRef: { apiGroup: string; kind: string };
    weight?: number;
    selector: { matchExpressions: { key: string; operator: string; values?: string[] }[] };
  };
}

describe("the test bed's KWOK failure stages", () => {
  const stages = parseAllDocuments(readFileSync(kwokFailureStagesFile, "utf8"))
    .map((doc) => doc.toJS() as Stage | null)
    .filter((stage): stage is Stage => stage !== null);

  it("are Pod stages with unique names", () => {
    expect(stages.length).toBeGreaterThanOrEqual(5);
    for (const stage of stages) {
      expect(stage.apiVersion).toBe("kwok.x-k8s.io/v1alpha1");
      expect(stage.kind).toBe("Stage");
      expect(stage.spec.resourceRef).toEqual({ apiGroup: "v1", kind: "Pod" });
      expect(stage.metadata.name).toMatch(/^flotilla-pod-/);
    }
    expect(new Set(stages.map((s) => s.metadata.name)).size).toBe(stages.length);
  });

  it("outrank KWOK's default stages (weight 0) and leave deleted Pods to its delete stage", () => {
    for (const stage of stages) {
      expect(stage.spec.weight, stage.metadata.name).toBeGreaterThan(0);
      expect(stage.spec.selector.matchExpressions, stage.metadata.name).toContainEqual({
        key: ".metadata.deletionTimestamp",
        operator: "DoesNotExist",
      });
    }
  });
});
