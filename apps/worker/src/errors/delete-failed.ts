import type { ChangeSetEntry } from "@flotilla/kube";
import { anyUnreachable, describeFailures } from "./object-failures.ts";
import { StepFailed } from "./step-failed.ts";

/** A deleted Application's objects could not all be removed; its inventory is kept so a retry finds them. */
export class DeleteFailed extends StepFailed {
  override readonly name = "DeleteFailed";
  readonly reason = "DeleteFailed" as const;
  readonly failed: readonly ChangeSetEntry[];

  constructor(failed: readonly ChangeSetEntry[]) {
    super(describeFailures("delete", failed), anyUnreachable(failed));
    this.failed = failed;
  }
}
