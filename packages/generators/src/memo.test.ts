import { describe, expect, it } from "vitest";
import { generateParams } from "./generate-params.ts";
import { contentKey, ParamsMemo } from "./memo.ts";
import { cluster, context } from "./test-context.ts";

describe("contentKey", () => {
  it.each([
    ["null and the text null", null, "null"],
    ["a number and its text", 1, "1"],
    ["true and its text", true, "true"],
    ["0 and -0", 0, -0],
    ["a list and a map with its indexes", ["a"], { 0: "a" }],
    ["two key orders (the params keep the order)", { a: 1, b: 2 }, { b: 2, a: 1 }],
    ["a missing value and null", { a: undefined }, { a: null }],
  ])("tells apart %s", (_what, a, b) => {
    expect(contentKey(a)).not.toBe(contentKey(b));
  });

  it("is the same for equal data, a __proto__ key included", () => {
    const a = JSON.parse('{"__proto__":{"x":1},"b":[1,"2",null]}');
    const b = JSON.parse('{"__proto__":{"x":1},"b":[1,"2",null]}');
    expect(contentKey(a)).toBe(contentKey(b));
    expect(contentKey(a)).not.toBe(contentKey({ b: [1, "2", null] }));
  });

  it("gives up on what is not plain data: it is then built anew, never confused", () => {
    expect(contentKey(new Date(0))).toBeUndefined();
    expect(contentKey({ when: new Date(0) })).toBeUndefined();
    expect(contentKey({ [Symbol("marker")]: 1 })).toBeUndefined();
    expect(contentKey(() => 1)).toBeUndefined();
  });
});

describe("ParamsMemo", () => {
  const spec = (apps: string[]) => [
    { matrix: { generators: [{ clusters: {} }, { list: { elements: apps.map((app) => ({ app })) } }] } },
  ];
  const clusters = [cluster("a", { env: "prod" }), cluster("b", { env: "dev" })];

  it("gives the same objects for unchanged elements and new ones for what changed", async () => {
    const memo = new ParamsMemo();
    const first = await generateParams(spec(["x", "y"]), { ...context({ clusters }), memo });
    const relabelled = [clusters[0]!, cluster("b", { env: "prod" })];
    const second = await generateParams(spec(["x", "z"]), { ...context({ clusters: relabelled }), memo });
    const kept = second.map((p) => first.includes(p));
    // Rows: (a,x) (a,z) (b,x) (b,z): only cluster a's row with the unchanged element x is the same object.
    expect(second.map((p) => `${p.name}/${p.app}`)).toEqual(["a/x", "a/z", "b/x", "b/z"]);
    expect(kept).toEqual([true, false, false, false]);
    expect(second[2]!["metadata.labels.env"]).toBe("prod");
  });

  it("forgets what a generation did not use", async () => {
    const memo = new ParamsMemo();
    const first = await generateParams(spec(["x"]), { ...context({ clusters }), memo });
    await generateParams(spec(["y"]), { ...context({ clusters }), memo });
    const third = await generateParams(spec(["x"]), { ...context({ clusters }), memo });
    expect(third[0]).not.toBe(first[0]);
    expect({ ...third[0] }).toEqual({ ...first[0] });
  });

  it("a failed generation keeps nothing it did not finish, and the next one is still right", async () => {
    const memo = new ParamsMemo();
    const bad = [
      {
        merge: {
          mergeKeys: ["app"],
          generators: [{ list: { elements: [{ app: "x" }, { app: "x" }] } }, { list: { elements: [] } }],
        },
      },
    ];
    await expect(generateParams(bad, { ...context({ clusters }), memo })).rejects.toThrow(/same merge key values/);
    const after = await generateParams(spec(["x"]), { ...context({ clusters }), memo });
    const fresh = await generateParams(spec(["x"]), context({ clusters }));
    expect(after.map((p) => ({ ...p }))).toEqual(fresh.map((p) => ({ ...p })));
  });
});
