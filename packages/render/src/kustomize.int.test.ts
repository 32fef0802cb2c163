import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Renderer } from "./renderer.ts";
import { testApp } from "./testing/apps.ts";
import { testTools } from "./testing/binaries.ts";
import { createGitFixture, type GitFixture } from "./testing/git-fixture.ts";

const tools = testTools();
let fx: GitFixture;
let renderer: Renderer;

beforeAll(() => {
  fx = createGitFixture({
    files: {
      "kustomize/escape/kustomization.yaml": "resources:\n  - ../../../outside\n",
      "kustomize/rooted/kustomization.yaml": "resources:\n  - ../base/service.yaml\n",
      "kustomize/helmy/kustomization.yaml": "helmCharts:\n  - name: web\n    repo: https://charts.example\n",
    },
  });
  renderer = new Renderer({ reader: fx.cache, tempDir: fx.tempDir, tools: tools.paths });
});
afterAll(() => fx?.cleanup());

const app = (path: string, kustomize?: Record<string, unknown>) =>
  testApp(`k-${path.replaceAll("/", "-")}`, { repoURL: fx.repoURL, path, ...(kustomize ? { kustomize } : {}) });

describe.skipIf(tools.missing.length > 0)("kustomize build with the real binary", () => {
  it("builds an overlay over a base elsewhere in the repository", async () => {
    const bundle = await renderer.render(app("kustomize/overlays/prod"), fx.commit);
    expect(bundle.source.kind).toBe("kustomize");
    expect(bundle.manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      "Service/prod-web",
      "Deployment/prod-web",
    ]);
    const deploy = bundle.manifests.find((m) => m.kind === "Deployment") as unknown as { spec: { replicas: number } };
    expect(deploy.spec.replicas).toBe(3);
  });

  it("applies the Application's kustomize settings through an overlay", async () => {
    const bundle = await renderer.render(
      app("kustomize/base", {
        namePrefix: "a-",
        nameSuffix: "-z",
        namespace: "team",
        images: ["nginx=registry.example/nginx:1.27"],
        commonLabels: { team: "blue" },
        commonAnnotations: { owner: "platform" },
      }),
      fx.commit,
    );
    const deploy = bundle.manifests.find((m) => m.kind === "Deployment")!;
    expect(deploy.metadata).toMatchObject({
      name: "a-web-z",
      namespace: "team",
      labels: { team: "blue" },
      annotations: { owner: "platform" },
    });
    expect(JSON.stringify(deploy)).toContain('"image":"registry.example/nginx:1.27"');
  });

  it("refuses a remote base before running kustomize", async () => {
    await expect(renderer.render(app("kustomize/remote"), fx.commit)).rejects.toMatchObject({
      failure: "RemoteReference",
      file: "kustomize/remote/kustomization.yaml",
    });
  });

  it("refuses a reference leaving the repository", async () => {
    await expect(renderer.render(app("kustomize/escape"), fx.commit)).rejects.toThrow(
      'kustomize/escape/kustomization.yaml: reference "../../../outside" leaves the repository',
    );
  });

  it("surfaces kustomize's own refusal (file outside the kustomization root) with repository paths", async () => {
    const err = await renderer.render(app("kustomize/rooted"), fx.commit).catch((e: unknown) => e);
    expect(err).toMatchObject({ failure: "ToolFailed", tool: "kustomize" });
    const message = (err as Error).message;
    expect(message).toMatch(
      /^kustomize build failed \(exit 1\): Error: .*security; file .*kustomize\/base\/service.yaml/s,
    );
    expect(message).not.toContain(fx.tempDir);
  });

  it("does not inflate Helm charts inside kustomize (no --enable-helm)", async () => {
    await expect(renderer.render(app("kustomize/helmy"), fx.commit)).rejects.toMatchObject({ failure: "ToolFailed" });
  });
});

describe("a missing kustomize binary", () => {
  it("is a clear error naming the binary, the variable and the setup script", async () => {
    const r = new Renderer({
      reader: fx.cache,
      tempDir: fx.tempDir,
      tools: { helm: "helm", kustomize: "/nonexistent/kustomize" },
    });
    await expect(r.render(app("kustomize/base"), fx.commit)).rejects.toThrow(
      'kustomize binary not found (tried "/nonexistent/kustomize"); set FLOTILLA_KUSTOMIZE to its path or put kustomize on PATH (bash scripts/testbed/setup.sh builds it)',
    );
  });
});
