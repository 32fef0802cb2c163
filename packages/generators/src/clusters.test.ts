import type { LabelSelector } from "@flotilla/core";
import { describe, expect, it } from "vitest";
import { GeneratorError } from "./errors.ts";
import { generateParams } from "./generate-params.ts";
import { cluster, context, plain } from "./test-context.ts";

const fleet = [
  cluster("prod-eu", { env: "prod", region: "eu" }, { owner: "team-a" }),
  cluster("prod-us", { env: "prod", region: "us" }),
  cluster("staging", { env: "staging" }),
  cluster("Dev_Box", {}),
];

async function names(selector: LabelSelector | undefined): Promise<string[]> {
  const params = await generateParams([{ clusters: selector ? { selector } : {} }], context({ clusters: fleet }));
  return params.map((p) => p["name"] as string);
}

describe("clusters generator", () => {
  it("exposes Argo CD's cluster params", async () => {
    const [p] = await generateParams(
      [
        {
          clusters: {
            selector: { matchLabels: { region: "eu" } },
            values: { ns: "{{name}}-apps", env: "{{metadata.labels.env}}" },
          },
        },
      ],
      context({ clusters: fleet }),
    );
    expect(plain([p as object])).toEqual([
      {
        name: "prod-eu",
        nameNormalized: "prod-eu",
        server: "https://prod-eu.example:6443",
        "metadata.labels": { env: "prod", region: "eu" },
        "metadata.annotations": { owner: "team-a" },
        "metadata.labels.env": "prod",
        "metadata.labels.region": "eu",
        "metadata.annotations.owner": "team-a",
        "values.ns": "prod-eu-apps",
        "values.env": "prod",
      },
    ]);
  });

  it("normalizes names as Argo CD does", async () => {
    const params = await generateParams(
      [{ clusters: { selector: { matchExpressions: [{ key: "env", operator: "DoesNotExist" }] } } }],
      context({ clusters: fleet }),
    );
    expect(params.map((p) => p["nameNormalized"])).toEqual(["dev-box"]);
  });

  it.each<[string, LabelSelector | undefined, string[]]>([
    ["no selector matches all", undefined, ["prod-eu", "prod-us", "staging", "Dev_Box"]],
    ["empty selector matches all", {}, ["prod-eu", "prod-us", "staging", "Dev_Box"]],
    ["matchLabels", { matchLabels: { env: "prod" } }, ["prod-eu", "prod-us"]],
    ["matchLabels are ANDed", { matchLabels: { env: "prod", region: "us" } }, ["prod-us"]],
    ["In", { matchExpressions: [{ key: "env", operator: "In", values: ["staging", "qa"] }] }, ["staging"]],
    [
      "NotIn matches clusters without the label",
      { matchExpressions: [{ key: "env", operator: "NotIn", values: ["prod"] }] },
      ["staging", "Dev_Box"],
    ],
    ["Exists", { matchExpressions: [{ key: "region", operator: "Exists" }] }, ["prod-eu", "prod-us"]],
    ["DoesNotExist", { matchExpressions: [{ key: "region", operator: "DoesNotExist" }] }, ["staging", "Dev_Box"]],
    [
      "labels and expressions are ANDed",
      { matchLabels: { env: "prod" }, matchExpressions: [{ key: "region", operator: "NotIn", values: ["eu"] }] },
      ["prod-us"],
    ],
    ["no match", { matchLabels: { env: "nope" } }, []],
  ])("selector: %s", async (_, selector, expected) => {
    expect(await names(selector)).toEqual(expected);
  });

  it.each<[string, LabelSelector, string]>([
    [
      "In without values",
      { matchExpressions: [{ key: "env", operator: "In", values: [] }] },
      "spec.generators[0].clusters.selector.matchExpressions[0]: operator In requires at least one value",
    ],
    [
      "NotIn without values",
      {
        matchExpressions: [
          { key: "a", operator: "Exists" },
          { key: "env", operator: "NotIn" },
        ],
      },
      "spec.generators[0].clusters.selector.matchExpressions[1]: operator NotIn requires at least one value",
    ],
    [
      "Exists with values",
      { matchExpressions: [{ key: "env", operator: "Exists", values: ["x"] }] },
      "spec.generators[0].clusters.selector.matchExpressions[0]: operator Exists takes no values",
    ],
  ])("invalid selector: %s", async (_, selector, message) => {
    const run = generateParams([{ clusters: { selector } }], context({ clusters: fleet }));
    await expect(run).rejects.toThrow(GeneratorError);
    await expect(generateParams([{ clusters: { selector } }], context({ clusters: fleet }))).rejects.toThrow(message);
  });

  it("a values template error names the cluster and the value", async () => {
    await expect(
      generateParams([{ clusters: { values: { ns: "{{nope}}" } } }], context({ clusters: fleet })),
    ).rejects.toThrow(
      'spec.generators[0].clusters: cluster "prod-eu": values.ns: missing parameter "nope" in "{{nope}}"',
    );
  });
});
