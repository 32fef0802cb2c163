import { describe, expect, it } from "vitest";
import { mergePatch } from "./merge-patch.ts";
import { renderTemplatePatch } from "./template-patch.ts";
import { params } from "./test-params.ts";

const p = params({ name: "prod", replicas: "3", auto: "true" });

describe("renderTemplatePatch", () => {
  it("renders YAML text and parses it, so non-string fields can vary", () => {
    const text =
      "spec:\n  replicas: {{replicas}}\n{{#if auto}}\n  syncPolicy:\n    automated: {prune: true}\n{{/if}}\n";
    expect(renderTemplatePatch(text, p)).toEqual({ spec: { replicas: 3, syncPolicy: { automated: { prune: true } } } });
  });

  it("an empty patch is an empty object", () => {
    expect(renderTemplatePatch("{{#if false}}a: 1{{/if}}", p)).toEqual({});
  });

  it("keeps __proto__ as data", () => {
    const patch = renderTemplatePatch("__proto__:\n  polluted: {{name}}\n", p);
    expect(Object.keys(patch)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it.each([
    ["spec: {{missing}}", 'spec.templatePatch: missing parameter "missing" in "spec: {{missing}}"'],
    [
      "spec:\n  a: [{{name}}\n b: 1",
      'spec.templatePatch: rendered patch is not valid YAML at line 3, column 2: Flow sequence in block collection must be sufficiently indented and end with a ] in "spec: a: [{{name}} b: 1"',
    ],
    [
      "a: 1\na: 2",
      'spec.templatePatch: rendered patch is not valid YAML at line 2, column 1: Map keys must be unique in "a: 1 a: 2"',
    ],
    ["- {{name}}", 'spec.templatePatch: rendered patch must be a YAML map, got a list in "- {{name}}"'],
    ["{{name}}", 'spec.templatePatch: rendered patch must be a YAML map, got string in "{{name}}"'],
    [`a: ${"[".repeat(70)}${"]".repeat(70)}`, /^spec\.templatePatch: rendered patch nests deeper than 64 levels/],
    [
      "a: &x [1]\nb: *x",
      'spec.templatePatch: rendered patch uses YAML aliases, which are not allowed in "a: &x [1] b: *x"',
    ],
  ])("%s is an error", (text, message) => {
    expect(() => renderTemplatePatch(text, p)).toThrow(message);
  });
});

describe("mergePatch", () => {
  it.each([
    ["maps merge deeply", { a: { b: 1, c: 2 } }, { a: { c: 3, d: 4 } }, { a: { b: 1, c: 3, d: 4 } }],
    ["lists replace", { a: [1, 2, 3] }, { a: [9] }, { a: [9] }],
    ["scalars replace", { a: "x" }, { a: 5 }, { a: 5 }],
    ["a map replaces a scalar", { a: "x" }, { a: { b: 1 } }, { a: { b: 1 } }],
    ["null removes a key", { a: 1, b: { c: 1, d: 2 } }, { a: null, b: { c: null } }, { b: { d: 2 } }],
    ["new keys are added", {}, { a: { b: [1] } }, { a: { b: [1] } }],
  ])("%s", (_, target, patch, expected) => {
    const before = JSON.stringify(target);
    expect(mergePatch(target as Record<string, unknown>, patch as Record<string, unknown>)).toEqual(expected);
    expect(JSON.stringify(target)).toBe(before);
  });

  it("a __proto__ key in the patch stays data", () => {
    const patch = JSON.parse('{"__proto__": {"polluted": 1}, "a": 1}') as Record<string, unknown>;
    const out = mergePatch({ b: 2 }, patch);
    expect(Object.keys(out).sort()).toEqual(["__proto__", "a", "b"]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect((out as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});
