import type { Application, ApplicationDiff, ElementError, Generation } from "@flotilla/core";
import { describe, expect, it } from "vitest";
import { generationRecordOf } from "./generation-record.ts";

const app = { metadata: { name: "a" } } as Application;
const error = (element: number): ElementError => ({ appSet: "s", element, params: "", message: "boom" });

describe("generationRecordOf", () => {
  it("counts every part of the diff and keeps the exact error count while capping the list", () => {
    const generation: Generation = { appSet: "s", applications: [app], errors: [0, 1, 2, 3, 4].map(error) };
    const diff: ApplicationDiff = {
      creates: [{ application: app, desiredDigest: "h" }],
      updates: [],
      deletes: ["gone"],
      unchanged: ["x", "y"],
      held: { deletes: ["p", "q", "r"], reason: "over the guard" },
    };
    const rec = generationRecordOf(
      { appSet: "s", commit: "abc", generation, diff, time: new Date(0) },
      { maxErrors: 2, maxHeldNames: 1 },
    );
    expect(rec.counts).toEqual({ applications: 3, creates: 1, updates: 0, deletes: 1, unchanged: 2, errors: 5 });
    expect(rec.errors).toHaveLength(2);
    expect(rec.errorsTruncated).toBe(true);
    expect(rec.held).toEqual({ count: 3, names: ["p"], reason: "over the guard" });
    expect(rec.time).toBe("1970-01-01T00:00:00.000Z");
    expect(rec.generatorError).toBeUndefined();
  });

  it("carries a generator error", () => {
    const generation: Generation = { appSet: "s", applications: [], errors: [], generatorError: "git down" };
    const diff: ApplicationDiff = { creates: [], updates: [], deletes: [], unchanged: ["a"] };
    const rec = generationRecordOf({ appSet: "s", commit: "abc", generation, diff });
    expect(rec.generatorError).toBe("git down");
    expect(rec.errorsTruncated).toBe(false);
    expect(rec.held).toBeUndefined();
  });
});
