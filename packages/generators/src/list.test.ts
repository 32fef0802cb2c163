import { describe, expect, it } from "vitest";
import { generateParams } from "./generate-params.ts";
import { context, plain } from "./test-context.ts";

describe("list generator", () => {
  it("gives one parameter set per element, with values and nested maps as dotted keys", async () => {
    const params = await generateParams(
      [
        {
          list: {
            elements: [
              { cluster: "engineering-dev", url: "https://1.2.3.4", values: { ns: "dev" } },
              { cluster: "prod", url: "https://5.6.7.8", config: { replicas: 3, tls: { enabled: true } } },
            ],
          },
        },
      ],
      context(),
    );
    expect(plain(params)).toEqual([
      { cluster: "engineering-dev", url: "https://1.2.3.4", "values.ns": "dev" },
      { cluster: "prod", url: "https://5.6.7.8", "config.replicas": 3, "config.tls.enabled": true },
    ]);
  });

  it("keeps lists whole and as indexed keys", async () => {
    const [p] = await generateParams([{ list: { elements: [{ zones: ["a", "b"] }] } }], context());
    expect(plain([p as object])).toEqual([{ zones: ["a", "b"], "zones.0": "a", "zones.1": "b" }]);
    expect(Object.isFrozen(p?.["zones"])).toBe(true);
  });

  it("keeps keys from hostile input as data on prototype-free params", async () => {
    const element = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": "c", "prototype": "p"}');
    const [p] = await generateParams([{ list: { elements: [element] } }], context());
    expect(Object.getPrototypeOf(p)).toBeNull();
    expect(Object.keys(p as object).sort()).toEqual(["__proto__.polluted", "constructor", "prototype"]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it.each([
    [
      "a dotted key colliding with a nested one",
      [{ a: { b: "1" }, "a.b": "2" }],
      'spec.generators[0].list: elements[0]: key "a.b" appears twice once nested keys are flattened',
    ],
    [
      "too many elements",
      Array.from({ length: 10_001 }, () => ({ a: "x" })),
      "spec.generators[0].list: 10001 elements; at most 10000 allowed",
    ],
  ])("%s is an error", async (_, elements, message) => {
    await expect(generateParams([{ list: { elements } }], context())).rejects.toThrow(message);
  });

  it("caps nesting depth of an element", async () => {
    let deep: Record<string, unknown> = { leaf: "x" };
    for (let i = 0; i < 40; i++) deep = { d: deep };
    await expect(generateParams([{ list: { elements: [deep as never] } }], context())).rejects.toThrow(
      "spec.generators[0].list: elements[0]: nests deeper than 32 levels",
    );
  });
});
