import { describe, expect, it } from "vitest";
import { changedFields } from "./field-changes.ts";

describe("changedFields", () => {
  it.each([
    ["equal objects", { a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }, []],
    [
      "a changed leaf",
      { spec: { source: { targetRevision: "v1" } } },
      { spec: { source: { targetRevision: "v2" } } },
      ["spec.source.targetRevision"],
    ],
    [
      "an added and a removed key",
      { metadata: { labels: { a: "1" } } },
      { metadata: { labels: { b: "1" } } },
      ["metadata.labels.a", "metadata.labels.b"],
    ],
    ["a list compared whole", { spec: { opts: ["x", "y"] } }, { spec: { opts: ["y", "x"] } }, ["spec.opts"]],
    ["an object replaced by a scalar", { spec: { a: { b: 1 } } }, { spec: { a: "s" } }, ["spec.a"]],
    ["undefined counts as absent", { a: undefined, b: 1 }, { b: 1 }, []],
  ])("%s", (_, before, after, expected) => {
    expect(changedFields(before, after)).toEqual(expected);
  });

  it("stops descending at the depth limit and names the subtree", () => {
    expect(changedFields({ a: { b: { c: 1 } } }, { a: { b: { c: 2 } } }, { maxDepth: 1 })).toEqual(["a"]);
  });

  it("caps the list and says how many more there are", () => {
    const before = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, 0]));
    const after = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, 1]));
    expect(changedFields(before, after, { maxFields: 2 })).toEqual(["k0", "k1", "(and 3 more)"]);
  });

  it("treats a __proto__ key as data, not as the prototype", () => {
    const before = JSON.parse('{"metadata":{"labels":{"__proto__":"a"}}}');
    const after = JSON.parse('{"metadata":{"labels":{"__proto__":"b"}}}');
    expect(changedFields(before, after)).toEqual(["metadata.labels.__proto__"]);
  });
});
