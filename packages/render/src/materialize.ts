import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import type { RepoReader } from "@flotilla/core";
import { RenderError } from "./errors/render-error.ts";
import type { RenderLimits } from "./options.ts";
import { readFiles } from "./read-files.ts";

/**
 * Writes the given repository files under `root`, at their repository paths, for a tool that reads a directory.
 * Everything is written as a regular file: a symbolic link in Git arrives as a blob holding its target and is
 * written as that text, so a link can never make a tool read outside `root`.
 */
export async function materialize(
  reader: RepoReader,
  repoURL: string,
  commit: string,
  paths: readonly string[],
  root: string,
  limits: RenderLimits,
): Promise<void> {
  const files = await readFiles(reader, repoURL, commit, [...new Set(paths)].sort(), limits);
  const dirs = new Set<string>();
  for (const file of files) {
    const target = join(root, file.path);
    const rel = relative(root, target);
    if (rel.startsWith("..") || rel === "") {
      throw new RenderError({ failure: "UnsafePath", file: file.path, reason: "path leaves the repository" });
    }
    dirs.add(dirname(target));
  }
  for (const dir of [...dirs].sort()) await mkdir(dir, { recursive: true });
  await Promise.all(files.map((file) => writeFile(join(root, file.path), file.text)));
}
