import type { GenerationRecord, HoldRecord } from "@flotilla/store";
import { describe, expect, it } from "vitest";
import { detailOf, summaryOf } from "./views.ts";

const record = (over: Partial<GenerationRecord> = {}): GenerationRecord => ({
  appSet: "shop",
  commit: "c1",
  time: "2026-12-01T10:00:00.000Z",
  counts: { applications: 4, creates: 0, updates: 0, deletes: 0, unchanged: 4, errors: 0 },
  errors: [],
  errorsTruncated: false,
  file: "appsets/shop.yaml",
  ...over,
});
const hold = (kind: HoldRecord["kind"]): HoldRecord => ({
  appSet: "shop",
  kind,
  reason: "why",
  applications: [{ application: "a", cluster: "x" }, { application: "b" }],
  since: "2026-12-01T09:00:00.000Z",
  commit: "c1",
});

describe("summaryOf", () => {
  it.each([
    ["in force", {}, { held: 0, removed: false, frozen: false }],
    ["held by the guard", { hold: hold("shrink") }, { held: 2, removed: false, frozen: false }],
    ["left Git", { hold: hold("removed") }, { held: 2, removed: true, frozen: false }],
    [
      "a failed generation",
      { record: record({ generatorError: "git down" }) },
      { held: 0, removed: false, frozen: true, generatorError: "git down" },
    ],
  ])("%s", (_, facts, expected) => {
    expect(summaryOf({ record: record(), ...facts })).toMatchObject({
      name: "shop",
      file: "appsets/shop.yaml",
      commit: "c1",
      lastGeneration: "2026-12-01T10:00:00.000Z",
      ...expected,
    });
  });
});

describe("detailOf", () => {
  it("carries the spec, the hold, a waiting decision (as a count) and the dismissed names", () => {
    const spec = { apiVersion: "flotilla.dev/v1alpha1", kind: "ApplicationSet", metadata: { name: "shop" } };
    const d = detailOf({
      record: record(),
      source: { appSet: "shop", file: "appsets/shop.yaml", commit: "c0", spec: spec as never },
      hold: hold("shrink"),
      decision: { id: "i", action: "release", applications: ["a", "b"], at: "2026-12-01T10:01:00.000Z" },
      dismissed: ["z"],
    });
    expect(d).toMatchObject({
      spec,
      specCommit: "c0",
      hold: hold("shrink"),
      pendingDecision: { action: "release", applications: 2, at: "2026-12-01T10:01:00.000Z" },
      dismissed: ["z"],
      lastGenerationRecord: record(),
    });
  });
});
