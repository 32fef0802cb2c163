import { describe, expect, it } from "vitest";
import { labelKeyProblem, labelValueProblem } from "./label-syntax.ts";

describe("labelKeyProblem", () => {
  it.each(["env", "app.kubernetes.io/name", "a", "A_b-c.d", "x".repeat(63), "example.com/x"])("accepts %s", (key) => {
    expect(labelKeyProblem(key)).toBeUndefined();
  });
  it.each([
    ["", /empty name/],
    ["-env", /starting and ending/],
    ["env-", /starting and ending/],
    ["a b", /letters, digits/],
    ["__proto__", /starting and ending/],
    ["x".repeat(64), /64 characters/],
    ["Bad_Prefix/x", /prefix/],
    ["/x", /prefix/],
    ["example.com/", /empty name/],
    ["a/b/c", /letters, digits/],
  ])("refuses %j", (key, why) => {
    expect(labelKeyProblem(key)).toMatch(why);
  });
});

describe("labelValueProblem", () => {
  it.each(["", "prod", "v1.2_3-x", "x".repeat(63)])("accepts %j", (value) => {
    expect(labelValueProblem(value)).toBeUndefined();
  });
  it.each([["x".repeat(64)], ["a b"], ["-x"], ["ü"]])("refuses %j", (value) => {
    expect(labelValueProblem(value)).toBeDefined();
  });
});
