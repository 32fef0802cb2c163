import type { ApplicationSource } from "@flotilla/core";
import { describe, expect, it } from "vitest";
import { helmTemplateArgs, resolveValueFiles, setArgument } from "./helm.ts";
import type { RenderRequest, ToolRunner } from "./index.ts";
import { defaultRenderLimits } from "./options.ts";

const noTools: ToolRunner = { run: () => Promise.reject(new Error("no tools in unit tests")) };

function request(helm: ApplicationSource["helm"], namespace: string | undefined = "web"): RenderRequest {
  return {
    reader: {
      resolveRevision: async (_u, r) => r,
      listTree: async () => ({ files: [], directories: [] }),
      readFile: async () => "",
    },
    repoURL: "https://git.example/fleet.git",
    commit: "c".repeat(40),
    tree: { files: ["charts/web/Chart.yaml", "charts/web/values-prod.yaml", "values/shared.yaml"], directories: [] },
    path: "charts/web",
    source: { repoURL: "https://git.example/fleet.git", path: "charts/web", helm },
    releaseName: "web-dev",
    namespace,
    limits: defaultRenderLimits(),
    tools: noTools,
    tempDir: "/nonexistent",
  };
}

describe("helm arguments", () => {
  it("builds helm template with release, namespace, values and parameters", () => {
    const req = request({
      parameters: [
        { name: "image.tag", value: "1.2" },
        { name: "list", value: "a,b\\c" },
      ],
    });
    expect(helmTemplateArgs(req, "/w/repo/charts/web", ["/w/repo/values/shared.yaml"])).toEqual([
      "template",
      "web-dev",
      "/w/repo/charts/web",
      "--include-crds",
      "--skip-tests",
      "--namespace",
      "web",
      "--values",
      "/w/repo/values/shared.yaml",
      "--set",
      "image.tag=1.2",
      "--set",
      "list=a\\,b\\\\c",
    ]);
    expect(helmTemplateArgs(request(undefined, ""), "/c", [])).toEqual([
      "template",
      "web-dev",
      "/c",
      "--include-crds",
      "--skip-tests",
    ]);
  });

  it("refuses parameter names that would set something else", () => {
    expect(() => setArgument("a=b", "c")).toThrow(
      'source.helm.parameters name "a=b" must be non-empty, without "=" or whitespace',
    );
  });
});

describe("resolveValueFiles", () => {
  it("resolves relative to the chart, anywhere in the repository", () => {
    expect(resolveValueFiles(request({ valueFiles: ["values-prod.yaml", "../../values/shared.yaml"] }))).toEqual([
      "charts/web/values-prod.yaml",
      "values/shared.yaml",
    ]);
  });

  it.each([
    ["../../../secrets.yaml", 'source.helm.valueFiles: reference "../../../secrets.yaml" leaves the repository'],
    [
      "/etc/passwd",
      'source.helm.valueFiles: reference "/etc/passwd" is absolute; only paths inside the repository are allowed',
    ],
    [
      "https://evil.example/v.yaml",
      'source.helm.valueFiles entry "https://evil.example/v.yaml" is a URL; value files must be in the repository',
    ],
    [
      "nope.yaml",
      'source.helm.valueFiles entry "nope.yaml" (charts/web/nope.yaml) does not exist in the repository at this commit',
    ],
  ])("refuses %j", (file, message) => {
    expect(() => resolveValueFiles(request({ valueFiles: [file] }))).toThrow(message);
  });
});
