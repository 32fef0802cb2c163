import { createHash } from "node:crypto";
import type { RepoReader, RepoTree } from "@flotilla/core";

/**
 * A RepoReader over files held in memory, one snapshot per commit, for unit tests. Directories are derived
 * from file paths, as git lists them.
 */
export class MemoryRepo implements RepoReader {
  readonly #commits = new Map<string, Map<string, string>>();
  /** Every readFile, in order, so tests can assert what was (not) read. */
  readonly reads: string[] = [];

  readonly repoURL: string;

  constructor(repoURL = "https://git.example/fleet.git") {
    this.repoURL = repoURL;
  }

  /** Stores a snapshot under `commit` (a name that is not a commit id is hashed into one) and returns its id. */
  commit(commit: string, files: Record<string, string>): string {
    const id = /^[0-9a-f]{40}$/.test(commit) ? commit : createHash("sha1").update(commit).digest("hex");
    this.#commits.set(id, new Map(Object.entries(files)));
    return id;
  }

  async resolveRevision(_repoURL: string, revision: string): Promise<string> {
    if (this.#commits.has(revision)) return revision;
    throw new Error(`unknown revision ${revision}`);
  }

  async listTree(repoURL: string, commit: string): Promise<RepoTree> {
    const files = [...this.#snapshot(repoURL, commit).keys()].sort();
    const dirs = new Set<string>();
    for (const file of files) {
      const parts = file.split("/");
      for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
    }
    return { files, directories: [...dirs].sort() };
  }

  async readFile(repoURL: string, commit: string, path: string): Promise<string> {
    const content = this.#snapshot(repoURL, commit).get(path);
    if (content === undefined) throw new Error(`${path} not found at ${commit}`);
    this.reads.push(path);
    return content;
  }

  #snapshot(repoURL: string, commit: string): Map<string, string> {
    if (repoURL !== this.repoURL) throw new Error(`unknown repository ${repoURL}`);
    const snapshot = this.#commits.get(commit);
    if (!snapshot) throw new Error(`unknown commit ${commit}`);
    return snapshot;
  }
}
