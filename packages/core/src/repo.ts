/** The files and directories of a repository at one commit, as paths relative to its root ("a/b/c.yaml"). */
export interface RepoTree {
  files: string[];
  directories: string[];
}

/**
 * The one seam between generators and Git. The real implementation lives in @flotilla/git; tests use an
 * in-memory reader. A commit is immutable, so everything read at a commit may be cached forever.
 */
export interface RepoReader {
  /** Resolves a branch, tag or commit to a full commit id, fetching when needed. */
  resolveRevision(repoURL: string, revision: string): Promise<string>;
  listTree(repoURL: string, commit: string): Promise<RepoTree>;
  readFile(repoURL: string, commit: string, path: string): Promise<string>;
}
