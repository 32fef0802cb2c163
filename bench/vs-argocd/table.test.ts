import { describe, expect, it } from "vitest";
import { formatMarkdown, formatText, ratio, type SystemFigures, sideBySide } from "./table.ts";

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
