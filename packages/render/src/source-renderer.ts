import type { ApplicationSource, RepoReader, RepoTree } from "@flotilla/core";
import type { KubernetesObject, SourceKind } from "./bundle.ts";
import type { RenderLimits } from "./options.ts";
import type { ToolRunner } from "./run-tool.ts";

/** Everything a source renderer needs for one input; built once by the Renderer. */
export interface RenderRequest {
  reader: RepoReader;
  repoURL: string;
  commit: string;
  /** The tree at `commit`, as listed by the reader. */
  tree: RepoTree;
  /** Normalised source path ("" for the root). */
  path: string;
  source: ApplicationSource;
  /** Helm release name: `source.helm.releaseName`, else the Application's name. */
  releaseName: string;
  /** Helm release namespace: the Application's destination namespace, when it has one. */
  namespace: string | undefined;
  limits: RenderLimits;
  tools: ToolRunner;
  /** Parent of the per-render temp directories of helm and kustomize. */
  tempDir: string;
}

/** One way of turning a directory of a repository into Kubernetes objects. */
export interface SourceRenderer {
  readonly kind: SourceKind;
  render(request: RenderRequest): Promise<KubernetesObject[]>;
}
