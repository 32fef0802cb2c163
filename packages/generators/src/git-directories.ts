import type { FieldPath, Params } from "@flotilla/core";
import type { RepoSnapshot } from "./git.ts";
import { compilePathFilter, type PathEntry } from "./path-filter.ts";
import { pathParams } from "./path-params.ts";
import { addValues } from "./values.ts";

interface GitDirectorySpec {
  pathParamPrefix?: string | undefined;
  values?: Record<string, string> | undefined;
}

/**
 * One parameter set per matching directory, in path order. Directories with a segment starting with `.`
 * (`.git`, `.github`) are never generated, as in Argo CD.
 */
export function gitDirectoryParams(
  git: GitDirectorySpec,
  entries: readonly PathEntry[],
  snapshot: RepoSnapshot,
  at: FieldPath,
): Params[] {
  const keep = compilePathFilter(entries, "directories", at);
  return snapshot.tree.directories
    .filter((dir) => !dir.split("/").some((segment) => segment.startsWith(".")) && keep(dir))
    .sort()
    .map((dir) => addValues(pathParams(dir, git.pathParamPrefix), git.values, at, `directory ${JSON.stringify(dir)}`));
}
