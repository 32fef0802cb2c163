import { type ApplicationSet, type Cluster, defaultDiffPolicy, diffGenerations, type Generation } from "@flotilla/core";
import { DEFAULT_COMMIT, MemoryRepoReader } from "@flotilla/generators/testing";
import { describe, expect, it } from "vitest";
import { generateApplications } from "./generate.ts";

const REPO = "https://git.example/fleet.git";
const clusters: Cluster[] = ["dev", "prod"].map((name) => ({
  name,
  server: `https://${name}:6443`,
  labels: {},
  annotations: {},
}));

function appSet(name: string, generator: ApplicationSet["spec"]["generators"][number]): ApplicationSet {
  return {
    apiVersion: "flotilla.dev/v1alpha1",
    kind: "ApplicationSet",
    metadata: { name: "configs" },
    spec: {
      generators: [generator],
      template: {
        metadata: { name },
        spec: {
          source: { repoURL: REPO, targetRevision: "main", path: "{{path}}" },
          destination: { cluster: "{{name}}", namespace: "apps" },
        },
      },
    },
  } as ApplicationSet;
}

const matrix = (files: string) => ({
  matrix: { generators: [{ clusters: {} }, { git: { repoURL: REPO, files: [{ path: files }] } }] },
});

async function generate(set: ApplicationSet, files: Record<string, string>): Promise<Generation> {
  return generateApplications(set, { clusters, repos: new MemoryRepoReader({ [REPO]: { files } }) });
}

const names = (g: Generation) => g.applications.map((a) => a.metadata.name).sort();
const before = (list: string[]) => new Map(list.map((name) => [name, "old"]));

describe("a git file that does not parse fails only its own elements", () => {
  const broken = { "apps/web/config.yaml": "replicas: 2\n", "apps/api/config.yaml": "replicas: [2\n" };

  it("names the Applications it stood for when the name renders without the file, protecting them", async () => {
    const generation = await generate(appSet("{{path.basename}}-{{name}}", matrix("apps/*/config.yaml")), broken);

    expect(generation.generatorError).toBeUndefined();
    expect(names(generation)).toEqual(["web-dev", "web-prod"]);
    expect(generation.errors).toEqual(
      ["dev", "prod"].map((cluster) => ({
        appSet: "configs",
        element: expect.any(Number),
        application: `api-${cluster}`,
        params: expect.stringContaining(`name=${cluster}`),
        source: `${REPO} at ${DEFAULT_COMMIT.slice(0, 12)}: apps/api/config.yaml`,
        message: expect.stringMatching(/apps\/api\/config\.yaml: invalid YAML at line 2, column 1: /),
      })),
    );

    // What the broken file made stays; the siblings update; an Application whose file left Git still goes.
    const diff = diffGenerations(
      before(["api-dev", "api-prod", "web-dev", "web-prod", "old-dev"]),
      generation,
      defaultDiffPolicy(),
    );
    expect(diff.updates.map((u) => u.application.metadata.name).sort()).toEqual(["web-dev", "web-prod"]);
    expect(diff.deletes).toEqual(["old-dev"]);
    expect(diff.held).toBeUndefined();
  });

  it("without a name, its element is anonymous: siblings still create and update, every deletion waits", async () => {
    const set = appSet("{{app}}-{{name}}", matrix("apps/*/config.yaml"));
    const generation = await generate(set, {
      "apps/web/config.yaml": "app: web\n",
      "apps/new/config.yaml": "app: new\n",
      "apps/api/config.yaml": "app: [api\n",
    });

    expect(generation.generatorError).toBeUndefined();
    expect(names(generation)).toEqual(["new-dev", "new-prod", "web-dev", "web-prod"]);
    expect(generation.errors.map((e) => [e.application, e.source])).toEqual([
      [undefined, `${REPO} at ${DEFAULT_COMMIT.slice(0, 12)}: apps/api/config.yaml`],
      [undefined, `${REPO} at ${DEFAULT_COMMIT.slice(0, 12)}: apps/api/config.yaml`],
    ]);

    const diff = diffGenerations(
      before(["api-dev", "web-dev", "web-prod", "old-dev"]),
      generation,
      defaultDiffPolicy(),
    );
    expect(diff.creates.map((c) => c.application.metadata.name).sort()).toEqual(["new-dev", "new-prod"]);
    expect(diff.updates.map((u) => u.application.metadata.name).sort()).toEqual(["web-dev", "web-prod"]);
    expect(diff.deletes).toEqual([]);
    expect(diff.held?.deletes.sort()).toEqual(["api-dev", "old-dev"]);
  });
});

describe("a template error names its field", () => {
  it("an Application name naming a parameter no generator gives fails at metadata.name", async () => {
    const generation = await generate(appSet("{{nosuch}}-{{name}}", { clusters: {} }), {});

    expect(generation.applications).toEqual([]);
    expect(generation.errors.map((e) => [e.element, e.field, e.message])).toEqual([
      [0, "metadata.name", 'metadata.name: missing parameter "nosuch" in "{{nosuch}}-{{name}}"'],
      [1, "metadata.name", 'metadata.name: missing parameter "nosuch" in "{{nosuch}}-{{name}}"'],
    ]);
  });
});
