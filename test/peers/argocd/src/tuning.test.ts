import { describe, expect, it } from "vitest";
import { defaultTuning, documentedTuning, tuningArguments } from "./tuning.ts";

describe("tuningArguments", () => {
  it("adds nothing for Argo CD's defaults", () => {
    expect(tuningArguments(defaultTuning)).toEqual({ controllerArgs: [], env: {} });
  });

  it("turns the documented tuning into controller flags and client QPS/burst variables", () => {
    expect(tuningArguments(documentedTuning)).toEqual({
      controllerArgs: ["--status-processors=50", "--operation-processors=25", "--kubectl-parallelism-limit=50"],
      env: { ARGOCD_K8S_CLIENT_QPS: "100", ARGOCD_K8S_CLIENT_BURST: "200" },
    });
  });
});
