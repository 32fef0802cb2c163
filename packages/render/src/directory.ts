import picomatch from "picomatch";
import type { KubernetesObject } from "./bundle.ts";
import { RenderError } from "./errors/render-error.ts";
import { parseManifests } from "./manifests.ts";
import { readFiles } from "./read-files.ts";
import { relativeTo } from "./repo-paths.ts";
import type { RenderRequest, SourceRenderer } from "./source-renderer.ts";
import { filesUnder } from "./tree-index.ts";

const MANIFEST_EXTENSIONS = [".yaml", ".yml", ".json"];

export type PathFilter = (relativePath: string) => boolean;

/**
 * `directory.include` / `directory.exclude` as a filter over paths relative to the source path. A pattern
 * without "/" matches a file name at any depth ("*.yaml"), one with "/" the whole relative path
 * ("prod/**"); "{a,b}" alternatives are allowed, as in Argo CD.
 */
export function directoryFilter(include: string | undefined, exclude: string | undefined): PathFilter {
  const compile = (pattern: string, field: string): PathFilter => {
    try {
      return picomatch(pattern, { dot: true, basename: !pattern.includes("/") });
    } catch (err) {
      throw new RenderError({
        failure: "InvalidManifest",
        reason: `source.directory.${field} ${JSON.stringify(pattern)} is not a valid pattern: ${(err as Error).message}`,
      });
    }
  };
  const inc = include ? compile(include, "include") : () => true;
  const exc = exclude ? compile(exclude, "exclude") : () => false;
  return (path) => inc(path) && !exc(path);
}

/**
 * The files of a plain directory source that are read as manifests: YAML and JSON only, nothing under a
 * dot-directory or named with a leading dot (CI configuration, editor files and the like live there and are
 * never manifests), then the include/exclude filter.
 */
export function manifestFiles(files: readonly string[], dir: string, filter: PathFilter): string[] {
  return files.filter((file) => {
    const rel = relativeTo(file, dir);
    if (rel.split("/").some((segment) => segment.startsWith("."))) return false;
    const lower = rel.toLowerCase();
    if (!MANIFEST_EXTENSIONS.some((ext) => lower.endsWith(ext))) return false;
    return filter(rel);
  });
}

/** Plain manifests: every YAML/JSON document of the directory (and below, with `directory.recurse`). */
export class DirectoryRenderer implements SourceRenderer {
  readonly kind = "directory" as const;

  async render(req: RenderRequest): Promise<KubernetesObject[]> {
    const dir = req.source.directory;
    const candidates = filesUnder(req.tree, req.path, dir?.recurse === true);
    const files = manifestFiles(candidates, req.path, directoryFilter(dir?.include, dir?.exclude));
    const texts = await readFiles(req.reader, req.repoURL, req.commit, files, req.limits);
    const objects: KubernetesObject[] = [];
    for (const { path, text } of texts) objects.push(...parseManifests(text, path));
    return objects;
  }
}
