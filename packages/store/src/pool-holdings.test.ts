import { describe, expect, it } from "vitest";
import { holdingsReport, parseHoldingsReport, parseServedReport } from "./pool-holdings.ts";

describe("pool holdings reports", () => {
  it("round-trips a sorted list, whatever order it was held in", () => {
    expect(holdingsReport(["b", "a"])).toBe('["a","b"]');
    expect(parseHoldingsReport(holdingsReport(["b", "a"]))).toEqual(["a", "b"]);
    expect(parseServedReport(holdingsReport(["b", "a"]))).toEqual(["a", "b"]);
  });

  it("says what is being handed over apart: held for the balancing, served for the status", () => {
    const report = holdingsReport(["c", "a"], ["b"]);
    expect(report).toBe('{"held":["a","c"],"leaving":["b"]}');
    expect(parseHoldingsReport(report)).toEqual(["a", "c"]);
    expect(parseServedReport(report)).toEqual(["a", "b", "c"]);
    // Nothing leaving: the plain list older readers understand.
    expect(holdingsReport(["a"], [])).toBe('["a"]');
  });

  it("reads a missing, unreadable or hostile report as holding nothing, and keeps only names", () => {
    for (const parse of [parseHoldingsReport, parseServedReport]) {
      expect(parse(undefined)).toEqual([]);
      expect(parse("{not json")).toEqual([]);
      expect(parse('{"a":1}')).toEqual([]);
      expect(parse("null")).toEqual([]);
      expect(parse('"a"')).toEqual([]);
      expect(parse('["a", 1, null, {"b":2}, "c"]')).toEqual(["a", "c"]);
      expect(parse('{"held":"a","leaving":{"b":1}}')).toEqual([]);
    }
    expect(parseServedReport('{"held":["a",2],"leaving":["a","b",null]}')).toEqual(["a", "b"]);
    expect(parseHoldingsReport('{"held":["a",2],"leaving":["a","b",null]}')).toEqual(["a"]);
  });
});
