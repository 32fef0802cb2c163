import { describe, expect, it } from "vitest";
import { formatMarkdown, formatText, meanCeiling, ratio, type SystemFigures, sideBySide, targetRows } from "./table.ts";

const flotilla: SystemFigures = {
  system: "Flotilla",
  convergeMs: 10_000,
  changeP50Ms: 500,
  changeP99Ms: 900,
  revertP50Ms: 400,
  revertP99Ms: 800,
  unreverted: 0,
  cpuSeconds: 20,
  peakRssBytes: 200 * 1024 * 1024,
  processes: "generator, worker",
};
const argo: SystemFigures = {
  ...flotilla,
  system: "Argo CD",
  convergeMs: 35_000,
  changeP99Ms: undefined,
  unreverted: 2,
};

describe("ratio", () => {
  it.each([
    [35_000, 10_000, "3.5×"],
    [5, 10, "0.5×"],
    [undefined, 10, "–"],
    [10, undefined, "–"],
    [10, 0, "–"],
  ])("%s against %s is %s", (peer, mine, expected) => {
    expect(ratio(peer, mine)).toBe(expected);
  });
});

describe("sideBySide", () => {
  const rows = sideBySide([flotilla, argo]);

  it("has a column per system and a ratio column per peer", () => {
    expect(rows[0]).toEqual(["", "Flotilla", "Argo CD", "Argo CD / Flotilla"]);
    expect(rows[1]).toEqual(["commit → all Synced+Healthy", "10.0 s", "35.0 s", "3.5×"]);
  });

  it("says when a phase did not finish instead of printing a number", () => {
    expect(rows.find((r) => r[0] === "one-file change → applied p99")).toEqual([
      "one-file change → applied p99",
      "0.90 s",
      "did not finish",
      "–",
    ]);
    expect(rows.at(-1)).toEqual(["edits not reverted", "0", "2", ""]);
  });

  it("shows how far a peer got when its convergence ran out of time, and the ratio as a lower bound", () => {
    const slow = { ...argo, convergeMs: undefined, convergeShortfall: { done: 87, expected: 1000, afterMs: 600_000 } };
    const [, converge] = sideBySide([flotilla, slow]);
    expect(converge).toEqual([
      "commit → all Synced+Healthy",
      "10.0 s",
      "did not finish (87/1000 in 600.0 s)",
      "> 60.0×",
    ]);
    expect(targetRows(flotilla, slow)[1]).toEqual(["convergence ≥ 3× Argo CD's", "> 60.0×", "met"]);
    const [, ownMiss] = sideBySide([{ ...flotilla, convergeMs: undefined }, slow]);
    expect(ownMiss?.[3]).toBe("–");
  });

  it("formats memory in MiB and CPU in seconds", () => {
    expect(rows.find((r) => r[0] === "peak RSS (all processes)")?.[1]).toBe("200 MiB");
    expect(rows.find((r) => r[0] === "CPU-seconds (all processes)")?.[1]).toBe("20.0 s");
  });
});

describe("formatting", () => {
  it("aligns text columns and writes a Markdown table with right-aligned figures", () => {
    const rows = [
      ["", "A", "B"],
      ["x", "1 s", "10 s"],
    ];
    expect(formatText(rows)).toBe("     A     B\nx  1 s  10 s");
    expect(formatMarkdown(rows)).toBe("|  | A | B |\n| --- | ---: | ---: |\n| x | 1 s | 10 s |");
  });
});

describe("targetRows", () => {
  const ceiling = { objects: 3000, availableMs: 9_500 };

  it("says which of the issue's targets are met, as ratios where higher is better", () => {
    const rows = targetRows(flotilla, argo, ceiling);
    expect(rows[0]).toEqual(["target (issue 14)", "measured", ""]);
    expect(rows[1]).toEqual(["convergence ≥ 3× Argo CD's", "3.5×", "met"]);
    expect(rows[2]).toEqual(["convergence ≥ 90 % of the raw SSA ceiling", "95 %", "met"]);
    expect(rows[3]).toEqual(["one-file change ≥ 3× faster (p50)", "1.0×", "NOT met"]);
    expect(rows[4]).toEqual(["≥ 3× less memory (peak RSS)", "1.0×", "NOT met"]);
  });

  it("reports a target it has no figure for as not measured, never as met", () => {
    const rows = targetRows({ ...flotilla, convergeMs: undefined }, undefined);
    expect(rows.slice(1).map((r) => r[2])).toEqual(["not measured", "not measured", "not measured", "not measured"]);
  });
});

describe("meanCeiling", () => {
  it("averages the ceilings measured before and after a system", () => {
    expect(
      meanCeiling([
        { objects: 3000, availableMs: 60_000, requests: 29_000 },
        { objects: 3000, availableMs: 80_000, requests: 29_500 },
      ]),
    ).toEqual({ objects: 3000, availableMs: 70_000, requests: 29_250 });
    expect(meanCeiling([{ objects: 30, availableMs: 5_000 }])).toEqual({ objects: 30, availableMs: 5_000 });
    expect(meanCeiling([])).toBeUndefined();
  });
});
