import type { ApplicationSet, Cluster, Generation } from "@flotilla/core";
import { specDigest } from "@flotilla/core";
import { DEFAULT_COMMIT, MemoryRepoReader } from "@flotilla/generators/testing";
import { describe, expect, it } from "vitest";
import { generateApplications } from "./generate.ts";
import { GenerationMemo } from "./generation-memo.ts";

// A generation with a memo must be the generation without one, byte for byte, whatever changed in between: each
// step below generates once through a memo kept across the steps and once from scratch, and compares the JSON.

const REPO = "https://git.example/fleet.git";

interface Fleet {
  clusters: Cluster[];
  elements: Record<string, unknown>[];
  overrides: Record<string, unknown>[];
  /** The template's name; `{{app}}-{{name}}` unless a step changes it. */
  name?: string;
  templatePatch?: string;
}

const cluster = (i: number, env = i % 2 === 0 ? "prod" : "dev"): Cluster => ({
  name: `c${i}`,
  server: `https://c${i}.example:6443`,
  labels: { env, region: `r${i % 3}` },
  annotations: {},
});

// Built as objects, as a parse would give them (the parse itself is tested in @flotilla/core).
function appSetOf(fleet: Fleet): ApplicationSet {
  return {
    apiVersion: "flotilla.dev/v1alpha1",
    kind: "ApplicationSet",
    metadata: { name: "web" },
    spec: {
      generators: [
        {
          merge: {
            mergeKeys: ["app", "name"],
            generators: [
              {
                matrix: {
                  generators: [
                    {
                      clusters: {
                        selector: { matchLabels: { env: "prod" } },
                        values: { tier: "{{metadata.labels.region}}" },
                      },
                    },
                    { list: { elements: fleet.elements } },
                  ],
                },
              },
              { list: { elements: fleet.overrides } },
            ],
          },
        },
      ],
      template: {
        metadata: { name: fleet.name ?? "{{app}}-{{name}}", labels: { team: "{{team}}", tier: "{{values.tier}}" } },
        spec: {
          source: { repoURL: REPO, targetRevision: "{{rev}}", path: "apps/{{app}}" },
          destination: { server: "{{server}}", namespace: "{{app}}" },
          syncPolicy: { automated: { prune: true } },
        },
      },
      ...(fleet.templatePatch !== undefined && { templatePatch: fleet.templatePatch }),
    },
  } as ApplicationSet;
}

const repos = new MemoryRepoReader({ [REPO]: { files: {} } });
const generate = (fleet: Fleet, memo?: GenerationMemo): Promise<Generation> =>
  generateApplications(appSetOf(fleet), { clusters: fleet.clusters, repos, ...(memo !== undefined && { memo }) });

const elements = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ app: `app-${i}`, team: `team-${i % 3}`, rev: "v0" }));
const start = (): Fleet => ({
  clusters: Array.from({ length: 6 }, (_, i) => cluster(i)),
  elements: elements(5),
  overrides: [{ app: "app-0", name: "c0", rev: "v1" }],
});

/** Each step changes the fleet as a push (or the registry) would; the memo is kept across all of them. */
const steps: [string, (f: Fleet) => Fleet][] = [
  ["a one-element push", (f) => ({ ...f, overrides: [{ app: "app-0", name: "c0", rev: "v2" }] })],
  ["nothing changed", (f) => f],
  ["an element removed", (f) => ({ ...f, elements: f.elements.filter((e) => e.app !== "app-2") })],
  [
    "an element put back in another place",
    (f) => ({ ...f, elements: [{ app: "app-2", team: "team-2", rev: "v0" }, ...f.elements] }),
  ],
  [
    "a cluster relabelled in the same cycle as a push",
    (f) => ({
      ...f,
      clusters: f.clusters.map((c) => (c.name === "c1" ? cluster(1, "prod") : c.name === "c2" ? cluster(2, "dev") : c)),
      overrides: [{ app: "app-1", name: "c1", rev: "v3" }],
    }),
  ],
  [
    "a template error in one element",
    (f) => ({
      ...f,
      elements: f.elements.map((e) => (e.app === "app-3" ? { app: "App_3!", team: "t", rev: "v0" } : e)),
    }),
  ],
  ["a missing parameter in one element", (f) => ({ ...f, elements: [...f.elements, { app: "app-9", rev: "v0" }] })],
  [
    "a merge key duplicated",
    (f) => ({
      ...f,
      overrides: [
        { app: "app-1", name: "c1", rev: "v4" },
        { app: "app-1", name: "c1", rev: "v5" },
      ],
    }),
  ],
  ["the duplicate fixed", (f) => ({ ...f, overrides: [{ app: "app-1", name: "c1", rev: "v4" }] })],
  ["two elements producing one name", (f) => ({ ...f, name: "{{team}}-{{name}}" })],
  ["the template changed", (f) => ({ ...f, name: "{{app}}-on-{{name}}" })],
  ["a templatePatch added", (f) => ({ ...f, templatePatch: 'spec:\n  source:\n    path: "patched/{{app}}"\n' })],
  [
    "a destination cluster re-pointed to another server",
    (f) => ({
      ...f,
      clusters: f.clusters.map((c) => (c.name === "c0" ? { ...c, server: "https://moved.example:6443" } : c)),
    }),
  ],
  ["a cluster removed", (f) => ({ ...f, clusters: f.clusters.filter((c) => c.name !== "c4") })],
  [
    "values that only their type tells apart",
    (f) => ({
      ...f,
      elements: [
        ...f.elements,
        { app: "app-n", team: null, rev: "v0" },
        { app: "app-m", team: "null", rev: "v0" },
        { app: "app-t", team: true, rev: "v0" },
        { app: "app-u", team: "true", rev: "v0" },
        { app: "app-o", team: "1", rev: "v0" },
        { app: "app-p", team: 1, rev: "v0" },
      ],
    }),
  ],
  [
    "the same element with its keys in another order",
    (f) => ({
      ...f,
      elements: f.elements.map((e) => (e.app === "app-4" ? { rev: "v0", team: "team-1", app: "app-4" } : e)),
    }),
  ],
  [
    "a __proto__ key from Git",
    (f) => ({
      ...f,
      elements: [...f.elements, JSON.parse('{"app":"app-q","team":"q","rev":"v0","__proto__":{"x":1}}')],
    }),
  ],
];

describe("a generation through a GenerationMemo is the generation without one", () => {
  it("after every kind of change, step by step", async () => {
    const memo = new GenerationMemo();
    let fleet = start();
    expect(JSON.stringify(await generate(fleet, memo))).toBe(JSON.stringify(await generate(fleet)));
    const failed: string[] = [];
    for (const [what, change] of steps) {
      fleet = change(fleet);
      const incremental = await generate(fleet, memo);
      const full = await generate(fleet);
      expect({ what, json: JSON.stringify(incremental) }).toEqual({ what, json: JSON.stringify(full) });
      expect({ what, applications: full.applications.length > 0 || full.generatorError !== undefined }).toEqual({
        what,
        applications: true,
      });
      if (full.generatorError !== undefined) failed.push(what);
    }
    // The steps test what they say: only the duplicated merge key fails the whole generation.
    expect(failed).toEqual(["a merge key duplicated"]);
  });

  it("each step compared with a memo that saw only the step before it", async () => {
    let fleet = start();
    for (const [what, change] of steps) {
      const memo = new GenerationMemo();
      await generate(fleet, memo);
      fleet = change(fleet);
      const incremental = await generate(fleet, memo);
      expect({ what, json: JSON.stringify(incremental) }).toEqual({
        what,
        json: JSON.stringify(await generate(fleet)),
      });
    }
  });

  it("reuses what did not change: a one-element push renders one Application", async () => {
    const memo = new GenerationMemo();
    const fleet = start();
    const first = await generate(fleet, memo);
    const pushed = await generate({ ...fleet, overrides: [{ app: "app-0", name: "c0", rev: "v2" }] }, memo);
    const byName = new Map(first.applications.map((a) => [a.metadata.name, a]));
    const fresh = pushed.applications.filter((a) => byName.get(a.metadata.name) !== a).map((a) => a.metadata.name);
    expect(fresh).toEqual(["app-0-c0"]);
    expect(pushed.applications.find((a) => a.metadata.name === "app-0-c0")?.spec.source.targetRevision).toBe("v2");
  });

  it("a relabel renders only the relabelled cluster's Applications again", async () => {
    const memo = new GenerationMemo();
    const fleet = start();
    const first = await generate(fleet, memo);
    const relabelled = {
      ...fleet,
      clusters: fleet.clusters.map((c) => (c.name === "c2" ? { ...c, labels: { ...c.labels, region: "r9" } } : c)),
    };
    const next = await generate(relabelled, memo);
    const before = new Set(first.applications);
    const fresh = next.applications.filter((a) => !before.has(a)).map((a) => a.metadata.name);
    expect(fresh.sort()).toEqual(
      elements(5)
        .map((e) => `${e.app}-c2`)
        .sort(),
    );
    expect(next.applications.find((a) => a.metadata.name === "app-1-c2")?.metadata.labels?.tier).toBe("r9");
  });

  it("a destination registered later: the same parameters render again against the new registry", async () => {
    const appSet = {
      apiVersion: "flotilla.dev/v1alpha1",
      kind: "ApplicationSet",
      metadata: { name: "pinned" },
      spec: {
        generators: [{ list: { elements: [{ app: "a", target: "c9" }] } }],
        template: {
          metadata: { name: "{{app}}-{{target}}" },
          spec: { source: { repoURL: REPO, path: "x" }, destination: { cluster: "{{target}}", namespace: "x" } },
        },
      },
    } as ApplicationSet;
    const memo = new GenerationMemo();
    for (const clusters of [[cluster(0)], [cluster(0), cluster(9)], [cluster(0)]]) {
      const incremental = await generateApplications(appSet, { clusters, repos, memo });
      const full = await generateApplications(appSet, { clusters, repos });
      expect(JSON.stringify(incremental)).toBe(JSON.stringify(full));
      expect(full.applications.length).toBe(clusters.length - 1);
    }
  });

  it("a spec digest is computed once per rendered Application and equals specDigest", async () => {
    const memo = new GenerationMemo();
    const { applications } = await generate(start(), memo);
    for (const app of applications) expect(memo.specDigest(app)).toBe(specDigest(app));
  });

  it("a git generator's output is rendered anew every time, and still equal", async () => {
    const git = new MemoryRepoReader({
      [REPO]: { files: { "apps/a/config.yaml": "x: 1\n", "apps/b/config.yaml": "x: [2\n" } },
    });
    const appSet = {
      apiVersion: "flotilla.dev/v1alpha1",
      kind: "ApplicationSet",
      metadata: { name: "files" },
      spec: {
        generators: [
          {
            matrix: {
              generators: [
                { clusters: {} },
                { git: { repoURL: REPO, revision: DEFAULT_COMMIT, files: [{ path: "apps/*/config.yaml" }] } },
              ],
            },
          },
        ],
        template: {
          metadata: { name: "{{path.basename}}-{{name}}" },
          spec: { source: { repoURL: REPO, path: "{{path}}" }, destination: { cluster: "{{name}}", namespace: "x" } },
        },
      },
    } as ApplicationSet;
    const clusters = [cluster(0), cluster(1)];
    const memo = new GenerationMemo();
    const once = await generateApplications(appSet, { clusters, repos: git, memo });
    const twice = await generateApplications(appSet, { clusters, repos: git, memo });
    const full = await generateApplications(appSet, { clusters, repos: git });
    expect(JSON.stringify(twice)).toBe(JSON.stringify(full));
    expect(JSON.stringify(once)).toBe(JSON.stringify(full));
    expect(full.errors.length).toBe(2);
  });
});
