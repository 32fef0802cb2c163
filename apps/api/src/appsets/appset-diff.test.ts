import { type Application, type Cluster, indexClusters, parseApplicationSets, type RepoReader } from "@flotilla/core";
import { generateApplications } from "@flotilla/engine";
import { describe, expect, it } from "vitest";
import { diffAppSet } from "./appset-diff.ts";

const noGit: RepoReader = {
  resolveRevision: () => Promise.reject(new Error("unused")),
  listTree: () => Promise.reject(new Error("unused")),
  readFile: () => Promise.reject(new Error("unused")),
};
const clusters: Cluster[] = [
  { name: "a", server: "https://a", labels: {}, annotations: {} },
  { name: "b", server: "https://b", labels: {}, annotations: {} },
];

function appSetOf(apps: readonly string[], revision = "main") {
  const text = `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: shop }
spec:
  generators:
    - matrix:
        generators:
          - list: { elements: [ { cluster: a }, { cluster: b } ] }
          - list: { elements: [${apps.map((a) => `{ app: ${a} }`).join(", ")}] }
  template:
    metadata: { name: "{{app}}-{{cluster}}" }
    spec:
      source: { repoURL: https://git.example/x.git, path: "apps/{{app}}", targetRevision: ${revision} }
      destination: { cluster: "{{cluster}}", namespace: "{{app}}" }
`;
  const { appSets, issues } = parseApplicationSets(text, "shop.yaml");
  expect(issues).toEqual([]);
  return appSets[0]!.appSet;
}

async function plan(options: {
  stored: readonly string[];
  next: readonly string[];
  revision?: string;
  baseline?: number;
}) {
  const before = await generateApplications(appSetOf(options.stored), { clusters, repos: noGit });
  const stored = new Map<string, Application>(before.applications.map((a) => [a.metadata.name, a]));
  const appSet = appSetOf(options.next, options.revision);
  const generation = await generateApplications(appSet, { clusters, repos: noGit });
  return diffAppSet({
    appSet,
    generation,
    stored,
    baseline: options.baseline ?? stored.size,
    registry: indexClusters(clusters),
  });
}

describe("diffAppSet", () => {
  it("a new ApplicationSet creates everything, on its cluster", async () => {
    const d = await plan({ stored: [], next: ["web"] });
    expect(d).toMatchObject({ stored: false, updates: [], deletes: [], unchanged: 0 });
    expect(d.creates).toEqual([
      { application: "web-a", cluster: "a" },
      { application: "web-b", cluster: "b" },
    ]);
  });

  it("an unchanged generation changes nothing", async () => {
    expect(await plan({ stored: ["web", "api"], next: ["web", "api"] })).toMatchObject({
      stored: true,
      creates: [],
      updates: [],
      deletes: [],
      unchanged: 4,
    });
  });

  it("an update names the fields that change", async () => {
    const d = await plan({ stored: ["web"], next: ["web"], revision: "v2" });
    expect(d.updates).toEqual([
      { application: "web-a", cluster: "a", fields: ["spec.source.targetRevision"] },
      { application: "web-b", cluster: "b", fields: ["spec.source.targetRevision"] },
    ]);
  });

  it("a removal within the guard deletes, on the stored cluster", async () => {
    const d = await plan({ stored: ["web", "api", "db"], next: ["web", "api"] });
    expect(d.deletes).toEqual([
      { application: "db-a", cluster: "a", held: false },
      { application: "db-b", cluster: "b", held: false },
    ]);
    expect(d.held).toBeUndefined();
  });

  it("a shrink past the guard, counted against the baseline, is held and says why", async () => {
    const d = await plan({ stored: ["web", "api"], next: ["web"], baseline: 8 });
    expect(d.deletes).toEqual([
      { application: "api-a", cluster: "a", held: true },
      { application: "api-b", cluster: "b", held: true },
    ]);
    expect(d.held?.count).toBe(2);
    expect(d.held?.reason).toContain("over the 50% guard");
    expect(d.unchanged).toBe(2);
  });
});
