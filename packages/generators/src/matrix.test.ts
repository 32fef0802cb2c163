import type { GeneratorSpec } from "@flotilla/core";
import { describe, expect, it } from "vitest";
import { generateParams } from "./generate-params.ts";
import { cluster, context, plain, REPO } from "./test-context.ts";

const fleet = [cluster("dev", { env: "dev" }), cluster("prod", { env: "prod" })];
const repo = {
  "apps/guestbook/config.yaml": "replicas: 1\n",
  "apps/billing/config.yaml": "replicas: 2\n",
  "envs/dev/guestbook.yaml": "tier: small\n",
  "envs/prod/guestbook.yaml": "tier: large\n",
};
const list = (...apps: string[]): GeneratorSpec => ({ list: { elements: apps.map((app) => ({ app })) } });

describe("matrix generator", () => {
  it("is the cartesian product, first child outermost", async () => {
    const params = await generateParams(
      [{ matrix: { generators: [{ clusters: {} }, list("a", "b")] } }],
      context({ clusters: fleet }),
    );
    expect(params.map((p) => `${p["name"]}/${p["app"]}`)).toEqual(["dev/a", "dev/b", "prod/a", "prod/b"]);
  });

  it("lets the second child use the first child's params", async () => {
    const params = await generateParams(
      [
        {
          matrix: {
            generators: [
              { clusters: { selector: { matchLabels: { env: "prod" } } } },
              { git: { repoURL: REPO, files: [{ path: "envs/{{metadata.labels.env}}/*.yaml" }] } },
            ],
          },
        },
      ],
      context({ clusters: fleet, files: repo }),
    );
    expect(params.map((p) => [p["name"], p["tier"], p["path"]])).toEqual([["prod", "large", "envs/prod"]]);
  });

  it("leaves keys the first child lacks for the second child to render", async () => {
    const params = await generateParams(
      [
        {
          matrix: {
            generators: [
              { git: { repoURL: REPO, directories: [{ path: "apps/*" }] } },
              { clusters: { values: { ns: "{{path.basename}}" }, selector: { matchLabels: { env: "dev" } } } },
            ],
          },
        },
      ],
      context({ clusters: fleet, files: repo }),
    );
    expect(params.map((p) => [p["path.basename"], p["name"], p["values.ns"]])).toEqual([
      ["billing", "dev", "billing"],
      ["guestbook", "dev", "guestbook"],
    ]);
  });

  it("generates a child without templates once", async () => {
    const ctx = context({ clusters: fleet, files: repo });
    await generateParams(
      [{ matrix: { generators: [{ clusters: {} }, { git: { repoURL: REPO, directories: [{ path: "apps/*" }] } }] } }],
      ctx,
    );
    expect(ctx.repos.calls.filter((c) => c.startsWith("listTree"))).toHaveLength(1);
  });

  it("nests matrix in matrix", async () => {
    const params = await generateParams(
      [{ matrix: { generators: [list("a"), { matrix: { generators: [{ clusters: {} }, list2("x")] } }] } }],
      context({ clusters: fleet }),
    );
    expect(plain(params).map((p) => `${p["app"]}-${p["name"]}-${p["k"]}`)).toEqual(["a-dev-x", "a-prod-x"]);
  });

  it("accepts a key both children produce with the same value", async () => {
    const params = await generateParams(
      [{ matrix: { generators: [list("a"), { list: { elements: [{ app: "a", x: "1" }] } }] } }],
      context(),
    );
    expect(plain(params)).toEqual([{ app: "a", x: "1" }]);
  });

  it.each<[string, GeneratorSpec, string]>([
    [
      "conflicting keys",
      { matrix: { generators: [list("a"), list("b")] } },
      'spec.generators[0].matrix: both generators produce parameter "app" with different values ("a" and "b"); rename one, e.g. with pathParamPrefix',
    ],
    [
      "two git generators without pathParamPrefix",
      {
        matrix: {
          generators: [
            { git: { repoURL: REPO, directories: [{ path: "apps/guestbook" }] } },
            { git: { repoURL: REPO, directories: [{ path: "apps/billing" }] } },
          ],
        },
      },
      'spec.generators[0].matrix: both generators produce parameter "path" with different values ("apps/guestbook" and "apps/billing")',
    ],
    [
      "an error in a child names the child",
      { matrix: { generators: [list("a"), { git: { repoURL: REPO, files: [{ path: "[" }] } }] } },
      'spec.generators[0].matrix.generators[1].git.files[0].path: pattern "[" has an unclosed [',
    ],
    [
      "a git error in a nested child",
      {
        matrix: {
          generators: [
            list("a"),
            {
              matrix: {
                generators: [
                  list2("x"),
                  { git: { repoURL: "https://no.example/r.git", directories: [{ path: "*" }] } },
                ],
              },
            },
          ],
        },
      },
      "spec.generators[0].matrix.generators[1].matrix.generators[1].git: cannot read https://no.example/r.git at HEAD: repository https://no.example/r.git not found",
    ],
    [
      "a syntax error in the second child's template",
      { matrix: { generators: [list("a"), { git: { repoURL: "{{#if}}", directories: [{ path: "*" }] } }] } },
      "spec.generators[0].matrix.generators[1].git.repoURL: syntax error at line 1, column 8: expecting 'COMMENT', 'CONTENT', 'OPEN_RAW_BLOCK', 'OPEN_BLOCK', 'OPEN_INVERSE', 'OPEN_INVERSE_CHAIN', 'INVERSE', 'OPEN_ENDBLOCK', 'OPEN', 'OPEN_UNESCAPED', 'OPEN_PARTIAL', 'OPEN_PARTIAL_BLOCK', got 'EOF'",
    ],
    [
      "nesting deeper than the cap",
      nest(4),
      "spec.generators[0].matrix.generators[1].matrix.generators[1].matrix.generators[1].matrix: matrix and merge generators nest deeper than 3 levels",
    ],
    [
      "one child",
      { matrix: { generators: [list("a")] } },
      "spec.generators[0].matrix: a matrix needs exactly 2 generators, got 1",
    ],
  ])("%s is an error", async (_, spec, message) => {
    await expect(generateParams([spec], context({ clusters: fleet, files: repo }))).rejects.toThrow(message);
  });

  it("caps the size of the product", async () => {
    const big = (n: number, key: string): GeneratorSpec => ({
      list: { elements: Array.from({ length: n }, (_, i) => ({ [key]: String(i) })) },
    });
    const ctx = { ...context(), limits: { maxParamSets: 1000 } };
    await expect(generateParams([{ matrix: { generators: [big(50, "a"), big(50, "b")] } }], ctx)).rejects.toThrow(
      "spec.generators[0].matrix: the matrix produces more than 1000 parameter sets",
    );
  });
});

function list2(...ks: string[]): GeneratorSpec {
  return { list: { elements: ks.map((k) => ({ k })) } };
}

function nest(levels: number): GeneratorSpec {
  let spec: GeneratorSpec = list2("x");
  for (let i = 0; i < levels; i++)
    spec = { matrix: { generators: [{ list: { elements: [{ [`l${i}`]: "v" }] } }, spec] } };
  return spec;
}
