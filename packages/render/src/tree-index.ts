import type { RepoTree } from "@flotilla/core";

export interface TreeIndex {
  files: ReadonlySet<string>;
  directories: ReadonlySet<string>;
}

// A reader hands out the same tree object for a commit, and a thousand Applications on one commit each look
// things up in it; the sets are built once per tree.
const indexes = new WeakMap<RepoTree, TreeIndex>();

export function indexTree(tree: RepoTree): TreeIndex {
  let index = indexes.get(tree);
  if (!index) {
    index = { files: new Set(tree.files), directories: new Set(tree.directories) };
    indexes.set(tree, index);
  }
  return index;
}

/** Files under `dir` ("" for all), directly in it unless `recursive`. */
export function filesUnder(tree: RepoTree, dir: string, recursive: boolean): string[] {
  const prefix = dir === "" ? "" : `${dir}/`;
  return tree.files.filter((f) => f.startsWith(prefix) && (recursive || !f.slice(prefix.length).includes("/")));
}
