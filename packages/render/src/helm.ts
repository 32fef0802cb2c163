import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { KubernetesObject } from "./bundle.ts";
import { RenderError } from "./errors/render-error.ts";
import { isRemoteReference } from "./kustomize.ts";
import { materialize } from "./materialize.ts";
import { resolveInRepo } from "./repo-paths.ts";
import type { RenderRequest, SourceRenderer } from "./source-renderer.ts";
import { parseToolOutput } from "./tool-output.ts";
import { filesUnder, indexTree } from "./tree-index.ts";
import { withWorkspace } from "./workspace.ts";

/**
 * Value files are relative to the chart directory, as in Argo CD, and may live anywhere in the same
 * repository (a shared "values/prod.yaml"); a URL, an absolute path or a path leaving the repository is
 * refused, and a missing file is an error rather than silently ignored.
 */
export function resolveValueFiles(req: RenderRequest): string[] {
  const index = indexTree(req.tree);
  return (req.source.helm?.valueFiles ?? []).map((ref) => {
    const field = "source.helm.valueFiles";
    if (isRemoteReference(ref)) {
      throw new RenderError({
        failure: "RemoteReference",
        reason: `${field} entry ${JSON.stringify(ref)} is a URL; value files must be in the repository`,
      });
    }
    const file = resolveInRepo(req.path, ref, field);
    if (!index.files.has(file)) {
      throw new RenderError({
        failure: "PathNotFound",
        reason: `${field} entry ${JSON.stringify(ref)} (${file}) does not exist in the repository at this commit`,
      });
    }
    return file;
  });
}

/** `name=value` for --set, with helm's separators in the value escaped so one parameter sets one key. */
export function setArgument(name: string, value: string): string {
  if (name === "" || /[=\s]/.test(name)) {
    throw new RenderError({
      failure: "InvalidManifest",
      reason: `source.helm.parameters name ${JSON.stringify(name)} must be non-empty, without "=" or whitespace`,
    });
  }
  return `${name}=${value.replace(/\\/g, "\\\\").replace(/,/g, "\\,")}`;
}

/** The `helm template` arguments after the chart directory and value-file paths are known. */
export function helmTemplateArgs(req: RenderRequest, chartDir: string, valueFiles: readonly string[]): string[] {
  // CRDs from crds/ are part of what the chart installs; test hooks are not (nothing here runs `helm test`).
  const args = ["template", req.releaseName, chartDir, "--include-crds", "--skip-tests"];
  if (req.namespace) args.push("--namespace", req.namespace);
  for (const file of valueFiles) args.push("--values", file);
  for (const p of req.source.helm?.parameters ?? []) args.push("--set", setArgument(p.name, p.value));
  return args;
}

/**
 * `helm template` of a chart committed to Git at the source path. Values apply in increasing precedence:
 * the chart's values.yaml, valueFiles in order, inline `values`, `valuesObject`, then `parameters`.
 */
export class HelmRenderer implements SourceRenderer {
  readonly kind = "helm" as const;

  async render(req: RenderRequest): Promise<KubernetesObject[]> {
    const valueFiles = resolveValueFiles(req);
    const files = [...filesUnder(req.tree, req.path, true), ...valueFiles];
    return withWorkspace(req.tempDir, async (ws) => {
      await materialize(req.reader, req.repoURL, req.commit, files, ws.repo, req.limits);
      const valuePaths = valueFiles.map((file) => join(ws.repo, file));
      const helm = req.source.helm;
      if (helm?.values !== undefined && helm.values.trim() !== "") {
        const file = join(ws.work, "values-inline.yaml");
        await writeFile(file, helm.values);
        valuePaths.push(file);
      }
      if (helm?.valuesObject !== undefined) {
        const file = join(ws.work, "values-object.json");
        await writeFile(file, JSON.stringify(helm.valuesObject));
        valuePaths.push(file);
      }
      const output = await req.tools.run("helm", {
        args: helmTemplateArgs(req, join(ws.repo, req.path), valuePaths),
        cwd: ws.work,
        home: ws.home,
        scrub: [ws.repo, ws.work, ws.root],
      });
      return parseToolOutput(output, "helm template output");
    });
  }
}
