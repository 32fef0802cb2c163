import { describe, expect, it } from "vitest";
import { syncPhaseOf } from "./sync-phase.ts";

describe("syncPhaseOf", () => {
  it.each([
    [{ kind: "applied" } as const, "Succeeded"],
    [{ kind: "failed", retryable: false } as const, "Failed"],
    [{ kind: "failed", retryable: true } as const, "Error"],
    [{ kind: "looked" } as const, undefined],
  ])("%j is %s", (outcome, phase) => {
    expect(syncPhaseOf(outcome)).toBe(phase);
  });
});
