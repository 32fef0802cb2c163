import type { GeneratorSpec } from "@flotilla/core";
import { describe, expect, it } from "vitest";
import { GeneratorError } from "./errors.ts";
import { generateParams } from "./generate-params.ts";
import { cluster, context } from "./test-context.ts";

describe("generateParams", () => {
  it("concatenates generators in order", async () => {
    const params = await generateParams(
      [{ list: { elements: [{ a: "1" }] } }, { clusters: {} }, { list: { elements: [{ a: "2" }] } }],
      context({ clusters: [cluster("c1")] }),
    );
    expect(params.map((p) => p["a"] ?? p["name"])).toEqual(["1", "c1", "2"]);
  });

  it("fails as a whole, naming the generator, when any generator fails", async () => {
    const err = await generateParams(
      [
        { list: { elements: [{ a: "1" }] } },
        { git: { repoURL: "https://no.example/x.git", directories: [{ path: "*" }] } },
      ],
      context(),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GeneratorError);
    expect((err as GeneratorError).fieldPath).toBe("spec.generators[1].git");
    expect((err as GeneratorError).message).toBe(
      "spec.generators[1].git: cannot read https://no.example/x.git at HEAD: repository https://no.example/x.git not found",
    );
  });

  it.each<[string, GeneratorSpec, string]>([
    [
      "no kind",
      {},
      "spec.generators[0]: expected exactly one generator kind of list, clusters, git, matrix, merge, got none",
    ],
    [
      "two kinds",
      { list: { elements: [] }, clusters: {} },
      "spec.generators[0]: expected exactly one generator kind of list, clusters, git, matrix, merge, got list, clusters",
    ],
  ])("%s is an error", async (_, spec, message) => {
    await expect(generateParams([spec], context())).rejects.toThrow(message);
  });

  it("generates 1,000 clusters × 100 elements through a matrix (speed is measured by the engine benchmark)", async () => {
    const clusters = Array.from({ length: 1000 }, (_, i) => cluster(`c${i}`, { env: i % 2 ? "prod" : "dev" }));
    const elements = Array.from({ length: 100 }, (_, i) => ({ app: `app-${i}`, values: { replicas: "2" } }));
    const spec: GeneratorSpec = {
      matrix: { generators: [{ clusters: { values: { ns: "{{name}}-apps" } } }, { list: { elements } }] },
    };
    const params = await generateParams([spec], context({ clusters }));
    expect(params).toHaveLength(100_000);
    expect(params[100_001 - 2]?.["values.ns"]).toBe("c999-apps");
  });
});
