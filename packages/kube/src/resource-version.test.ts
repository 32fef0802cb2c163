import { describe, expect, it } from "vitest";
import { compareResourceVersions } from "./resource-version.ts";

describe("compareResourceVersions", () => {
  it.each([
    ["9", "10", -1],
    ["10", "9", 1],
    ["123", "123", 0],
    ["1000", "999", 1],
    ["98765432109876543210", "98765432109876543211", -1],
  ] as const)("orders %s and %s as numbers (%d)", (a, b, expected) => {
    expect(compareResourceVersions(a, b)).toBe(expected);
  });

  it.each([
    [undefined, "1"],
    ["1", undefined],
    ["0", "1"],
    ["007", "7"],
    ["", "1"],
    ["12a", "12"],
    ["-3", "3"],
    [" 12", "12"],
    ["1.5", "2"],
  ])("does not order %j and %j", (a, b) => {
    expect(compareResourceVersions(a, b)).toBeUndefined();
  });
});
