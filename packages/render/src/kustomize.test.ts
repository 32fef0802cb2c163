import type { ApplicationSource } from "@flotilla/core";
import { describe, expect, it } from "vitest";
import type { RenderRequest, ToolRunner } from "./index.ts";
import { isRemoteReference, kustomizationReferences, kustomizeFiles } from "./kustomize.ts";
import { defaultRenderLimits } from "./options.ts";
import { MemoryRepo } from "./testing/memory-repo.ts";

const noTools: ToolRunner = { run: () => Promise.reject(new Error("no tools in unit tests")) };

async function request(files: Record<string, string>, path: string): Promise<RenderRequest> {
  const repo = new MemoryRepo();
  const commit = repo.commit("c", files);
  const source: ApplicationSource = { repoURL: repo.repoURL, path };
  return {
    reader: repo,
    repoURL: repo.repoURL,
    commit,
    tree: await repo.listTree(repo.repoURL, commit),
    path,
    source,
    releaseName: "r",
    namespace: undefined,
    limits: defaultRenderLimits(),
    tools: noTools,
    tempDir: "/nonexistent",
  };
}

describe("isRemoteReference", () => {
  it.each([
    ["https://github.com/org/repo//base?ref=v1", true],
    ["github.com/org/repo/base?ref=v1", true],
    ["git@github.com:org/repo.git", true],
    ["file:///etc", true],
    ["../base", false],
    ["deployment.yaml", false],
  ])("%s → %s", (ref, remote) => {
    expect(isRemoteReference(ref)).toBe(remote);
  });
});

describe("kustomizationReferences", () => {
  it("lists resources, bases and components", () => {
    expect(kustomizationReferences("resources: [a.yaml, ../base]\ncomponents: [../c]\nbases: [../old]\n", "k")).toEqual(
      ["a.yaml", "../base", "../old", "../c"],
    );
  });

  it("refuses malformed lists with a line", () => {
    expect(() => kustomizationReferences("namePrefix: x\nresources: a.yaml\n", "o/kustomization.yaml")).toThrow(
      'o/kustomization.yaml (line 2): "resources" must be a list',
    );
    expect(() => kustomizationReferences("resources:\n  - {a: 1}\n", "k")).toThrow(
      'k (line 2): "resources[0]" must be a string',
    );
  });
});

describe("kustomizeFiles", () => {
  const tree = {
    "base/kustomization.yaml": "resources: [deploy.yaml]\n",
    "base/deploy.yaml": "x",
    "components/c/kustomization.yaml": "kind: Component\n",
    "overlays/prod/kustomization.yaml": "resources: [../../base, extra.yaml]\ncomponents: [../../components/c]\n",
    "overlays/prod/extra.yaml": "x",
    "unrelated/big.yaml": "x",
  };

  it("follows local bases and components, and nothing else", async () => {
    expect((await kustomizeFiles(await request(tree, "overlays/prod"))).sort()).toEqual([
      "base/deploy.yaml",
      "base/kustomization.yaml",
      "components/c/kustomization.yaml",
      "overlays/prod/extra.yaml",
      "overlays/prod/kustomization.yaml",
    ]);
  });

  it.each([
    [
      "resources: [github.com/org/repo//base?ref=v1]\n",
      'app/kustomization.yaml: remote resource "github.com/org/repo//base?ref=v1" is not supported: a render reads only the commit it was given; vendor it into the repository',
    ],
    ["resources: [../../../etc]\n", 'app/kustomization.yaml: reference "../../../etc" leaves the repository'],
    [
      "resources: [/etc/passwd]\n",
      'app/kustomization.yaml: reference "/etc/passwd" is absolute; only paths inside the repository are allowed',
    ],
    [
      "resources: [missing]\n",
      'app/kustomization.yaml: resource "missing" does not exist in the repository at this commit',
    ],
  ])("refuses %j", async (kustomization, message) => {
    const req = await request({ "app/kustomization.yaml": kustomization }, "app");
    await expect(kustomizeFiles(req)).rejects.toThrow(message);
  });

  it("terminates on reference cycles", async () => {
    const req = await request(
      { "a/kustomization.yaml": "resources: [../b]\n", "b/kustomization.yaml": "resources: [../a]\n" },
      "a",
    );
    expect((await kustomizeFiles(req)).sort()).toEqual(["a/kustomization.yaml", "b/kustomization.yaml"]);
  });
});
