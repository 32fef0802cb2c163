import { describe, expect, it } from "vitest";
import { holdingsReport, parseHoldingsReport } from "./pool-holdings.ts";

describe("pool holdings reports", () => {
  it("round-trips a sorted list, whatever order it was held in", () => {
    expect(holdingsReport(["b", "a"])).toBe('["a","b"]');
    expect(parseHoldingsReport(holdingsReport(["b", "a"]))).toEqual(["a", "b"]);
  });

  it("reads a missing, unreadable or hostile report as holding nothing, and keeps only names", () => {
    expect(parseHoldingsReport(undefined)).toEqual([]);
    expect(parseHoldingsReport("{not json")).toEqual([]);
    expect(parseHoldingsReport('{"a":1}')).toEqual([]);
    expect(parseHoldingsReport('["a", 1, null, {"b":2}, "c"]')).toEqual(["a", "c"]);
  });
});
