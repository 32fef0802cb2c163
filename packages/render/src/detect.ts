import type { ApplicationSource, RepoTree } from "@flotilla/core";
import type { SourceKind } from "./bundle.ts";
import { RenderError } from "./errors/render-error.ts";
import { joinRepoPath } from "./repo-paths.ts";
import { indexTree } from "./tree-index.ts";

/** The file names kustomize itself accepts as a kustomization, in its order of preference. */
export const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"] as const;

/**
 * Which renderer a source needs, from the files at its path: a kustomization wins over a Chart.yaml (a
 * kustomization may inflate a chart next to it), and a directory without either is plain manifests. `chart`
 * (a chart from a Helm repository) is refused: charts are rendered from Git only, so that a commit pins them.
 */
export function detectSourceKind(source: ApplicationSource, path: string, tree: RepoTree): SourceKind {
  if (source.chart !== undefined && source.chart !== "") {
    throw new RenderError({
      failure: "Unsupported",
      reason:
        `source.chart ${JSON.stringify(source.chart)}: charts from Helm repositories are not supported; ` +
        "commit the chart to Git and point source.path at the directory holding its Chart.yaml",
    });
  }
  const { files, directories } = indexTree(tree);
  if (path !== "" && !directories.has(path)) {
    throw new RenderError({
      failure: "PathNotFound",
      reason: files.has(path)
        ? `source.path ${JSON.stringify(path)} is a file; it must be a directory`
        : `source.path ${JSON.stringify(path)} does not exist at this commit`,
    });
  }
  if (KUSTOMIZATION_FILES.some((name) => files.has(joinRepoPath(path, name)))) return "kustomize";
  if (files.has(joinRepoPath(path, "Chart.yaml"))) return "helm";
  return "directory";
}
