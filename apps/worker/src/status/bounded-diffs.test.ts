import type { ResourceStatus } from "@flotilla/status";
import { describe, expect, it } from "vitest";
import { boundedDiffs } from "./bounded-diffs.ts";

const drifted = (id: string, value: string): ResourceStatus => ({
  id,
  action: "unchanged",
  health: "Healthy",
  drift: ["data.v"],
  diff: [{ path: "data.v", desired: value, live: value }],
});

describe("boundedDiffs", () => {
  it("keeps every diff within the budget", () => {
    const resources = [drifted("a", "x".repeat(10)), drifted("b", "y".repeat(10))];
    expect(boundedDiffs(resources, 100)).toEqual(resources);
  });

  it("past the budget an object keeps its drifted paths and loses the values, and so does every later one", () => {
    const resources = [drifted("a", "x".repeat(40)), drifted("b", "y".repeat(40)), drifted("c", "z")];
    const bounded = boundedDiffs(resources, 100);
    expect(bounded[0]).toEqual(resources[0]);
    expect(bounded[1]).toEqual({ id: "b", action: "unchanged", health: "Healthy", drift: ["data.v"] });
    expect(bounded[2]?.diff).toBeUndefined();
    expect(bounded[2]?.drift).toEqual(["data.v"]);
  });

  it("leaves resources without a diff as they are", () => {
    const plain: ResourceStatus = { id: "p", action: "created", health: "Healthy" };
    expect(boundedDiffs([plain], 0)).toEqual([plain]);
  });
});
