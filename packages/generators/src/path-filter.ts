import type { FieldPath } from "@flotilla/core";
import { GeneratorError } from "./errors.ts";
import { BadPatternError, compilePathPattern, type PathMatcher } from "./glob.ts";

export interface PathEntry {
  path: string;
  exclude?: boolean | undefined;
}

/**
 * Include/exclude filtering as Argo CD documents it: a path is kept when it matches at least one include
 * entry and no exclude entry — exclude always wins, whatever the order of the entries.
 */
export function compilePathFilter(
  entries: readonly PathEntry[],
  field: "directories" | "files",
  at: FieldPath,
): PathMatcher {
  const includes: PathMatcher[] = [];
  const excludes: PathMatcher[] = [];
  entries.forEach((entry, i) => {
    try {
      (entry.exclude ? excludes : includes).push(compilePathPattern(entry.path, field === "files"));
    } catch (err) {
      if (!(err instanceof BadPatternError)) throw err;
      throw new GeneratorError({ at: [...at, field, i, "path"], code: "invalid-spec", reason: err.message });
    }
  });
  return (path) => includes.some((m) => m(path)) && !excludes.some((m) => m(path));
}
