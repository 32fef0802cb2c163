import type { GeneratorSpec, Params, RepoTree } from "@flotilla/core";
import { GeneratorError, messageOf } from "./errors.ts";
import type { Generator, GeneratorContext, GeneratorPosition } from "./generator.ts";
import { gitDirectoryParams } from "./git-directories.ts";
import { gitFileParams } from "./git-files.ts";
import { resolveLimits } from "./resolve-limits.ts";

/** A repository read at one commit: everything a git generator looks at comes from the same snapshot. */
export interface RepoSnapshot {
  repoURL: string;
  commit: string;
  tree: RepoTree;
}

/**
 * Git directories and git files, read through the `RepoReader` seam at one resolved commit (revision
 * defaults to HEAD). Any failure to read is a GeneratorError with the reader's error as its cause: a
 * generation that could not see the repository must not be taken as "the repository is empty".
 */
export class GitGenerator implements Generator {
  readonly kind = "git" as const;

  async generate(spec: GeneratorSpec, ctx: GeneratorContext, at: GeneratorPosition): Promise<Params[]> {
    const git = spec.git;
    if (!git) return [];
    const revision = git.revision ?? "HEAD";
    let snapshot: RepoSnapshot;
    try {
      const commit = await ctx.repos.resolveRevision(git.repoURL, revision);
      snapshot = { repoURL: git.repoURL, commit, tree: await ctx.repos.listTree(git.repoURL, commit) };
    } catch (err) {
      throw new GeneratorError({
        at: at.path,
        code: "git",
        reason: `cannot read ${git.repoURL} at ${revision}: ${messageOf(err)}`,
        cause: err,
      });
    }
    const limits = resolveLimits(ctx);
    if (git.files) return gitFileParams(git, git.files, snapshot, ctx, at.path, limits);
    if (git.directories) return gitDirectoryParams(git, git.directories, snapshot, at.path);
    throw new GeneratorError({ at: at.path, code: "invalid-spec", reason: "expected directories or files" });
  }
}
