import { isGitUnreachableError } from "@flotilla/git";
import { StepFailed } from "./step-failed.ts";

/** The source revision could not be resolved: Git down is retried, an unknown revision or bad URL is not. */
export class SourceFailed extends StepFailed {
  override readonly name = "SourceFailed";
  readonly reason = "SourceFailed" as const;

  constructor(repoURL: string, revision: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`cannot resolve ${revision} in ${repoURL}: ${detail}`, isGitUnreachableError(cause), { cause });
  }
}
