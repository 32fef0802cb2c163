import type { RepoTree } from "@flotilla/core";

/** One entry of `git ls-tree -z` output; `size` only with `-l`, and only for blobs. */
export interface TreeEntry {
  mode: string;
  type: "blob" | "tree" | "commit";
  object: string;
  size: number | undefined;
  path: string;
}

// "<mode> SP <type> SP <object>[ SP+ <size>] TAB <path>", NUL-terminated, paths unquoted thanks to -z.
const ENTRY = /^(\d{6}) (blob|tree|commit) ([0-9a-f]{40,64})(?: +(\d+|-))?\t([\s\S]+)$/;

export function parseLsTree(output: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of output.split("\0")) {
    if (record === "") continue;
    const match = ENTRY.exec(record);
    if (!match) throw new Error(`unexpected ls-tree output: ${JSON.stringify(record.slice(0, 200))}`);
    const [, mode, type, object, size, path] = match;
    entries.push({
      mode: mode!,
      type: type as TreeEntry["type"],
      object: object!,
      size: size === undefined || size === "-" ? undefined : Number(size),
      path: path!,
    });
  }
  return entries;
}

/** Files are blobs (symlinks included, as git stores them); submodules are neither files nor directories. */
export function toRepoTree(entries: readonly TreeEntry[]): RepoTree {
  const files: string[] = [];
  const directories: string[] = [];
  for (const entry of entries) {
    if (entry.type === "blob") files.push(entry.path);
    else if (entry.type === "tree") directories.push(entry.path);
  }
  return { files: files.sort(), directories: directories.sort() };
}
