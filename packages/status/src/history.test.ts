import { describe, expect, it } from "vitest";
import { entryAt, revisionAt } from "./history.ts";
import type { HistoryEntry } from "./types.ts";

const entry = (at: number, result: HistoryEntry["result"], revision?: string): HistoryEntry => ({
  at,
  result,
  jobId: String(at),
  ...(revision === undefined ? {} : { revision }),
});

// Newest first, as the store reads them.
const history = [
  entry(500, "Deleted"),
  entry(400, "Synced", "c3"),
  entry(300, "Error", "c-bad"),
  entry(200, "OutOfSync", "c2"),
  entry(100, "Synced", "c1"),
];

describe("revisionAt", () => {
  it.each([
    { time: 50, expected: undefined, why: "before the first sync" },
    { time: 100, expected: "c1", why: "at the first sync" },
    { time: 250, expected: "c2", why: "an OutOfSync sync still ran its revision" },
    { time: 350, expected: "c2", why: "a failed sync does not replace what ran" },
    { time: 450, expected: "c3", why: "after a later sync" },
    { time: 600, expected: undefined, why: "after the deletion" },
  ])("$why → $expected", ({ time, expected }) => {
    expect(revisionAt(history, time)).toBe(expected);
  });

  it("answers undefined for an empty history", () => {
    expect(revisionAt([], 1)).toBeUndefined();
  });

  it("an abandoned deletion ends the answer too: what was left is no longer Flotilla's", () => {
    expect(revisionAt([entry(20, "Abandoned"), entry(10, "Synced", "c1")], 30)).toBeUndefined();
  });

  it("skips a failure that never resolved a revision", () => {
    expect(revisionAt([entry(20, "Error"), entry(10, "Synced", "c1")], 30)).toBe("c1");
  });
});

describe("entryAt", () => {
  it("answers the entry that put the running revision there, so its time says since when", () => {
    expect(entryAt(history, 350)).toMatchObject({ at: 200, revision: "c2", result: "OutOfSync" });
    expect(entryAt(history, 600)).toBeUndefined();
  });
});
