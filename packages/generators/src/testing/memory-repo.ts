import type { RepoReader, RepoTree } from "@flotilla/core";

/** One repository's content at one commit, with the refs that point at it. */
export interface MemoryRepo {
  /** Full commit id; defaults to a fixed fake id. */
  commit?: string;
  /** Branch or tag names resolving to `commit`; HEAD always does. */
  refs?: readonly string[];
  /** Path → content. Directories are derived from the file paths. */
  files: Readonly<Record<string, string>>;
}

export const DEFAULT_COMMIT = "0123456789abcdef0123456789abcdef01234567";

/**
 * An in-memory `RepoReader` for unit tests. Unknown repositories, revisions, commits and files reject with
 * errors shaped like a real reader's, and every call is recorded in `calls` so tests can assert what was read.
 */
export class MemoryRepoReader implements RepoReader {
  readonly calls: string[] = [];
  private readonly repos: ReadonlyMap<string, MemoryRepo>;

  constructor(repos: Readonly<Record<string, MemoryRepo>>) {
    this.repos = new Map(Object.entries(repos));
  }

  async resolveRevision(repoURL: string, revision: string): Promise<string> {
    this.calls.push(`resolveRevision ${repoURL} ${revision}`);
    const repo = this.repo(repoURL);
    const commit = repo.commit ?? DEFAULT_COMMIT;
    if (revision === "HEAD" || revision === commit || (repo.refs ?? ["main"]).includes(revision)) return commit;
    throw new Error(`revision ${JSON.stringify(revision)} not found`);
  }

  async listTree(repoURL: string, commit: string): Promise<RepoTree> {
    this.calls.push(`listTree ${repoURL} ${commit}`);
    const repo = this.atCommit(repoURL, commit);
    const files = Object.keys(repo.files).sort();
    const directories = new Set<string>();
    for (const file of files) {
      const parts = file.split("/");
      for (let i = 1; i < parts.length; i++) directories.add(parts.slice(0, i).join("/"));
    }
    return { files, directories: [...directories].sort() };
  }

  async readFile(repoURL: string, commit: string, path: string): Promise<string> {
    this.calls.push(`readFile ${repoURL} ${commit} ${path}`);
    const repo = this.atCommit(repoURL, commit);
    if (!Object.hasOwn(repo.files, path)) {
      throw new Error(`file ${JSON.stringify(path)} not found at ${commit}`);
    }
    return repo.files[path] as string;
  }

  private repo(repoURL: string): MemoryRepo {
    const repo = this.repos.get(repoURL);
    if (!repo) throw new Error(`repository ${repoURL} not found`);
    return repo;
  }

  private atCommit(repoURL: string, commit: string): MemoryRepo {
    const repo = this.repo(repoURL);
    if (commit !== (repo.commit ?? DEFAULT_COMMIT)) throw new Error(`commit ${commit} not found`);
    return repo;
  }
}
