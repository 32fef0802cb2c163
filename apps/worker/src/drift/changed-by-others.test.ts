import { describe, expect, it } from "vitest";
import { changedByOthers, changedByOthersAt, type ManagedFieldsEntry } from "./changed-by-others.ts";

const ours = (time: string): ManagedFieldsEntry => ({ manager: "flotilla", operation: "Apply", time });
const edit = (time: string): ManagedFieldsEntry => ({ manager: "kubectl-edit", operation: "Update", time });
const status = (time: string): ManagedFieldsEntry => ({
  manager: "kube-controller-manager",
  operation: "Update",
  subresource: "status",
  time,
});

describe("changedByOthers", () => {
  it.each([
    { name: "only our apply", fields: [ours("2026-03-15T12:00:00Z")], expected: false },
    {
      name: "a later manual edit",
      fields: [ours("2026-03-15T12:00:00Z"), edit("2026-03-15T12:01:00Z")],
      expected: true,
    },
    {
      name: "our apply after an edit (reverted)",
      fields: [edit("2026-03-15T12:00:00Z"), ours("2026-03-15T12:01:00Z")],
      expected: false,
    },
    {
      name: "a status write after our apply",
      fields: [ours("2026-03-15T12:00:00Z"), status("2026-03-15T12:05:00Z")],
      expected: false,
    },
    {
      name: "an edit in the same second as our apply",
      fields: [ours("2026-03-15T12:00:00Z"), edit("2026-03-15T12:00:00Z")],
      expected: true,
    },
    { name: "no managed fields", fields: undefined, expected: false },
    {
      // What `kubectl scale` leaves: an entry of the scale subresource that the API server gives no time.
      name: "an untimed write through the scale subresource after our apply",
      fields: [ours("2026-03-15T12:00:00Z"), { manager: "kubectl", operation: "Update", subresource: "scale" }],
      expected: true,
    },
    {
      name: "our own untimed entry after someone else's write does not hide it",
      fields: [edit("2026-03-15T12:00:00Z"), { manager: "flotilla", operation: "Apply" }],
      expected: true,
    },
  ])("$name → $expected", ({ fields, expected }) => {
    expect(changedByOthers(fields, "flotilla")).toBe(expected);
  });
});

describe("changedByOthersAt", () => {
  it("gives the time of someone else's latest write, so a re-listing watch can tell edits made during its gap", () => {
    const fields = [ours("2026-03-15T12:00:00Z"), edit("2026-03-15T12:01:00Z"), status("2026-03-15T12:02:00Z")];
    expect(changedByOthersAt(fields, "flotilla")).toBe(Date.parse("2026-03-15T12:01:00Z"));
    expect(changedByOthersAt([edit("2026-03-15T12:00:00Z"), ours("2026-03-15T12:01:00Z")], "flotilla")).toBeUndefined();
  });
});
