import type { ChangeSet, ChangeSetEntry } from "@flotilla/kube";
import { anyUnreachable, describeFailures } from "./object-failures.ts";
import { StepFailed } from "./step-failed.ts";

/**
 * Some objects could not be applied. Retried when the cluster did not answer; otherwise the manifests are bad
 * (unknown kind, schema violation) and the Application shows Error until Git changes.
 */
export class ApplyFailed extends StepFailed {
  override readonly name = "ApplyFailed";
  readonly reason = "ApplyFailed" as const;
  readonly changeSet: ChangeSet;
  readonly failed: readonly ChangeSetEntry[];

  constructor(changeSet: ChangeSet, failed: readonly ChangeSetEntry[]) {
    super(describeFailures("apply", failed), anyUnreachable(failed));
    this.changeSet = changeSet;
    this.failed = failed;
  }
}
