import { describe, expect, it } from "vitest";
import { durationSchema, formatDuration, parseDuration } from "./duration.ts";

describe("parseDuration", () => {
  it.each([
    ["500ms", 500],
    ["30s", 30_000],
    ["3m", 180_000],
    ["1h", 3_600_000],
    ["1h30m", 5_400_000],
    ["2m30s", 150_000],
    ["1s500ms", 1_500],
    ["7d", 604_800_000],
    ["1d12h", 129_600_000],
    [" 45s ", 45_000],
    ["0", 0],
    [0, 0],
  ])("%s → %s ms", (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  it.each([["180"], [180]])("refuses the bare number %s, naming both readings", (input) => {
    expect(parseDuration(input)).toEqual({
      ok: false,
      problem: '"180" has no unit; write 180s for seconds or 180ms for milliseconds',
    });
  });

  it.each([["3 minutes"], ["soon"], ["1.5h"], ["-5s"], ["1m1h"], ["1s1s"], [""], ["ms"], ["1h1d"]])(
    "refuses %j with the accepted forms",
    (text) => {
      const result = parseDuration(text);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problem).toMatch(/is not a duration; write a whole number with a unit, like 500ms/);
    },
  );
});

describe("formatDuration", () => {
  it.each([
    [86_400_000, "1d"],
    [5_400_000, "90m"],
    [1_500, "1500ms"],
    [0, "0ms"],
  ])("%s ms → %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("durationSchema", () => {
  it("parses to milliseconds and reports the problem as the issue message", () => {
    expect(durationSchema.parse("3m")).toBe(180_000);
    const failed = durationSchema.safeParse(180);
    expect(failed.success).toBe(false);
    expect(failed.error?.issues[0]?.message).toBe(
      '"180" has no unit; write 180s for seconds or 180ms for milliseconds',
    );
  });
});
