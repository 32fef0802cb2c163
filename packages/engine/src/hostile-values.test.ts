import { type ApplicationSet, parseApplicationSets, parseYamlDocuments, type RepoReader } from "@flotilla/core";
import { describe, expect, it } from "vitest";
import { generateApplications } from "./generate.ts";

// A git files generator value is attacker-controlled text; it lands in Helm values and a templatePatch.
const HOSTILE = "1.0\nimage: evil/backdoor:latest\n---\nreplicas: 99";

const APPSET = `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: web }
spec:
  generators:
    - list: { elements: [ { name: web, tag: ${JSON.stringify(HOSTILE)} } ] }
  template:
    metadata: { name: "{{name}}" }
    spec:
      source:
        repoURL: https://git.example/charts.git
        path: charts/web
        helm:
          values: |
            image:
              repository: nginx
              tag: {{tag}}
      destination: { cluster: dev, namespace: web }
  templatePatch: |
    metadata:
      annotations:
        tag: {{tag}}
`;

function appSetOf(text: string): ApplicationSet {
  const { appSets, issues } = parseApplicationSets(text, "web.yaml");
  expect(issues).toEqual([]);
  return appSets[0]!.appSet;
}

const noRepos = {} as RepoReader;

describe("generateApplications with hostile parameter values", () => {
  it("keeps a value with newlines and '---' inside its scalar in helm.values and templatePatch", async () => {
    const generation = await generateApplications(appSetOf(APPSET), {
      clusters: [{ name: "dev", server: "https://dev:6443", labels: {}, annotations: {} }],
      repos: noRepos,
    });
    expect(generation.errors).toEqual([]);
    const app = generation.applications[0]!;
    expect(parseYamlDocuments(app.spec.source.helm!.values!, "values").documents.map((d) => d.data)).toEqual([
      { image: { repository: "nginx", tag: HOSTILE } },
    ]);
    expect(app.metadata.annotations).toEqual({ tag: HOSTILE });
  });
});
