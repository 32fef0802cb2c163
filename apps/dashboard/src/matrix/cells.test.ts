import { describe, expect, it } from "vitest";
import type { MatrixRow } from "../api/types.ts";
import { cellCode, cellCount, cellLabel, cellTone, decodeCell, encodeCell, withCell, worstOf } from "./cells.ts";
import { columnCounts, rowCount } from "./counts.ts";

describe("decodeCell", () => {
  it.each([
    ["SH", { sync: "Synced", health: "Healthy" }],
    ["OD", { sync: "OutOfSync", health: "Degraded" }],
    ["EM", { sync: "Error", health: "Missing" }],
    ["UU", { sync: "Unknown", health: "Unknown" }],
    ["SP", { sync: "Synced", health: "Progressing" }],
  ])("%s → %o", (code, verdict) => {
    expect(decodeCell(code)).toEqual(verdict);
    expect(encodeCell(decodeCell(code))).toBe(code);
  });

  it.each(["..", "", "S", "SHX", "sh", "XH", "SX", "H S", "<s"])("refuses %j", (code) => {
    expect(decodeCell(code)).toBeUndefined();
  });

  it("encodes no verdict as the empty cell", () => expect(encodeCell(undefined)).toBe(".."));
});

describe("cellTone: what needs a person first", () => {
  it.each([
    ["SH", "healthy"],
    ["SP", "progressing"],
    ["OH", "outofsync"],
    ["OP", "outofsync"],
    ["SM", "missing"],
    ["OM", "outofsync"],
    ["SD", "degraded"],
    ["OD", "degraded"],
    ["EH", "error"],
    ["ED", "error"],
    ["UH", "unknown"],
    ["SU", "unknown"],
    ["..", "empty"],
  ])("%s is %s", (code, tone) => expect(cellTone(decodeCell(code))).toBe(tone));
});

describe("worstOf follows packages/kube's severity", () => {
  it("takes the worst sync and the worst health independently", () => {
    expect(
      worstOf([
        { sync: "Synced", health: "Degraded" },
        { sync: "OutOfSync", health: "Healthy" },
        { sync: "Unknown", health: "Missing" },
      ]),
    ).toEqual({ sync: "OutOfSync", health: "Degraded" });
  });
  it("Error outranks everything; Missing outranks Unknown outranks Progressing", () => {
    expect(
      worstOf([
        { sync: "Error", health: "Progressing" },
        { sync: "OutOfSync", health: "Unknown" },
      ]),
    ).toEqual({
      sync: "Error",
      health: "Unknown",
    });
    expect(
      worstOf([
        { sync: "Synced", health: "Missing" },
        { sync: "Synced", health: "Unknown" },
      ])?.health,
    ).toBe("Missing");
  });
  it("has no verdict for no Applications", () => expect(worstOf([])).toBeUndefined());
});

describe("cells of a row", () => {
  const row: MatrixRow = { appSet: "guestbook", cells: "SHOD..EM", multi: { "1": 3, "2": 5, "3": 1, "0": -2 } };
  it("reads each column's code, `..` past the end of a short row", () => {
    expect([0, 1, 2, 3, 4, 99].map((i) => cellCode(row, i))).toEqual(["SH", "OD", "..", "EM", "..", ".."]);
  });
  it("counts one per non-empty cell unless multi says more; multi on an empty cell or a bad number is ignored", () => {
    expect([0, 1, 2, 3, 4].map((i) => cellCount(row, i))).toEqual([1, 3, 0, 1, 0]);
  });
  it("counts rows and columns, and cells that are not green", () => {
    expect(rowCount(row, 4)).toEqual({ applications: 5, unwell: 2 });
    const other: MatrixRow = { appSet: "podinfo", cells: "SHSH....", multi: {} };
    expect(columnCounts([row, other], 4)).toEqual([
      { applications: 2, unwell: 0 },
      { applications: 4, unwell: 1 },
      { applications: 0, unwell: 0 },
      { applications: 1, unwell: 1 },
    ]);
  });
  it("replaces one column's code, padding a short string", () => {
    expect(withCell("SHOD", 1, "SH")).toBe("SHSH");
    expect(withCell("SH", 2, "OD")).toBe("SH..OD");
  });
  it("labels a cell in words", () => {
    expect(cellLabel({ appSet: "a", cluster: "c", verdict: decodeCell("OD"), count: 3 })).toBe(
      "a on c: 3 Applications, worst OutOfSync, Degraded",
    );
    expect(cellLabel({ appSet: "a", cluster: "c", verdict: undefined, count: 0 })).toBe("a on c: no Application");
  });
});
