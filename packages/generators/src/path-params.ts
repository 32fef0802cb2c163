import { newParams, type Params } from "@flotilla/core";
import { sanitizeName } from "@flotilla/template";

/**
 * The path parameters of Argo CD's git generators, under an optional `pathParamPrefix`:
 * `path`, `path.basename`, `path.basenameNormalized`, `path[n]` (one per non-empty segment) and
 * `path.segments` (the segments as a list). For git files, `path` is the directory holding the file and
 * `path.filename` / `path.filenameNormalized` name the file itself.
 */
export function pathParams(dir: string, prefix: string | undefined, file?: string): Params {
  const base = prefix ? `${prefix}.path` : "path";
  const out = newParams();
  const basename = dir.slice(dir.lastIndexOf("/") + 1);
  out[base] = dir;
  out[`${base}.basename`] = basename;
  out[`${base}.basenameNormalized`] = sanitizeName(basename);
  if (file !== undefined) {
    out[`${base}.filename`] = file;
    out[`${base}.filenameNormalized`] = sanitizeName(file);
  }
  const segments = dir.split("/");
  segments.forEach((segment, i) => {
    if (segment) out[`${base}[${i}]`] = segment;
  });
  out[`${base}.segments`] = Object.freeze(segments.filter((s) => s !== "")) as string[];
  return out;
}

/** Splits `a/b/c.yaml` into its directory (`a/b`, or `.` at the root, as Go's path.Dir) and file name. */
export function splitFilePath(path: string): { dir: string; file: string } {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? { dir: ".", file: path } : { dir: path.slice(0, slash), file: path.slice(slash + 1) };
}
