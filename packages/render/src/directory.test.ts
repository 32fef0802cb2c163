import { describe, expect, it } from "vitest";
import { directoryFilter, manifestFiles } from "./directory.ts";
import { Renderer } from "./renderer.ts";
import { MemoryRepo } from "./testing/memory-repo.ts";

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

function app(path: string, directory?: { recurse?: boolean; include?: string; exclude?: string }, name = "web") {
  return {
    apiVersion: "flotilla.dev/v1alpha1" as const,
    kind: "Application" as const,
    metadata: { name },
    spec: {
      source: {
        repoURL: "https://git.example/fleet.git",
        targetRevision: "main",
        path,
        ...(directory ? { directory } : {}),
      },
      destination: { cluster: "dev", namespace: "web" },
    },
  };
}

describe("manifestFiles", () => {
  const files = [
    "app/a.yaml",
    "app/b.YML",
    "app/c.json",
    "app/README.md",
    "app/.hidden.yaml",
    "app/.github/workflows/ci.yml",
    "app/sub/d.yaml",
    "app/prod/e.yaml",
  ];

  it.each([
    [undefined, undefined, ["app/a.yaml", "app/b.YML", "app/c.json", "app/sub/d.yaml", "app/prod/e.yaml"]],
    ["*.yaml", undefined, ["app/a.yaml", "app/sub/d.yaml", "app/prod/e.yaml"]],
    ["{a.yaml,prod/*}", undefined, ["app/a.yaml", "app/prod/e.yaml"]],
    [undefined, "prod/**", ["app/a.yaml", "app/b.YML", "app/c.json", "app/sub/d.yaml"]],
    ["*.yaml", "d.yaml", ["app/a.yaml", "app/prod/e.yaml"]],
  ])("include %j, exclude %j", (include, exclude, expected) => {
    expect(manifestFiles(files, "app", directoryFilter(include, exclude))).toEqual(expected);
  });
});

describe("DirectoryRenderer through the Renderer", () => {
  const repo = new MemoryRepo();
  const commit = repo.commit("c1", {
    "apps/web/a.yaml": `${cm("a")}---\n${cm("b")}`,
    "apps/web/notes.txt": "not a manifest",
    "apps/web/sub/c.yaml": cm("c"),
    "apps/web/sub/empty.yaml": "---\n# nothing here\n",
    "apps/bad/ok.yaml": cm("ok"),
    "apps/bad/z.yaml": `${cm("x")}---\nkind: Service\nmetadata:\n  name: y\n`,
    "apps/dup/one.yaml": cm("same"),
    "apps/dup/two.yaml": cm("same"),
  });
  const renderer = new Renderer({ reader: repo, now: () => new Date("2025-01-01T00:00:00Z") });

  it("renders the top level, or everything with recurse", async () => {
    const flat = await renderer.render(app("apps/web"), commit);
    expect(flat.manifests.map((m) => m.metadata.name)).toEqual(["a", "b"]);
    expect(flat.source).toEqual({ repoURL: repo.repoURL, commit, path: "apps/web", kind: "directory" });
    expect(flat.renderedAt).toBe("2025-01-01T00:00:00.000Z");
    const deep = await renderer.render(app("apps/web", { recurse: true }), commit);
    expect(deep.manifests.map((m) => m.metadata.name)).toEqual(["a", "b", "c"]);
    expect(repo.reads).not.toContain("apps/web/notes.txt");
  });

  it("names the file, document and line of a bad document", async () => {
    await expect(renderer.render(app("apps/bad"), commit)).rejects.toThrow(
      'apps/bad/z.yaml (document 1, line 6): missing "apiVersion"',
    );
  });

  it("refuses the same object twice, naming both places", async () => {
    await expect(renderer.render(app("apps/dup"), commit)).rejects.toThrow(
      "ConfigMap/same is defined more than once: in apps/dup/one.yaml (document 0, line 1) and in apps/dup/two.yaml (document 0, line 1)",
    );
  });

  it("shares one bundle between Applications of different names", async () => {
    const a = await renderer.render(app("apps/web", undefined, "web-dev"), commit);
    const b = await renderer.render(app("apps/web", undefined, "web-prod"), commit);
    expect(b).toBe(a);
  });
});
