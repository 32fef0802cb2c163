import type { RepoReader } from "@flotilla/core";
import { SourceFailed } from "../errors/source-failed.ts";
import type { SyncContext } from "./sync-context.ts";

/** Resolves branches and tags to commits; a RepoCache in production. */
export type SourceResolver = Pick<RepoReader, "resolveRevision">;

/** The commit the Application's `targetRevision` (HEAD when unset) points at now. */
export async function resolveSource(git: SourceResolver, ctx: SyncContext): Promise<string> {
  const { repoURL, targetRevision } = ctx.app.spec.source;
  const revision = targetRevision === undefined || targetRevision === "" ? "HEAD" : targetRevision;
  try {
    return await git.resolveRevision(repoURL, revision);
  } catch (err) {
    throw new SourceFailed(repoURL, revision, err);
  }
}
