import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Renderer } from "./renderer.ts";
import { testApp } from "./testing/apps.ts";
import { createGitFixture, type GitFixture } from "./testing/git-fixture.ts";

let fx: GitFixture;
let renderer: Renderer;

beforeAll(() => {
  fx = createGitFixture({
    files: { "big/huge.yaml": `data: "${"x".repeat(9 * 1024 * 1024)}"\n` },
    symlinks: { "linked/passwd.yaml": "/etc/passwd", "linked/up.yaml": "../plain/app.yaml" },
  });
  renderer = new Renderer({ reader: fx.cache, tempDir: fx.tempDir });
});
afterAll(() => fx?.cleanup());

describe("plain directories from a real repository", () => {
  it("renders multi-document YAML and JSON, recursively, skipping other files", async () => {
    const bundle = await renderer.render(
      testApp("plain", { repoURL: fx.repoURL, path: "plain", directory: { recurse: true } }),
      fx.commit,
    );
    expect(bundle.source).toEqual({ repoURL: fx.repoURL, commit: fx.commit, path: "plain", kind: "directory" });
    expect(bundle.manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      "ConfigMap/plain-config",
      "ConfigMap/plain-extra",
      "Service/plain-svc",
    ]);
    expect(bundle.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("reads a symbolic link as its target's path, never the target", async () => {
    await expect(renderer.render(testApp("l", { repoURL: fx.repoURL, path: "linked" }), fx.commit)).rejects.toThrow(
      "linked/passwd.yaml (document 0, line 1): expected a Kubernetes object, found a string",
    );
  });

  it("refuses a file over the reader's size limit, for good (not a read failure to retry)", async () => {
    await expect(renderer.render(testApp("b", { repoURL: fx.repoURL, path: "big" }), fx.commit)).rejects.toMatchObject({
      failure: "TooLarge",
      file: "big/huge.yaml",
    });
  });
});
