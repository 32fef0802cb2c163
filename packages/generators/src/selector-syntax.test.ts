import { describe, expect, it } from "vitest";
import { compileSelector } from "./selector.ts";
import { parseSelector, SelectorSyntaxError } from "./selector-syntax.ts";

const matches = (selector: string, labels: Record<string, string>): boolean =>
  compileSelector(parseSelector(selector), ["selector"])(labels);

describe("parseSelector", () => {
  it("parses every operator of kubectl's syntax", () => {
    expect(parseSelector("env=prod,tier!=db,region in (eu,us),zone notin (a),!legacy,team,x==y")).toEqual({
      matchExpressions: [
        { key: "env", operator: "In", values: ["prod"] },
        { key: "tier", operator: "NotIn", values: ["db"] },
        { key: "region", operator: "In", values: ["eu", "us"] },
        { key: "zone", operator: "NotIn", values: ["a"] },
        { key: "legacy", operator: "DoesNotExist" },
        { key: "team", operator: "Exists" },
        { key: "x", operator: "In", values: ["y"] },
      ],
    });
  });

  it("takes spaces around tokens, prefixed keys and empty values", () => {
    expect(parseSelector("  example.com/tier = web ,  region in ( eu , us ) ,env=")).toEqual({
      matchExpressions: [
        { key: "example.com/tier", operator: "In", values: ["web"] },
        { key: "region", operator: "In", values: ["eu", "us"] },
        { key: "env", operator: "In", values: [""] },
      ],
    });
    expect(parseSelector("")).toEqual({});
    expect(parseSelector("   ")).toEqual({});
  });

  it.each([
    ["env=prod", { env: "prod" }, true],
    ["env=prod", { env: "dev" }, false],
    ["env=prod", {}, false],
    ["tier!=db", { tier: "web" }, true],
    ["tier!=db", {}, true],
    ["tier!=db", { tier: "db" }, false],
    ["region in (eu,us)", { region: "us" }, true],
    ["region in (eu,us)", { region: "ap" }, false],
    ["region notin (eu,us)", {}, true],
    ["region notin (eu,us)", { region: "eu" }, false],
    ["!legacy", { env: "prod" }, true],
    ["!legacy", { legacy: "" }, false],
    ["team", { team: "" }, true],
    ["team", {}, false],
    ["env=prod,team", { env: "prod" }, false],
    ["env=prod,team", { env: "prod", team: "a" }, true],
  ])("%s against %j → %s (Kubernetes semantics)", (selector, labels, expected) => {
    expect(matches(selector, labels)).toBe(expected);
  });

  it.each([
    ["env=prod,", 10, 'expected a requirement after ","'],
    [",env", 1, 'expected a label key, found ","'],
    ["env=prod tier=db", 10, 'expected "," between requirements, found "tier"'],
    ["env>3", 4, "Gt/Lt"],
    ["env in eu", 8, 'expected "(" after "in", found "eu"'],
    ["env in ()", 9, 'expected a label value after "in ("'],
    ["env in (eu", 11, 'expected "," or ")" in the value list, found the end'],
    ["env in (eu,)", 12, 'expected a label value after ","'],
    ["env in (eu us)", 12, 'expected "," or ")"'],
    ["-env=prod", 1, 'label key "-env"'],
    ["env=-prod", 5, 'label value "-prod"'],
    [`env=${"v".repeat(64)}`, 5, "expected at most 63"],
    ["env;drop", 4, 'unexpected character ";"'],
    ["env=prod\n", 9, "unexpected character"],
    ["!", 2, "expected a label key, found the end"],
    ["env prod", 5, 'after label key "env", found "prod"'],
    ["__proto__=x", 1, 'label key "__proto__"'],
  ])("refuses %j at column %i", (selector, column, reason) => {
    let caught: unknown;
    try {
      parseSelector(selector);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SelectorSyntaxError);
    expect((caught as SelectorSyntaxError).column).toBe(column);
    expect((caught as SelectorSyntaxError).message).toContain(`column ${column}: `);
    expect((caught as SelectorSyntaxError).message).toContain(reason);
  });
});
