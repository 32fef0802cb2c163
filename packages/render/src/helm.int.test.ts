import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubernetesObject } from "./bundle.ts";
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
      "helm/deps/Chart.yaml":
        "apiVersion: v2\nname: deps\nversion: 0.1.0\ndependencies:\n  - name: redis\n    version: 1.0.0\n    repository: https://charts.example\n",
    },
    symlinks: { "helm/linked/Chart.yaml": "../web/Chart.yaml" },
  });
  renderer = new Renderer({ reader: fx.cache, tempDir: fx.tempDir, tools: tools.paths });
});
afterAll(() => fx?.cleanup());

const find = (objects: KubernetesObject[], kind: string) =>
  objects.find((m) => m.kind === kind) as KubernetesObject & {
    spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
    data: Record<string, string>;
  };

describe.skipIf(tools.missing.length > 0)("helm template with the real binary", () => {
  it("renders a chart from Git with the Application name as release and its namespace", async () => {
    const bundle = await renderer.render(
      testApp("web-dev", { repoURL: fx.repoURL, path: "helm/web" }, "shop"),
      fx.commit,
    );
    expect(bundle.source.kind).toBe("helm");
    // The test hook is left out (--skip-tests).
    expect(bundle.manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      "ConfigMap/web-dev-config",
      "Deployment/web-dev",
    ]);
    expect(find(bundle.manifests, "Deployment").metadata.namespace).toBe("shop");
    expect(find(bundle.manifests, "Deployment").spec.replicas).toBe(1);
  });

  it("applies value files (in and outside the chart), inline values, valuesObject and parameters in order", async () => {
    const bundle = await renderer.render(
      testApp("web-prod", {
        repoURL: fx.repoURL,
        path: "helm/web",
        helm: {
          releaseName: "shop",
          valueFiles: ["values-prod.yaml", "../../values/shared.yaml"],
          values: "greeting: inline\nimage: nginx:1.26\n",
          valuesObject: { image: "nginx:1.27" },
          parameters: [{ name: "greeting", value: "a,b" }],
        },
      }),
      fx.commit,
    );
    const deploy = find(bundle.manifests, "Deployment");
    expect(deploy.metadata.name).toBe("shop");
    expect(deploy.spec.replicas).toBe(3);
    expect(deploy.spec.template.spec.containers[0]!.image).toBe("nginx:1.27");
    expect(find(bundle.manifests, "ConfigMap").data).toEqual({ greeting: "a,b", tier: "gold" });
  });

  it("surfaces a failing chart's error with the template it came from", async () => {
    const err = await renderer
      .render(testApp("b", { repoURL: fx.repoURL, path: "helm/broken" }), fx.commit)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ failure: "ToolFailed", tool: "helm", exitCode: 1 });
    expect((err as Error).message).toMatch(
      /^helm template failed \(exit 1\): Error: .*broken\/templates\/bad.yaml.*the broken chart refuses to render/s,
    );
    expect((err as Error).message).not.toContain(fx.tempDir);
  });

  it("fails a chart whose dependencies are not vendored, without fetching them", async () => {
    const err = await renderer
      .render(testApp("d", { repoURL: fx.repoURL, path: "helm/deps" }), fx.commit)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ failure: "ToolFailed", tool: "helm" });
    expect((err as Error).message).toContain("missing in charts/ directory: redis");
  });

  it("refuses value files outside the repository and by URL", async () => {
    const app = (valueFiles: string[]) => testApp("v", { repoURL: fx.repoURL, path: "helm/web", helm: { valueFiles } });
    await expect(renderer.render(app(["../../../../etc/passwd"]), fx.commit)).rejects.toMatchObject({
      failure: "UnsafePath",
    });
    await expect(renderer.render(app(["https://evil.example/values.yaml"]), fx.commit)).rejects.toMatchObject({
      failure: "RemoteReference",
    });
  });

  it("does not follow a symlinked Chart.yaml out of the chart", async () => {
    const err = await renderer
      .render(testApp("s", { repoURL: fx.repoURL, path: "helm/linked" }), fx.commit)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ failure: "ToolFailed", tool: "helm" });
  });

  it("renders 10 concurrent requests for one input with one helm run", async () => {
    const r = new Renderer({ reader: fx.cache, tempDir: fx.tempDir, tools: tools.paths });
    const apps = Array.from({ length: 10 }, () => testApp("same", { repoURL: fx.repoURL, path: "helm/web" }));
    const bundles = await Promise.all(apps.map((a) => r.render(a, fx.commit)));
    expect(new Set(bundles.map((b) => b.digest)).size).toBe(1);
    expect(r.stats()).toMatchObject({ renders: 1, joined: 9 });
    // A different release name is a different input for a chart.
    await r.render(testApp("other", { repoURL: fx.repoURL, path: "helm/web" }), fx.commit);
    expect(r.stats().renders).toBe(2);
  });
});

describe("a missing helm binary", () => {
  it("is a clear error naming the binary and the variable", async () => {
    const r = new Renderer({
      reader: fx.cache,
      tempDir: fx.tempDir,
      tools: { helm: "no-such-helm-binary", kustomize: "k" },
    });
    await expect(r.render(testApp("m", { repoURL: fx.repoURL, path: "helm/web" }), fx.commit)).rejects.toMatchObject({
      failure: "ToolNotFound",
      tool: "helm",
    });
  });
});
