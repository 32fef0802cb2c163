import type { GeneratorSpec } from "@flotilla/core";
import { describe, expect, it } from "vitest";
import { generateParams } from "./generate-params.ts";
import { cluster, context, plain } from "./test-context.ts";

const fleet = [
  cluster("dev", { env: "dev" }),
  cluster("staging", { env: "staging" }),
  cluster("prod", { env: "prod" }),
];
const list = (elements: Record<string, string>[]): GeneratorSpec => ({ list: { elements } });

describe("merge generator", () => {
  it("overrides base sets whose merge keys match; unmatched later sets are dropped", async () => {
    const params = await generateParams(
      [
        {
          merge: {
            mergeKeys: ["name"],
            generators: [
              { clusters: { values: { kafka: "true", redis: "false" } } },
              { clusters: { selector: { matchLabels: { env: "prod" } }, values: { redis: "true" } } },
              list([
                { name: "staging", "values.kafka": "false" },
                { name: "unknown", extra: "dropped" },
              ]),
            ],
          },
        },
      ],
      context({ clusters: fleet }),
    );
    expect(params.map((p) => [p["name"], p["values.kafka"], p["values.redis"], p["extra"]])).toEqual([
      ["dev", "true", "false", undefined],
      ["staging", "false", "false", undefined],
      ["prod", "true", "true", undefined],
    ]);
  });

  it("matches on all merge keys; a missing key counts as null", async () => {
    const params = await generateParams(
      [
        {
          merge: {
            mergeKeys: ["app", "env"],
            generators: [
              list([{ app: "a", env: "dev" }, { app: "a", env: "prod" }, { app: "b" }]),
              list([
                { app: "a", env: "prod", size: "L" },
                { app: "b", size: "S" },
              ]),
            ],
          },
        },
      ],
      context(),
    );
    expect(plain(params)).toEqual([
      { app: "a", env: "dev" },
      { app: "a", env: "prod", size: "L" },
      { app: "b", size: "S" },
    ]);
  });

  it.each<[string, GeneratorSpec, string]>([
    [
      "duplicate merge key values in the base",
      { merge: { mergeKeys: ["app"], generators: [list([{ app: "a" }, { app: "a" }]), list([{ app: "a" }])] } },
      'spec.generators[0].merge.generators[0]: two parameter sets have the same merge key values (app="a"); mergeKeys must identify each set uniquely',
    ],
    [
      "duplicate merge key values in a later generator",
      { merge: { mergeKeys: ["app"], generators: [list([{ app: "a" }]), list([{ x: "1" }, { y: "2" }])] } },
      "spec.generators[0].merge.generators[1]: two parameter sets have the same merge key values (app=null)",
    ],
    [
      "an error in a child",
      {
        merge: {
          mergeKeys: ["name"],
          generators: [list([{ name: "a" }]), { clusters: { values: { x: "{{nope}}" } } }],
        },
      },
      'spec.generators[0].merge.generators[1].clusters: cluster "dev": values.x: missing parameter "nope" in "{{nope}}"',
    ],
  ])("%s is an error", async (_, spec, message) => {
    await expect(generateParams([spec], context({ clusters: fleet }))).rejects.toThrow(message);
  });
});
